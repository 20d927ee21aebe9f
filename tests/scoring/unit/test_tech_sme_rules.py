"""科技型中小企业: gates, bands (lower-inclusive), better R&D ratio, staff ≠ 0, direct routes.

Numbers asserted are the official ones of 国科发政〔2017〕115号 第六–八条 (criteria.md §1),
not values read back from the rulebook file.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring.domain import evaluate

D = Decimal


def tech(make, changes):  # type: ignore[no-untyped-def]
    return evaluate(make(changes), tiers=["tech_sme"])["tech_sme"]


@pytest.mark.parametrize(
    ("science_staff", "points"),
    [(9, 0), (10, 4), (11, 4), (14, 4), (15, 8), (16, 8), (19, 8), (20, 12), (21, 12),
     (24, 12), (25, 16), (26, 16), (29, 16), (30, 20), (31, 20)],
)  # fmt: skip
def test_science_staff_bands_are_lower_inclusive(make, crit, science_staff, points) -> None:  # type: ignore[no-untyped-def]
    r = tech(make, {("fin", 2024, "science_staff"): science_staff})  # of 100 employees
    assert crit(r, "tech_sme.s1_staff").points_min == points


@pytest.mark.parametrize(
    ("rd", "points"),
    [(799_999, 0), (800_000, 10), (1_199_999, 10), (1_200_000, 20), (1_599_999, 20),
     (1_600_000, 30), (1_999_999, 30), (2_000_000, 40), (2_399_999, 40), (2_400_000, 50)],
)  # fmt: skip
def test_rd_to_sales_bands(make, crit, rd, points) -> None:  # type: ignore[no-untyped-def]
    # sales ¥40 m: 2 % = 800,000 … 6 % = 2,400,000; total cost ¥400 m keeps ratio (b) at 0
    r = tech(make, {("fin", 2024, "rd_expense"): rd, ("fin", 2024, "total_cost"): 400_000_000})
    assert crit(r, "tech_sme.s2_rd").points_min == points


@pytest.mark.parametrize(
    ("cost", "points"),
    [(9_999_999, 50), (10_000_000, 50), (10_000_001, 40), (12_000_000, 40), (12_000_001, 30),
     (15_000_000, 30), (15_000_001, 20), (20_000_000, 20), (20_000_001, 10), (30_000_000, 10),
     (30_000_001, 0)],
)  # fmt: skip
def test_rd_to_total_cost_bands(make, crit, cost, points) -> None:  # type: ignore[no-untyped-def]
    # R&D ¥3 m against cost: 30 % at ¥10 m, 25 % at 12 m, 20 % at 15 m, 15 % at 20 m, 10 % at 30 m;
    # sales ¥1 bn keeps ratio (a) at 0.3 % (0 points)
    r = tech(make, {("fin", 2024, "rd_expense"): 3_000_000,
                    ("fin", 2024, "sales_revenue"): 1_000_000_000,
                    ("fin", 2024, "total_cost"): cost})  # fmt: skip
    assert crit(r, "tech_sme.s2_rd").points_min == points


def test_the_better_rd_ratio_is_used(make, crit) -> None:  # type: ignore[no-untyped-def]
    # R&D 1,000,000: 2.5 % of sales (10 points) but 20 % of cost (30 points) → 30, ratio (b)
    r = tech(make, {("fin", 2024, "rd_expense"): 1_000_000,
                    ("fin", 2024, "total_cost"): 5_000_000})  # fmt: skip
    c = crit(r, "tech_sme.s2_rd")
    assert c.points_min == 30
    assert c.note == "rd_cost_ratio"


@pytest.mark.parametrize(
    ("ip", "points"),
    [([], 0), (["utility_model"], 6), (["utility_model"] * 2, 12), (["utility_model"] * 3, 18),
     (["software_copyright"] * 4, 24), (["design_patent"] * 9, 24), (["invention_patent"], 30)],
)  # fmt: skip
def test_ip_bands(make, crit, ip, points) -> None:  # type: ignore[no-untyped-def]
    items = [{"kind": k, "number": f"N{i}", "acquired_by": "transferred",
              "related_to_main_product": True, "granted_on": "2022-05-01"}
             for i, k in enumerate(ip)]  # fmt: skip
    r = tech(make, {("ip",): items})
    assert crit(r, "tech_sme.s3_ip").points_min == points


def test_ip_unrelated_or_lapsed_does_not_count(make, crit) -> None:  # type: ignore[no-untyped-def]
    items = [
        {"kind": "invention_patent", "number": "A", "acquired_by": "self_developed",
         "related_to_main_product": False},
        {"kind": "invention_patent", "number": "B", "acquired_by": "self_developed",
         "related_to_main_product": True, "in_force": False},
        {"kind": "invention_patent", "number": "C", "acquired_by": "self_developed",
         "related_to_main_product": True, "in_dispute": True},
    ]  # fmt: skip
    assert crit(tech(make, {("ip",): items}), "tech_sme.s3_ip").points_min == 0


@pytest.mark.parametrize(
    ("path", "value", "status"),
    [(("fin", 2024, "employees"), 500, "pass"), (("fin", 2024, "employees"), 501, "fail"),
     (("fin", 2024, "sales_revenue"), 200_000_000, "pass"),
     (("fin", 2024, "sales_revenue"), 200_000_001, "fail"),
     (("fin", 2024, "total_assets"), 200_000_000, "pass"),
     (("fin", 2024, "total_assets"), 200_000_001, "fail")],
)  # fmt: skip
def test_size_gates_are_inclusive(make, crit, path, value, status) -> None:  # type: ignore[no-untyped-def]
    r = tech(make, {path: value})
    cid = {"employees": "g2_employees", "sales_revenue": "g2_sales", "total_assets": "g2_assets"}
    assert crit(r, f"tech_sme.{cid[path[-1]]}").status == status
    if status == "fail":
        assert r.verdict == "ineligible"


@pytest.mark.parametrize(
    ("changes", "cid"),
    [({("enterprise", "tax_method"): "deemed"}, "g1_audited_tax"),
     ({("enterprise", "industry_code"): "F5123"}, "g3_industry"),
     ({("enterprise", "flags", "research_misconduct"): True}, "g4_clean")],
)  # fmt: skip
def test_other_gates_fail_the_tier(make, crit, changes, cid) -> None:  # type: ignore[no-untyped-def]
    r = tech(make, changes)
    assert crit(r, f"tech_sme.{cid}").status == "fail"
    assert r.verdict == "ineligible"


def _weak() -> dict:  # type: ignore[type-arg]
    """Science staff 12 % (4), R&D 2.5 % of sales (10), Class II ×2 (12): 26 points."""
    items = [{"kind": "utility_model", "number": f"U{i}", "acquired_by": "self_developed",
              "related_to_main_product": True, "granted_on": "2022-05-01"}
             for i in range(2)]  # fmt: skip
    return {("fin", 2024, "science_staff"): 12, ("fin", 2024, "rd_expense"): 1_000_000,
            ("fin", 2024, "total_cost"): 400_000_000, ("ip",): items}  # fmt: skip


def test_pass_mark_60_is_inclusive(make) -> None:  # type: ignore[no-untyped-def]
    # 20 (staff 30 %) + 10 (R&D 2.5 %) + 30 (Class I) = 60 → eligible by score
    at = tech(make, {("fin", 2024, "rd_expense"): 1_000_000,
                     ("fin", 2024, "total_cost"): 400_000_000})  # fmt: skip
    assert (at.score_min, at.verdict, at.route) == (60, "eligible", "score")
    below = tech(make, {("fin", 2024, "rd_expense"): 1_000_000,
                        ("fin", 2024, "total_cost"): 400_000_000,
                        ("fin", 2024, "science_staff"): 29})  # fmt: skip
    assert below.score_min == 56
    assert below.verdict in ("ineligible", "near")


def test_science_staff_score_must_not_be_zero(make, crit) -> None:  # type: ignore[no-untyped-def]
    # 0 (staff 9 %) + 50 (R&D 6 %) + 30 (Class I) = 80 ≥ 60, yet ineligible
    r = tech(make, {("fin", 2024, "science_staff"): 9})
    assert r.score_min == 80
    assert crit(r, "tech_sme.r_staff_nonzero").status == "fail"
    assert r.verdict != "eligible"


@pytest.mark.parametrize(
    ("extra", "route"),
    [({"certifications": [{"tier": "hnte", "issued_on": "2023-01-01",
                           "expires_on": "2025-12-31"}]}, "direct_hnte"),
     ({"awards": [{"level": "national", "year": 2022, "rank": 3}]}, "direct_award"),
     ({"rd_institutions": [{"level": "provincial", "name": "省级企业技术中心"}]},
      "direct_institution"),
     ({"standards_led": [{"level": "industry", "year": 2021}]}, "direct_standard")],
)  # fmt: skip
def test_direct_routes_qualify_without_the_score(make, extra, route) -> None:  # type: ignore[no-untyped-def]
    changes = {**_weak(), **{(k,): v for k, v in extra.items()}}
    r = tech(make, changes)
    assert r.score_min == 26
    assert (r.verdict, r.route) == ("eligible", route)


@pytest.mark.parametrize(
    "extra",
    [{"certifications": [{"tier": "hnte", "issued_on": "2020-01-01", "expires_on": "2022-12-31"}]},
     {"awards": [{"level": "national", "year": 2022, "rank": 4}]},
     {"awards": [{"level": "provincial", "year": 2022, "rank": 1}]},
     {"rd_institutions": [{"level": "municipal", "name": "市级中心"}]},
     {"standards_led": [{"level": "local", "year": 2022}]}],
)  # fmt: skip
def test_near_misses_of_direct_routes_do_not_qualify(make, extra) -> None:  # type: ignore[no-untyped-def]
    r = tech(make, {**_weak(), **{(k,): v for k, v in extra.items()}})
    assert r.verdict in ("ineligible", "near")


def test_direct_route_still_needs_the_gates(make) -> None:  # type: ignore[no-untyped-def]
    changes = {**_weak(), ("enterprise", "tax_method"): "deemed",
               ("rd_institutions",): [{"level": "national", "name": "国家级中心"}]}  # fmt: skip
    assert tech(make, changes).verdict == "ineligible"
