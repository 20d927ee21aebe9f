"""Ratio and growth formulas with the official special cases, all in exact Decimal.

Kept apart from ``facts`` because the formulas are what reviewers check against the text:

* HNTE 企业成长性 (指引 2.3.4, S18): ``g = 1/2 × (X2/X1 + X3/X2) − 1``; first year zero →
  use the last two years (``X3/X2 − 1``); second year zero → 0 points; negative → 0 points.
  A firm with two years of history uses ``X2/X1 − 1``; with one year it scores 0 (REPO
  practice, conservative). Negative net assets in a base year make the ratio meaningless: 0 points
  and a manual-review case (criteria.md §2.3.4 recommendation).
* MIIT growth (63号 ③): ``(R_t−1 − R_t−2) ÷ R_t−2``; 2-year average (专精特新 ②):
  the mean of the two yearly rates [MEM]; 2026 小巨人: ``(R_t−1 ÷ R_t−3)^(1/2) − 1``.
"""

from __future__ import annotations

from decimal import Decimal

ZERO = Decimal(0)
ONE = Decimal(1)
HALF = Decimal("0.5")

# Case codes of hnte_growth: why the growth is what it is (shown to the analyst).
OK = "ok"
FIRST_ZERO = "first_year_zero"
SECOND_ZERO = "second_year_zero"
NEGATIVE_BASE = "negative_base_review"
ONE_YEAR = "single_year"


def ratio(num: Decimal | int | None, den: Decimal | int | None) -> Decimal | None:
    """num ÷ den, or None when either is unknown or the denominator is zero."""
    if num is None or den is None or not den:
        return None
    return Decimal(num) / den


def simple_growth(before: Decimal | None, after: Decimal | None) -> Decimal | None:
    """(after − before) ÷ before. From zero to something counts as +100 % (see gaps docs)."""
    if before is None or after is None:
        return None
    if not before:
        return ONE if after > 0 else ZERO
    return after / before - ONE


def avg_growth(r1: Decimal | None, r2: Decimal | None, r3: Decimal | None) -> Decimal | None:
    """Mean of the two yearly growth rates r1→r2 and r2→r3 (oldest first)."""
    g1, g2 = simple_growth(r1, r2), simple_growth(r2, r3)
    if g1 is None or g2 is None:
        return None
    return (g1 + g2) / 2


def cagr(first: Decimal | None, last: Decimal | None) -> Decimal | None:
    """Two-year compound growth from ``first`` (t−3) to ``last`` (t−1)."""
    if first is None or last is None or first <= 0:
        return None if first is None or last is None else (ZERO if not last else ONE)
    return (last / first).sqrt() - ONE


def hnte_growth(values: list[Decimal | None]) -> tuple[Decimal | None, str]:
    """HNTE growth rate over the window (oldest first) and the case that applied.

    Returns ``(None, case)`` when the official rule gives 0 points outright, ``(None, "")``
    when a figure is missing (unknown).
    """
    if not values or None in values:
        return None, ""
    v: list[Decimal] = values  # type: ignore[assignment]
    if len(v) == 1:
        return None, ONE_YEAR
    if any(x < 0 for x in v[:-1]):
        return None, NEGATIVE_BASE
    if len(v) == 2:
        return (None, FIRST_ZERO) if not v[0] else (v[1] / v[0] - ONE, OK)
    x1, x2, x3 = v
    if not x2:
        return None, SECOND_ZERO
    if not x1:
        return x3 / x2 - ONE, FIRST_ZERO
    return HALF * (x2 / x1 + x3 / x2) - ONE, OK
