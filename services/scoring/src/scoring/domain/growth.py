"""Ratio and growth formulas with the official special cases, all in exact Decimal.

Kept apart from ``facts`` because the formulas are what reviewers check against the text:

* HNTE 企业成长性 (指引 2.3.4, S18): ``g = 1/2 × (X2/X1 + X3/X2) − 1``; first year zero →
  use the last two years (``X3/X2 − 1``); second year zero → 0 points; negative → 0 points.
  A firm with two years of history uses ``X2/X1 − 1`` (按实际经营时间计算). The text is
  silent on one year of history, on a zero first year of a two-year window and on negative
  net assets in a base year (two negatives make a positive ratio): those cases are
  ``REVIEW_CASES`` — the indicator is ``review`` with the case as its reason, its points the
  whole range (criteria.md §2.3.4 recommends manual review), never a silent 0 or a score.
* MIIT growth (63号 ③): ``(R_t−1 − R_t−2) ÷ R_t−2``; 2-year average (专精特新 ②):
  the mean of the two yearly rates [MEM]; 2026 小巨人: ``(R_t−1 ÷ R_t−3)^(1/2) − 1``.

Zero and negative bases (issue 8 item 5). A growth rate from a zero base and a ratio with a
zero denominator have no value. Where the official text settles the case it is applied (HNTE
成长性: first year zero → the last two years; second year zero → 0 points). Everywhere else
the text is silent, so the fact is left ``None`` **and** ``undefined_facts`` records why
(``Facts.undefined``): the rules then answer ``review`` with that reason instead of
``unknown`` (a figure is not missing: supplying one cannot settle it) — never a silent
+100 %.
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
SHORT_ZERO_BASE = "two_years_first_zero"
#: Cases the official text does not settle: the indicator is ``review`` (see above).
REVIEW_CASES = frozenset({NEGATIVE_BASE, ONE_YEAR, SHORT_ZERO_BASE})

# Reasons of ``Facts.undefined`` (why a fact has no value although its figures are known).
ZERO_DENOMINATOR = "zero_denominator"
ZERO_BASE = "zero_base"


def ratio(num: Decimal | int | None, den: Decimal | int | None) -> Decimal | None:
    """num ÷ den, or None when either is unknown or the denominator is zero."""
    if num is None or den is None or not den:
        return None
    return Decimal(num) / den


def simple_growth(before: Decimal | None, after: Decimal | None) -> Decimal | None:
    """(after − before) ÷ before; None when a figure is unknown or the base is not positive
    (no growth rate exists from a zero base: ``undefined_facts`` says so, never +100 %)."""
    if before is None or after is None or before <= 0:
        return None
    return after / before - ONE


def avg_growth(r1: Decimal | None, r2: Decimal | None, r3: Decimal | None) -> Decimal | None:
    """Mean of the two yearly growth rates r1→r2 and r2→r3 (oldest first)."""
    g1, g2 = simple_growth(r1, r2), simple_growth(r2, r3)
    if g1 is None or g2 is None:
        return None
    return (g1 + g2) / 2


def cagr(first: Decimal | None, last: Decimal | None) -> Decimal | None:
    """Two-year compound growth from ``first`` (t−3) to ``last`` (t−1); None from a zero base."""
    if first is None or last is None or first <= 0:
        return None
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
        return (None, SHORT_ZERO_BASE) if not v[0] else (v[1] / v[0] - ONE, OK)
    x1, x2, x3 = v
    if not x2:
        return None, SECOND_ZERO
    if not x1:
        return x3 / x2 - ONE, FIRST_ZERO
    return HALF * (x2 / x1 + x3 / x2) - ONE, OK


#: Ratio facts and the facts of their denominators (what ``facts`` divides by).
RATIO_DENOMINATORS: dict[str, str] = {
    "staff_ratio": "employees",
    "rd_staff_ratio": "employees",
    "rd_sales_ratio": "sales",
    "rd_cost_ratio": "total_cost",
    "rd_op_ratio": "op_rev",
    "main_share": "op_rev",
    "net_margin": "op_rev",
    "debt_ratio": "total_assets",
    "agri_share": "sales",
    "rd_3y_ratio": "sales_3y",
    "domestic_share": "rd_3y",
    "hightech_share": "total_income",
}
