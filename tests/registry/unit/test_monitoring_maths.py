"""Completion and growth maths of the progress table, and numbers as people read them."""

from __future__ import annotations

import re
from datetime import UTC
from datetime import date
from datetime import datetime
from decimal import Decimal

import pytest

from registry.domain.monitoring import MEASURES
from registry.domain.monitoring import beijing_day_end
from registry.domain.monitoring import beijing_year_bounds
from registry.domain.monitoring import completion_pct
from registry.domain.monitoring import figure
from registry.domain.monitoring import growth_pct
from registry.domain.monitoring import met
from registry.domain.monitoring import pct
from registry.domain.monitoring import yuan


@pytest.mark.parametrize(("actual", "target", "expected"), [
    ("118", "120", "98.33"), ("120", "120", "100.00"), ("0", "20", "0.00"),
    ("17.25", "15", "115.00"), ("-3", "15", "-20.00"), (None, "120", None), ("5", None, None),
    ("5", "0", None),
])
def test_completion_is_actual_over_target(actual: str | None, target: str | None,
                                          expected: str | None) -> None:
    got = completion_pct(None if actual is None else Decimal(actual),
                         None if target is None else Decimal(target))
    assert (None if got is None else str(got)) == expected


@pytest.mark.parametrize(("current", "previous", "expected"), [
    (115, 100, "15.00"), (2_600_000, 2_000_000, "30.00"), (90, 100, "-10.00"),
    (100, 0, None), (None, 100, None), (1, 3, "-66.67"),
])
def test_growth_is_like_for_like_in_per_cent(current: int | None, previous: int | None,
                                             expected: str | None) -> None:
    got = growth_pct(current, previous)
    assert (None if got is None else str(got)) == expected


def test_a_target_is_met_at_equality_and_unknown_without_figures() -> None:
    assert met(Decimal(120), Decimal(120)) is True
    assert met(Decimal(119), Decimal(120)) is False
    assert met(None, Decimal(1)) is None


def test_numbers_read_as_people_read_them() -> None:
    assert yuan(1234567) == "¥1,234,567"
    assert pct(Decimal("12.5")) == "12.50 %"
    assert figure(Decimal("1234.00"), "家 / firms") == "1,234"
    assert figure(Decimal("15"), "%") == "15.00 %"
    assert figure(None, "%") == "—"


def test_the_beijing_year_and_day_end_are_utc_instants() -> None:
    start, end = beijing_year_bounds(2024)
    assert start == datetime(2023, 12, 31, 16, tzinfo=UTC)
    assert end == datetime(2024, 12, 31, 16, tzinfo=UTC)
    assert beijing_day_end(date(2024, 12, 31)) == end


def test_every_rule_is_written_in_chinese_and_english() -> None:
    for measure in MEASURES.values():
        assert " / " in measure.name
        zh, _, en = measure.rule.partition("/ ")
        assert re.search("[\u4e00-\u9fff]", zh) and re.search("[A-Za-z]{4,}", en)
