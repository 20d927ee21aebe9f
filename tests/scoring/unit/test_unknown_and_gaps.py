"""Missing facts give ``unknown`` (never a silent pass or fail); gaps, near, next steps,
local-parameter overrides and the JSON shape of a result."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from scoring.domain import evaluate
from scoring.domain import list_rulebooks
from scoring.domain import local_parameters
from yumiao_common.contracts.profile import TIER_KEYS

D = Decimal


@pytest.mark.parametrize(
    ("field", "cid"),
    [("employees", "tech_sme.g2_employees"), ("sales_revenue", "tech_sme.g2_sales"),
     ("total_assets", "tech_sme.g2_assets"), ("science_staff", "tech_sme.s1_staff"),
     ("rd_expense", "hnte.h5_rd_ratio"), ("hightech_revenue", "hnte.h6_hightech_income"),
     ("operating_revenue", "innovative_sme.s2_rd_ratio"),
     ("total_liabilities", "innovative_sme.s4_debt")],
)  # fmt: skip
def test_a_missing_figure_makes_its_criterion_unknown(make, crit, delete, field, cid) -> None:  # type: ignore[no-untyped-def]
    results = evaluate(make({("fin", 2024, field): delete}))
    assert crit(results, cid).status == "unknown"


def test_a_missing_year_makes_last_year_criteria_unknown(make, crit) -> None:  # type: ignore[no-untyped-def]
    results = evaluate(make({}, as_of="2026-01-15"))  # 上年度 = 2025: not in the profile
    assert crit(results, "tech_sme.g2_employees").status == "unknown"
    assert results["tech_sme"].verdict in ("unknown", "eligible")  # eligible only by a route
    assert results["innovative_sme"].verdict in ("unknown", "eligible")


def test_unknown_flags_make_the_gate_unknown_not_pass(make, crit, delete) -> None:  # type: ignore[no-untyped-def]
    r = evaluate(make({("enterprise", "flags"): {}}), tiers=["tech_sme"])
    assert crit(r, "tech_sme.g4_clean").status == "unknown"
    assert r["tech_sme"].verdict == "unknown"


def test_unknown_score_item_widens_the_score_range(make, delete) -> None:  # type: ignore[no-untyped-def]
    r = evaluate(make({("fin", 2024, "science_staff"): delete}), tiers=["tech_sme"])["tech_sme"]
    assert r.score_max is not None and r.score_min is not None
    assert r.score_max - r.score_min == 20


def test_tier_decided_without_the_missing_fact_is_not_unknown(make, delete) -> None:  # type: ignore[no-untyped-def]
    # employees unknown, but an over-size revenue already fails the gates
    changes = {
        ("fin", 2024, "employees"): delete,
        ("fin", 2024, "science_staff"): delete,
        ("fin", 2024, "rd_staff"): delete,
        ("fin", 2024, "sales_revenue"): 300_000_000,
    }
    assert evaluate(make(changes), tiers=["tech_sme"])["tech_sme"].verdict == "ineligible"


def test_near_when_only_money_is_missing(make) -> None:  # type: ignore[no-untyped-def]
    # srdi 2022: R&D 2.5 % < 3 % of revenue is the only failing gate; closable with money
    r = evaluate(make({("fin", 2024, "rd_expense"): 1_000_000}), tiers=["srdi_sme"])["srdi_sme"]
    assert r.verdict == "near"
    steps = r.next_steps
    assert any(s.criterion == "srdi_sme.b2_rd_ratio" and s.amount == 200_000 for s in steps)


def test_not_near_when_a_flag_fails(make) -> None:  # type: ignore[no-untyped-def]
    r = evaluate(make({("enterprise", "flags", "major_safety_incident"): True}), tiers=["hnte"])
    assert r["hnte"].verdict == "ineligible"


def test_science_staff_gap_counts_new_hires(make, crit) -> None:  # type: ignore[no-untyped-def]
    # 9 of 100: to reach 10 % hiring x science staff needs (9 + x) / (100 + x) ≥ 10 % → x = 2
    c = crit(evaluate(make({("fin", 2024, "science_staff"): 9})), "hnte.h4_staff")
    assert (c.status, c.gap, c.spec.gap_unit) == ("fail", D(2), "people")


def test_local_parameters_are_listed_overridable_and_reported(make) -> None:  # type: ignore[no-untyped-def]
    params = {p.id: p for p in local_parameters()}
    pid = "agri_leader_municipal.n3_sales.value"
    assert params[pid].default == D(20_000_000)
    assert params[pid].citation
    farm = {("fin", 2024, "agri_sales"): 38_000_000, ("fin", 2024, "farmer_households"): 600,
            ("fin", 2024, "farm_sourced_share_pct"): "60"}  # fmt: skip
    default = evaluate(make(farm), tiers=["agri_leader_municipal"])["agri_leader_municipal"]
    raised = evaluate(make(farm), tiers=["agri_leader_municipal"],
                      overrides={pid: D(50_000_000)})["agri_leader_municipal"]  # fmt: skip
    assert default.verdict == "eligible"
    assert raised.verdict in ("ineligible", "near")
    assert raised.uses_local_parameter and pid in raised.to_dict()["local_parameters"]


def test_unknown_override_is_rejected(make) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(KeyError):
        evaluate(make({}), overrides={"tech_sme.nope.value": D(1)})


def test_results_serialise_to_json_with_the_documented_shape(make) -> None:  # type: ignore[no-untyped-def]
    results = evaluate(make({("fin", 2024, "rd_expense"): 1_000_000}))
    assert set(results) == set(TIER_KEYS)
    for result in results.values():
        d = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
        assert d["verdict"] in ("eligible", "ineligible", "near", "unknown")
        assert d["rulebook_version"].startswith(result.tier + "@")
        for c in d["criteria"]:
            assert {"id", "title", "citation", "status", "actual", "requirement", "points",
                    "gap", "uses_local_parameter"} <= set(c)  # fmt: skip
            assert c["title"]["zh"] and c["title"]["en"] and c["citation"]
            if c["gap"]:
                assert c["gap"]["text_zh"] and c["gap"]["text_en"] and c["gap"]["unit"]


def test_every_tier_has_a_rulebook_and_every_criterion_a_citation() -> None:
    books = list_rulebooks()
    assert {b["tier"] for b in books} == set(TIER_KEYS)
    assert all(c["citation"] and c["title"]["zh"] for b in books for c in b["criteria"])


def test_unknown_tier_is_rejected(make) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(KeyError):
        evaluate(make({}), tiers=["gazelle"])  # type: ignore[list-item]
