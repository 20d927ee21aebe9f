"""Edges of the agricultural-leader thresholds (农经发〔2018〕1号, eastern region) and of the
2026 专精特新 / 小巨人 conditions (工信部企业〔2026〕2号, as reported by [REPO]/[3P])."""

from __future__ import annotations

from datetime import date

import pytest

from scoring.domain import evaluate
from yumiao_common.contracts.profile import Profile

AGRI = {("fin", 2024, "agri_sales"): 40_000_000}  # all sales agricultural


def agri_crit(make, crit, changes, cid):  # type: ignore[no-untyped-def]
    r = evaluate(make({**AGRI, **changes}), tiers=["agri_leader_national"])
    return crit(r, f"agri_leader_national.{cid}").status


@pytest.mark.parametrize(
    ("path", "ok", "bad", "cid"),
    [(("fin", 2024, "total_assets"), 150_000_000, 149_999_999, "n3_assets"),
     (("fin", 2024, "fixed_assets"), 50_000_000, 49_999_999, "n3_fixed_assets"),
     (("fin", 2024, "sales_revenue"), 200_000_000, 199_999_999, "n3_sales"),
     (("fin", 2024, "farmer_households"), 4000, 3999, "n7_households")],
)  # fmt: skip
def test_national_agri_minimums_are_inclusive(make, crit, path, ok, bad, cid) -> None:  # type: ignore[no-untyped-def]
    extra = {("fin", 2024, "agri_sales"): 200_000_000} if "sales" in path[-1] else {}
    assert agri_crit(make, crit, {path: ok, **extra}, cid) == "pass"
    assert agri_crit(make, crit, {path: bad, **extra}, cid) == "fail"


def test_agri_share_seventy_percent(make, crit) -> None:  # type: ignore[no-untyped-def]
    assert (
        agri_crit(make, crit, {("fin", 2024, "agri_sales"): 28_000_000}, "n2_agri_share") == "pass"
    )
    assert (
        agri_crit(make, crit, {("fin", 2024, "agri_sales"): 27_999_999}, "n2_agri_share") == "fail"
    )


def test_debt_ratio_must_be_below_sixty_percent(make, crit) -> None:  # type: ignore[no-untyped-def]
    # total assets ¥50 m: 60 % = ¥30 m is not "低于60%"
    assert (
        agri_crit(make, crit, {("fin", 2024, "total_liabilities"): 29_999_999}, "n6_debt") == "pass"
    )
    assert (
        agri_crit(make, crit, {("fin", 2024, "total_liabilities"): 30_000_000}, "n6_debt") == "fail"
    )


def test_roa_must_exceed_the_lpr(make, crit) -> None:  # type: ignore[no-untyped-def]
    # average assets (50 + 44) / 2 = 47 m; the 2024 mean LPR 3.3375 % of it = 1,568,625
    # = profit + interest 200,000
    at = {("fin", 2024, "total_profit"): 1_368_625}
    above = {("fin", 2024, "total_profit"): 1_368_626}
    assert agri_crit(make, crit, at, "n5_roa") == "fail"
    assert agri_crit(make, crit, above, "n5_roa") == "pass"


def test_agri_verdicts_say_they_used_local_parameters(make) -> None:  # type: ignore[no-untyped-def]
    for tier in ("agri_leader_national", "agri_leader_provincial", "agri_leader_municipal"):
        r = evaluate(make(AGRI), tiers=[tier])[tier]  # type: ignore[list-item]
        assert r.uses_local_parameter and r.to_dict()["uses_local_parameter"] is True


TITLE = {("certifications",): [{"tier": "srdi_sme", "issued_on": "2025-01-01"}]}


def in_2026(profile: Profile) -> Profile:
    """The same firm one year later: fiscal years 2023–2025, evaluated on 2026-06-30."""
    data = profile.model_dump()
    for year in data["financials"]:
        year["year"] += 1
    data["as_of"] = date(2026, 6, 30)
    return Profile.model_validate(data)


@pytest.mark.parametrize(
    ("path", "ok", "bad", "cid"),
    [(("fin", 2024, "operating_revenue"), 50_000_000, 49_999_999, "c2_revenue"),
     (("fin", 2024, "main_business_revenue"), 36_000_000, 35_999_999, "c2_main_share"),
     (("fin", 2024, "total_liabilities"), 37_500_000, 37_500_001, "c2_debt"),
     (("fin", 2024, "rd_expense"), 7_200_000, 7_199_999, "c3_rd_sum"),
     (("assessments", "srdi_dev_score"), 60, 59, "c7_dev_score")],
)  # fmt: skip
def test_little_giant_2026_conditions(make, crit, path, ok, bad, cid) -> None:  # type: ignore[no-untyped-def]
    # After the shift 上年度 is 2025 (the baseline's 2024): revenue ¥40 m, main business 36 m
    # = 90 %, debt 75 % of ¥50 m; the 2-year R&D sum is 4.8 m (year before) + the 2025 figure.
    base = {**TITLE, ("fin", 2023, "rd_expense"): 4_800_000}
    if cid == "c2_main_share":
        base[("fin", 2024, "operating_revenue")] = 40_000_000
    for value, status in ((ok, "pass"), (bad, "fail")):
        r = evaluate(in_2026(make({**base, path: value})), tiers=["little_giant"])["little_giant"]
        assert r.rulebook_version == "little_giant@2026-04-01"
        assert crit(r, f"little_giant.{cid}").status == status, (cid, value)


def test_little_giant_2026_needs_four_self_developed_class_one_items(make, crit) -> None:  # type: ignore[no-untyped-def]
    inv = [{"kind": "invention_patent", "number": f"I{i}", "acquired_by": "self_developed",
            "related_to_main_product": True, "granted_on": "2022-05-01"}
           for i in range(4)]  # fmt: skip
    four = evaluate(in_2026(make({**TITLE, ("ip",): inv})), tiers=["little_giant"])
    three = evaluate(in_2026(make({**TITLE, ("ip",): inv[:3]})), tiers=["little_giant"])
    assert crit(four, "little_giant.c4_ip").status == "pass"
    assert crit(three, "little_giant.c4_ip").status == "fail"
