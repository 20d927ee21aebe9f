"""Property tests: more R&D, more IP or more science staff never lowers any tier's score."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from scoring.domain import evaluate
from scoring.domain.engine import NEAR
from yumiao_common.contracts.profile import Profile

KINDS = ["invention_patent", "utility_model", "software_copyright", "design_patent"]


def _profile(base: dict[str, Any]) -> Profile:
    return Profile.model_validate(base)


@st.composite
def firms(draw: st.DrawFn) -> dict[str, Any]:
    employees = draw(st.integers(10, 800))
    years = []
    revenue = draw(st.integers(1_000_000, 300_000_000))
    for i, year in enumerate((2022, 2023, 2024)):
        rev = revenue + i * draw(st.integers(-2_000_000, 10_000_000))
        rev = max(rev, 0)
        years.append({
            "year": year, "employees": employees,
            "science_staff": draw(st.integers(0, employees // 2)),
            "rd_staff": draw(st.integers(0, employees // 4)),
            "operating_revenue": rev, "sales_revenue": rev,
            "main_business_revenue": rev * draw(st.integers(40, 100)) // 100,
            "total_income": rev, "hightech_revenue": rev // 2,
            "rd_expense": rev * draw(st.integers(0, 12)) // 100, "rd_expense_domestic": 0,
            "total_cost": rev * 3 // 4 + 1, "total_assets": rev + 1_000_000,
            "total_liabilities": rev // 2, "net_profit": rev // 20, "tech_conversions": 2,
        })  # fmt: skip
    ip = [{"kind": draw(st.sampled_from(KINDS)), "number": f"N{i}",
           "acquired_by": draw(st.sampled_from(["self_developed", "transferred"])),
           "related_to_main_product": True} for i in range(draw(st.integers(0, 5)))]  # fmt: skip
    return {
        "as_of": draw(st.sampled_from(["2025-06-30", "2026-06-30"])),
        "enterprise": {"uscc": "91371502MA3DHUQR57", "name": "x",
                       "established_on": "2012-01-01", "tax_method": "audited",
                       "hightech_field": "new_materials", "niche_market_years": 5},
        "financials": years, "ip": ip,
    }  # fmt: skip


def _scores(data: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {t: (r.score_min, r.score_max) for t, r in evaluate(_profile(data)).items()}


def _not_lower(before: dict[str, tuple[Any, Any]], after: dict[str, tuple[Any, Any]]) -> None:
    for tier, (lo, hi) in before.items():
        if lo is None:
            continue
        assert after[tier][0] >= lo, tier
        assert after[tier][1] >= hi, tier


@settings(max_examples=60, deadline=None)
@given(firm=firms(), extra=st.integers(1, 50_000_000))
def test_more_rd_never_lowers_a_score(firm: dict[str, Any], extra: int) -> None:
    more = copy.deepcopy(firm)
    for y in more["financials"]:
        y["rd_expense"] += extra
    _not_lower(_scores(firm), _scores(more))


@settings(max_examples=60, deadline=None)
@given(
    firm=firms(), kind=st.sampled_from(KINDS), how=st.sampled_from(["self_developed", "acquired"])
)
def test_more_ip_never_lowers_a_score(firm: dict[str, Any], kind: str, how: str) -> None:
    more = copy.deepcopy(firm)
    more["ip"].append({"kind": kind, "number": "NEW", "acquired_by": how,
                       "related_to_main_product": True})  # fmt: skip
    _not_lower(_scores(firm), _scores(more))


@settings(max_examples=60, deadline=None)
@given(firm=firms(), extra=st.integers(1, 400))
def test_more_science_staff_never_lowers_a_score(firm: dict[str, Any], extra: int) -> None:
    more = copy.deepcopy(firm)
    for y in more["financials"]:
        y["science_staff"] = min(y["employees"], y["science_staff"] + extra)
    _not_lower(_scores(firm), _scores(more))


@settings(max_examples=80, deadline=None)
@given(firm=firms())
def test_a_near_verdict_is_within_reach(firm: dict[str, Any]) -> None:
    # issue 8 item 10 (engine.NEAR): at most 2 failing gates, each closable; a tier scored on
    # one route is near only within 10 % of its pass mark
    for tier, r in evaluate(_profile(firm)).items():
        if r.verdict != "near":
            continue
        gates = [c for c in r.criteria if c.spec.role == "gate" and c.status == "fail"]
        assert len(gates) <= NEAR.max_failed, tier
        assert all(c.closable for c in gates), tier
        routes = {c.spec.route for c in r.criteria if c.spec.role == "route"}
        if routes == {"score"} and r.pass_mark is not None and r.score_max is not None:
            assert r.score_max >= r.pass_mark * (1 - NEAR.score_margin), tier
