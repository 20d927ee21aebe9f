"""The admin pages' words: a parameter is read and typed in its unit (70 %, ¥20,000,000,
500 户) and stored as the rulebook writes it; a parked message says what it is about."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from flask import Flask

from gateway.web.admin_words import param_input
from gateway.web.admin_words import param_value
from gateway.web.admin_words import parked_summary
from gateway.web.admin_words import parse_param_input
from gateway.web.catalogue import MESSAGES
from yumiao_common.web.errors import ValidationFailed


@pytest.fixture
def zh() -> Iterator[None]:
    with Flask(__name__).test_request_context("/"):
        yield


@pytest.mark.usefixtures("zh")
@pytest.mark.parametrize(("stored", "unit", "shown", "typed"), [
    ("0.70", "ratio", "70.00 %", "70"),
    ("0.055", "ratio", "5.50 %", "5.5"),
    ("20000000", "yuan", "¥20,000,000", "20000000"),
    ("500", "households", "500 户", "500"),
])
def test_a_value_is_shown_and_typed_in_its_unit_and_read_back_unchanged(
    stored: str, unit: str, shown: str, typed: str
) -> None:
    assert param_value(stored, unit) == shown
    assert param_input(stored, unit) == typed
    assert float(parse_param_input(typed, unit, stored)) == float(stored)


@pytest.mark.usefixtures("zh")
@pytest.mark.parametrize(("typed", "unit"), [
    ("", "yuan"), ("abc", "yuan"), ("-1", "yuan"), ("101", "ratio"), ("1e999999", "yuan"),
])
def test_a_value_no_parameter_can_take_is_refused_naming_the_field(typed: str, unit: str
                                                                    ) -> None:
    with pytest.raises(ValidationFailed) as refused:
        parse_param_input(typed, unit, "1")
    assert list(refused.value.fields) == ["value"]


def test_thousands_separators_are_accepted() -> None:
    assert parse_param_input("20,000,000", "yuan", "1") == "20000000"


@pytest.mark.usefixtures("zh")
def test_a_parked_event_reads_as_its_kind_and_the_firm_it_names() -> None:
    body = json.dumps({"type": "scoring.eligibility.changed",
                       "payload": {"uscc": "913715006140714791"}})
    assert parked_summary(body, {"913715006140714791": "聊城甲公司"}) == "认定资格变化 · 聊城甲公司"
    assert parked_summary("not json") == "内容无法解析"


def test_every_admin_text_has_both_languages() -> None:
    admin = {k: v for k, v in MESSAGES.items() if k.startswith("adm.")}
    assert admin and all(zh.strip() and en.strip() for zh, en in admin.values())
