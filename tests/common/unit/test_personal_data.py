"""Mainland mobile numbers are checked and normalised once; contacts are masked the same way."""

from __future__ import annotations

import pytest

from yumiao_common.personal_data import mask_address
from yumiao_common.personal_data import mask_email
from yumiao_common.personal_data import mask_mobile
from yumiao_common.personal_data import normalise_mobile


@pytest.mark.parametrize(("raw", "expected"), [
    ("13800138000", "13800138000"),
    ("+8613800138000", "13800138000"),
    ("+86 138-0013-8000", "13800138000"),
    ("008619912345678", "19912345678"),
    ("8615012345678", "15012345678"),
])
def test_mainland_mobile_numbers_are_normalised(raw: str, expected: str) -> None:
    assert normalise_mobile(raw) == expected


@pytest.mark.parametrize("raw", [
    "12800138000",  # second digit 2: no mobile range
    "1380013800",  # 10 digits
    "138001380001",  # 12 digits
    "+85213800138000",  # Hong Kong prefix
    "0531-88888888",  # a landline
    "1380013800a",
    "",
])
def test_anything_else_is_not_a_mobile_number(raw: str) -> None:
    assert normalise_mobile(raw) is None


def test_masks_keep_only_what_identifies_nobody() -> None:
    assert mask_mobile("13812341234") == "138****1234"
    assert mask_email("alice@example.com") == "a***@example.com"
    assert mask_address("13812341234") == "138****1234"
    assert mask_address("bob@firm.cn") == "b***@firm.cn"
    assert mask_email(None) is None
