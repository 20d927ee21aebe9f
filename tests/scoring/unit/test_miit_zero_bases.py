"""Zero bases in the MIIT growth indicators (issue 8 item 5): 63号 gives the growth formula
``(R_t−1 − R_t−2) ÷ R_t−2`` and is silent on a zero base, so the criterion is ``review`` with
the reason ``zero_base`` — never a silent +100 % — and the verdict is still given when the
other criteria decide it."""

# ruff: noqa: E501 (test names say the behaviour in full)
from __future__ import annotations

from scoring.domain import evaluate

ZERO_2023 = {("fin", 2023, "main_business_revenue"): 0}


def test_innovative_growth_from_a_zero_base_is_review_not_plus_100_percent(make, crit) -> None:  # type: ignore[no-untyped-def]
    r = evaluate(make(ZERO_2023), tiers=["innovative_sme"])["innovative_sme"]
    c = crit(r, "innovative_sme.s3_main_growth")
    assert (c.status, c.note) == ("review", "zero_base")
    assert (c.points_min, c.points_max) == (0, 20)  # not 20 points decided
    assert r.verdict != "eligible" and "innovative_sme.s3_main_growth" in (r.pending_review or [])


def test_a_direct_route_still_decides_with_a_zero_base(make) -> None:  # type: ignore[no-untyped-def]
    award = {**ZERO_2023, ("awards",): [{"level": "provincial", "year": 2024, "rank": 1}]}
    r = evaluate(make(award), tiers=["innovative_sme"])["innovative_sme"]
    assert (r.verdict, r.route) == ("eligible", "direct_award")


def test_a_failing_gate_still_decides_with_a_zero_base(make) -> None:  # type: ignore[no-untyped-def]
    listed = {**ZERO_2023, ("enterprise", "flags", "abnormal_operations_list"): True}
    for tier in ("innovative_sme", "srdi_sme", "little_giant"):
        assert evaluate(make(listed), tiers=[tier])[tier].verdict == "ineligible"


def test_srdi_and_little_giant_average_growth_from_a_zero_base_is_review(make, crit) -> None:  # type: ignore[no-untyped-def]
    srdi = crit(evaluate(make(ZERO_2023), tiers=["srdi_sme"]), "srdi_sme.s02_main_avg_growth")
    giant = crit(evaluate(make(ZERO_2023), tiers=["little_giant"]), "little_giant.z1_growth")
    assert (srdi.status, srdi.note) == ("review", "zero_base")
    assert (giant.status, giant.note) == ("review", "zero_base")
