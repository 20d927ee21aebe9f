"""Scores written into impact rows are plain decimals: 70, not Decimal.normalize()'s 7E+1."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from scoring.domain.outcome import TierOutcome
from scoring.domain.ranking import decimal_text
from scoring.handlers.reevaluations import score_text
from yumiao_common.web.openapi import DECIMAL_PATTERN


@pytest.mark.parametrize(("value", "text"), [
    ("70", "70"), ("100", "100"), ("72.50", "72.5"), ("0", "0"), ("1E+2", "100"),
    ("0.125", "0.125"), ("-3.0", "-3"),
])
def test_decimal_text_is_plain_digits(value: str, text: str) -> None:
    assert decimal_text(Decimal(value)) == text
    assert re.fullmatch(DECIMAL_PATTERN, text)


def test_an_impact_score_of_seventy_reads_seventy() -> None:
    assert score_text(TierOutcome.from_json({"score": {"min": "60", "max": "80"}})) == "70"
    assert score_text(TierOutcome.from_json({"score": {"min": "100", "max": "100"}})) == "100"
