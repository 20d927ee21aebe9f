"""HNTE growth formulas (指引 2.3.4) with the official special cases, and the MIIT formulas."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring.domain.growth import FIRST_ZERO
from scoring.domain.growth import NEGATIVE_BASE
from scoring.domain.growth import OK
from scoring.domain.growth import ONE_YEAR
from scoring.domain.growth import SECOND_ZERO
from scoring.domain.growth import avg_growth
from scoring.domain.growth import cagr
from scoring.domain.growth import hnte_growth
from scoring.domain.growth import simple_growth

D = Decimal


@pytest.mark.parametrize(
    ("values", "growth", "case"),
    [
        ([D(100), D(120), D(150)], D("0.225"), OK),  # ½(1.2 + 1.25) − 1
        ([D(0), D(100), D(130)], D("0.3"), FIRST_ZERO),  # 第一年为0：按后两年计算
        ([D(100), D(0), D(50)], None, SECOND_ZERO),  # 第二年为0：0分
        ([D(100), D(90), D(81)], D("-0.1"), OK),  # negative: banded to 0 points
        ([D(100), D(130)], D("0.3"), OK),  # two operating years: X2/X1 − 1
        ([D(100)], None, ONE_YEAR),  # one year: 0 points
        ([D(-10), D(20), D(30)], None, NEGATIVE_BASE),  # negative net assets: review, 0
        ([D(100), None, D(120)], None, ""),  # missing figure: unknown
    ],
)
def test_hnte_growth_special_cases(values, growth, case) -> None:  # type: ignore[no-untyped-def]
    assert hnte_growth(values) == (growth, case)


def test_miit_growth_formulas() -> None:
    assert simple_growth(D(100), D(115)) == D("0.15")
    assert avg_growth(D(100), D(110), D(121)) == D("0.1")
    assert cagr(D(100), D(121)) == D("0.1")
    assert simple_growth(None, D(1)) is None
