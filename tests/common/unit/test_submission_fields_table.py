"""Every field of a yearly report has words (issue 15): the review screen, the registry's
differences and the review notices name fields by ``vocabulary.submission_fields``."""

from __future__ import annotations

import pytest

from yumiao_common.contracts.profile import Financials
from yumiao_common.contracts.profile import Flags
from yumiao_common.vocabulary.submission_fields import field_label
from yumiao_common.vocabulary.submission_fields import field_unit


def test_every_yearly_figure_and_flag_of_the_profile_has_words() -> None:
    figures = [f"financials.{name}" for name in Financials.model_fields if name != "year"]
    flags = [f"flags.{name}" for name in Flags.model_fields]
    for path in figures + flags:
        zh, en = field_label(path)
        assert zh != path and en != path, path


@pytest.mark.parametrize(
    ("path", "words", "unit"),
    [
        ("financials.rd_expense", ("研发费用", "R&D expense"), ("元", "yuan")),
        ("financials.employees", ("职工总数", "Employees"), ("人", "people")),
        ("flags.tax_violation", ("涉税违法", "tax violation"), None),
        ("ip.0", ("新增知识产权 第 1 项", "New intellectual property, item 1"), None),
        ("awards.2", ("获奖 第 3 项", "Award, item 3"), None),
        ("general", ("整份自报", "The whole report"), None),
        ("financials.no_such", ("financials.no_such", "financials.no_such"), None),
        ("ip.99999", ("ip.99999", "ip.99999"), None),
    ],
)
def test_field_paths_read_as_words(
    path: str, words: tuple[str, str], unit: tuple[str, str] | None
) -> None:
    assert field_label(path) == words
    assert field_unit(path) == unit
