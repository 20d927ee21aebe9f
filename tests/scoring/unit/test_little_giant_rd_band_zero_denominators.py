"""小巨人 2022 新(1), the R&D condition by revenue band, over a zero denominator (issue 8 item
5): a zero operating revenue in one of the two years or zero employees leave a ratio undefined;
63号 is silent there, so the criterion is ``review`` with the reason — never ``unknown`` —
and a year or figure that already fails decides ``fail``."""

# ruff: noqa: E501 (test names say the behaviour in full)
from __future__ import annotations

from scoring.domain import evaluate

CID = "little_giant.x_rd"
MID_BAND = {("fin", 2024, "operating_revenue"): 60_000_000, ("fin", 2023, "operating_revenue"): 0}
SMALL_NO_STAFF = {("fin", 2024, "employees"): 0, ("fin", 2024, "science_staff"): 0,
                  ("fin", 2024, "rd_staff"): 0, ("fin", 2024, "new_equity_financing"): 80_000_000,
                  ("fin", 2024, "rd_expense"): 30_000_000}  # fmt: skip


def _x_rd(make, crit, changes):  # type: ignore[no-untyped-def]
    return crit(evaluate(make(changes), tiers=["little_giant"]), CID)


def test_a_zero_revenue_year_in_the_mid_band_is_review_with_the_reason(make, crit) -> None:  # type: ignore[no-untyped-def]
    c = _x_rd(make, crit, {**MID_BAND, ("fin", 2024, "rd_expense"): 4_200_000})  # 7 % ≥ 6 %
    assert (c.status, c.note) == ("review", "zero_denominator")


def test_a_known_year_below_the_rate_decides_fail_despite_the_zero_revenue_year(make, crit) -> None:  # type: ignore[no-untyped-def]
    c = _x_rd(make, crit, {**MID_BAND, ("fin", 2024, "rd_expense"): 2_400_000})  # 4 % < 6 %
    assert c.status == "fail"


def test_zero_employees_in_the_small_band_is_review_not_unknown(make, crit) -> None:  # type: ignore[no-untyped-def]
    c = _x_rd(make, crit, SMALL_NO_STAFF)
    assert (c.status, c.note) == ("review", "zero_denominator")
    assert (c.actual, c.required) == (None, None)  # no yuan amount under the ratio's unit


def test_zero_employees_with_too_little_equity_is_fail(make, crit) -> None:  # type: ignore[no-untyped-def]
    c = _x_rd(make, crit, {**SMALL_NO_STAFF, ("fin", 2024, "new_equity_financing"): 0})
    assert (c.status, c.note) == ("fail", "small_revenue")


def test_a_missing_figure_in_the_small_band_stays_unknown(make, crit, delete) -> None:  # type: ignore[no-untyped-def]
    c = _x_rd(make, crit, {**SMALL_NO_STAFF, ("fin", 2024, "new_equity_financing"): delete})
    assert c.status == "unknown"


def test_the_tier_verdict_is_given_when_a_gate_fails_whatever_the_open_rd_band(make) -> None:  # type: ignore[no-untyped-def]
    listed = {**SMALL_NO_STAFF, ("enterprise", "flags", "abnormal_operations_list"): True}
    assert evaluate(make(listed), tiers=["little_giant"])["little_giant"].verdict == "ineligible"
