"""Official criteria the profile cannot decide are visible as ``review`` items, never a silent
pass (criteria.md §8.5): the 2026 专精特新 market position, the 小巨人 qualitative items and the
agricultural wholesale-market route. A tier whose only open items are review items is
``unknown`` with ``pending_review`` and "须经评审确认" steps, and ranks right after the eligible
firms; tiers without review items answer exactly as before (no ``pending_review`` key)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from scoring.domain import TierResult
from scoring.domain import evaluate
from scoring.domain import list_rulebooks
from scoring.domain.outcome import TierOutcome
from scoring.domain.ranking import rank_key
from tests.scoring.unit.conftest import build
from yumiao_common.contracts.profile import Profile

LG22 = "工信部企业〔2022〕63号 附件（小巨人） 精"
REVIEW_ITEMS = [
    ("srdi_sme@2026-04-01", "srdi_sme.c5_market", "工信部企业〔2026〕2号 附件1 [REPO] 条件5",
     False, "gate", None),
    ("little_giant@2022-06-01", "little_giant.j_governance", LG22, True, "gate", None),
    ("little_giant@2022-06-01", "little_giant.j_tech_leading", LG22, True, "gate", None),
    ("little_giant@2022-06-01", "little_giant.j_info_system", LG22, True, "gate", None),
    ("little_giant@2026-04-01", "little_giant.c5_reputation", "工信部企业〔2026〕2号 附件2 条件5",
     True, "gate", None),
    ("agri_leader_national@2018-05-10", "agri_leader_national.n4_wholesale_turnover",
     "农经发〔2018〕1号 (东部地区) 规模", True, "route", "wholesale_market"),
]  # fmt: skip

TITLE: dict[tuple[Any, ...], Any] = {
    ("certifications",): [{"tier": "srdi_sme", "issued_on": "2025-01-01"}]}


def in_2026(profile: Profile) -> Profile:
    """The same firm one year later: fiscal years 2023–2025, evaluated on 2026-06-30."""
    data = profile.model_dump()
    for year in data["financials"]:
        year["year"] += 1
    data["as_of"] = date(2026, 6, 30)
    return Profile.model_validate(data)


# Meets every computable condition of 小巨人 2026 (and of 专精特新 2026 with the 2026 title).
INV = [{"kind": "invention_patent", "number": f"I{i}", "acquired_by": "self_developed",
        "related_to_main_product": True, "granted_on": "2022-05-01"} for i in range(4)]  # fmt: skip
GIANT_2026: dict[tuple[Any, ...], Any] = {
    **TITLE, ("ip",): INV, ("assessments", "srdi_dev_score"): 60,
    ("fin", 2024, "operating_revenue"): 60_000_000,
    ("fin", 2024, "main_business_revenue"): 57_000_000,
    ("fin", 2024, "rd_expense"): 7_200_000, ("fin", 2023, "rd_expense"): 4_800_000,
    ("fin", 2023, "operating_revenue"): 52_000_000, ("fin", 2022, "operating_revenue"): 50_000_000,
}  # fmt: skip
SRDI_2026: dict[tuple[Any, ...], Any] = {**GIANT_2026,
             ("certifications",): [{"tier": "innovative_sme", "issued_on": "2025-01-01"}]}
# A national agricultural leader on the scale route (N3), eastern thresholds.
AGRI: dict[tuple[Any, ...], Any] = {
    ("fin", 2024, "total_assets"): 200_000_000, ("fin", 2024, "fixed_assets"): 60_000_000,
    ("fin", 2024, "sales_revenue"): 250_000_000, ("fin", 2024, "operating_revenue"): 250_000_000,
    ("fin", 2024, "agri_sales"): 250_000_000, ("fin", 2024, "total_liabilities"): 80_000_000,
    ("fin", 2024, "total_profit"): 20_000_000, ("fin", 2024, "farmer_households"): 5000,
    ("fin", 2024, "farm_sourced_share_pct"): "80",
    ("certifications",): [{"tier": "agri_leader_provincial", "issued_on": "2024-01-01"}],
}  # fmt: skip
# ¥10 m short of N3's ¥150 m total assets
SMALL: dict[tuple[Any, ...], Any] = {("fin", 2024, "total_assets"): 140_000_000}
WHOLESALE: dict[tuple[Any, ...], Any] = {("enterprise", "industry_code"): "F5111"}


def one(changes: dict[Any, Any], tier: str, *, y2026: bool = False) -> TierResult:
    profile = build(changes)
    return evaluate(in_2026(profile) if y2026 else profile, tiers=[tier])[tier]  # type: ignore[list-item,index]


def by_id(result: TierResult) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in result.to_dict()["criteria"]}


def _plain(citation: str) -> str:
    return re.sub(r"\s*\[(?:REPO|MEM|3P)[^\]]*\]", "", citation)


def _review_steps(d: dict[str, Any]) -> list[str]:
    return [s["criterion"] for s in d["next_steps"] if s["text_zh"].startswith("须经评审确认")
            and s["text_en"].startswith("Subject to review")]  # fmt: skip


@pytest.mark.parametrize(("version", "cid", "citation", "confirmed", "role", "route"),
                         REVIEW_ITEMS)
def test_review_items_are_listed_with_their_citations(  # type: ignore[no-untyped-def]
    version, cid, citation, confirmed, role, route
) -> None:
    book = next(b for b in list_rulebooks() if b["version"] == version)
    c = next(c for c in book["criteria"] if c["id"] == cid)
    # citations carry no research markers (issue 8 item 8): compare without them
    assert c["review"] is True and _plain(c["citation"]).startswith(_plain(citation))
    assert c["confirmed"] is confirmed
    assert c["title"]["zh"] and c["title"]["en"] and (c["role"], c["route"]) == (role, route)


def test_review_items_appear_in_every_answer_with_status_review() -> None:
    cases = [(one({}, "little_giant"), ["little_giant.j_governance", "little_giant.j_tech_leading",
                                         "little_giant.j_info_system"]),
             (one({}, "little_giant", y2026=True), ["little_giant.c5_reputation"]),
             (one({}, "srdi_sme", y2026=True), ["srdi_sme.c5_market"])]  # fmt: skip
    for result, ids in cases:
        crits = by_id(result)
        for cid in ids:
            c = crits[cid]
            assert c["status"] == "review" and c["citation"] and c["gap"] is None
            assert c["requirement"] and "评审" in c["requirement"]


#: 117号: a new 小巨人 nominee's control and group relations need review too (issue 8 item 9).
GROUP_117 = "little_giant.r117_group"


def test_little_giant_2026_meeting_every_computable_condition_is_not_silently_eligible() -> None:
    r = one(GIANT_2026, "little_giant", y2026=True)
    assert r.rulebook_version == "little_giant@2026-04-01"
    reviews = ["little_giant.c5_reputation", GROUP_117]
    others = [c for c in r.criteria if c.id not in reviews]
    assert others and all(c.status == "pass" for c in others)
    assert (r.verdict, r.route) == ("unknown", "gates")
    assert r.pending_review == reviews
    full, small = r.to_dict(), r.to_summary()
    assert full["pending_review"] == small["pending_review"] == reviews
    assert full["next_steps"] == small["next_steps"]
    assert _review_steps(full) == reviews
    assert small["counts"] == {"pass": len(others), "fail": 0, "unknown": 0, "review": 2}
    assert [c["id"] for c in small["criteria"]] == reviews
    assert list(full)[list(full).index("next_steps") + 1] == "pending_review"


def test_srdi_2026_market_position_needs_review() -> None:
    r = one(SRDI_2026, "srdi_sme", y2026=True)
    assert (r.verdict, r.route, r.pending_review) == ("unknown", "gates", ["srdi_sme.c5_market"])
    assert _review_steps(r.to_dict()) == ["srdi_sme.c5_market"]


def test_a_failing_gate_still_decides_and_the_review_stays_pending() -> None:
    r = one({**SRDI_2026, ("certifications",): []}, "srdi_sme", y2026=True)
    assert r.verdict == "ineligible" and r.route is None
    assert r.pending_review == ["srdi_sme.c5_market"]
    steps = [s.criterion for s in r.next_steps]
    assert steps == ["srdi_sme.c1_title", "srdi_sme.c5_market"]


def test_review_items_never_block_near() -> None:
    # ¥1 short of the 2-year R&D total: closable, so near despite the review item.
    r = one({**GIANT_2026, ("fin", 2024, "rd_expense"): 7_199_999}, "little_giant", y2026=True)
    assert r.verdict == "near" and r.pending_review == ["little_giant.c5_reputation", GROUP_117]


def test_missing_figure_outranks_review() -> None:
    r = one({**GIANT_2026, ("assessments", "srdi_dev_score"): None}, "little_giant", y2026=True)
    assert (r.verdict, r.route) == ("unknown", None)
    assert r.pending_review == ["little_giant.c5_reputation", GROUP_117]
    assert rank_key(r.outcome()).group == 2  # not ranked as "pending review only"


def test_agri_scale_route_decides_without_the_wholesale_review() -> None:
    r = one(AGRI, "agri_leader_national")
    assert (r.verdict, r.route, r.pending_review) == ("eligible", "scale", [])
    n4 = by_id(r)["agri_leader_national.n4_wholesale_turnover"]
    assert (n4["status"], n4["note"]) == ("fail", "not_applicable")  # not a wholesale market
    assert r.to_dict()["pending_review"] == [] and r.next_steps == []


def test_agri_wholesale_market_route_needs_review() -> None:
    producer = one({**AGRI, **SMALL}, "agri_leader_national")
    assert producer.verdict == "near" and producer.pending_review == []
    market = one({**AGRI, **SMALL, **WHOLESALE}, "agri_leader_national")
    assert (market.verdict, market.route) == ("unknown", "wholesale_market")
    assert market.pending_review == ["agri_leader_national.n4_wholesale_turnover"]
    assert _review_steps(market.to_dict()) == ["agri_leader_national.n4_wholesale_turnover"]
    both = one({**AGRI, **WHOLESALE}, "agri_leader_national")  # scale met: no review needed
    assert (both.verdict, both.route, both.pending_review) == ("eligible", "scale", [])


@pytest.mark.parametrize("tier", ["tech_sme", "hnte", "innovative_sme", "agri_leader_provincial",
                                  "agri_leader_municipal"])
@pytest.mark.parametrize("y2026", [False, True])
def test_tiers_without_review_items_have_no_pending_key(tier: str, y2026: bool) -> None:
    r = one({}, tier, y2026=y2026)
    assert r.pending_review is None
    assert "pending_review" not in r.to_dict() and "pending_review" not in r.to_summary()
    assert set(r.to_summary()["counts"]) == {"pass", "fail", "unknown"}


def test_ranking_puts_pending_review_right_after_eligible() -> None:
    eligible = one(AGRI, "agri_leader_national").outcome()
    pending = one({**AGRI, **SMALL, **WHOLESALE}, "agri_leader_national").outcome()
    near = one({**AGRI, **SMALL}, "agri_leader_national").outcome()
    unknown = one({**AGRI, ("fin", 2024, "farmer_households"): None},
                  "agri_leader_national").outcome()
    ineligible = one({**AGRI, ("certifications",): []}, "agri_leader_national").outcome()
    assert [r.verdict for r in (eligible, pending, near, unknown, ineligible)] == [
        "eligible", "unknown", "near", "unknown", "ineligible"]
    shuffled = [ineligible, unknown, near, pending, eligible]
    keys = sorted(((k.group, k.a, k.b), i) for i, k in enumerate(map(rank_key, shuffled)))
    assert [shuffled[i] for _, i in keys] == [eligible, pending, near, unknown, ineligible]


def test_pending_review_ranks_after_every_eligible_score_and_by_its_open_items() -> None:
    def res(verdict: str, score: str | None, pending: list[str] | None, route: str | None,
            ) -> TierOutcome:
        out: dict[str, Any] = {"verdict": verdict, "route": route, "criteria": [],
                               "score": None if score is None else {"min": score, "max": score}}
        if pending is not None:
            out["pending_review"] = pending
        return TierOutcome.from_json(out)  # fmt: skip

    ranked = [res("eligible", "0", [], "score"), res("unknown", "99", ["a"], "score"),
              res("unknown", "80", ["a"], "score"), res("unknown", "99", ["a", "b"], "score"),
              res("near", "99", [], None)]  # fmt: skip
    keys = [(k.group, k.a, k.b) for k in map(rank_key, ranked)]
    assert keys == sorted(keys)
    assert rank_key(res("eligible", "0", None, "gates")) == rank_key(res("eligible", "0", [], "x"))
