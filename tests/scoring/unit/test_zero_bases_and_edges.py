"""Zero and negative bases, and the edges of the HNTE score (issue 8 items 5 and 7).

criteria.md §2.3.4: the official HNTE growth special cases are applied; negative net assets
in a base year, one year of history are not settled by the text → ``review``. §8: a ratio over
a zero denominator or growth from a zero base has no value → ``review`` with the reason, never
a silent +100 %; and never an ``unknown`` verdict when the other indicators decide. §8.3: the
HNTE score passes strictly above 70 (32号 第十一条(七), "70分以上（不含70分）").
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from scoring.domain import evaluate
from scoring.domain.factinfo import info
from scoring.domain.factinfo import shortfall
from scoring.domain.facts import Facts
from scoring.domain.growth import cagr
from scoring.domain.growth import simple_growth

D = Decimal


def test_no_growth_rate_from_a_zero_base() -> None:
    assert simple_growth(D(0), D(100)) is None  # was +100 %
    assert simple_growth(D(0), D(0)) is None
    assert cagr(D(0), D(121)) is None
    assert simple_growth(D(1), D(2)) == D(1)  # just above the edge: a real rate


def test_zero_base_growth_is_review_with_its_reason_not_plus_100_percent(make, crit) -> None:  # type: ignore[no-untyped-def]
    # 63号 ③ 主营业务收入增长率 from a zero 2023 base: undefined, the text is silent
    p = make({("fin", 2023, "main_business_revenue"): 0})
    assert Facts(p).undefined["main_growth"] == "zero_base"
    r = evaluate(p, tiers=["innovative_sme"])["innovative_sme"]
    row = crit(r, "innovative_sme.s3_main_growth")
    assert (row.status, row.note, row.actual) == ("review", "zero_base", None)
    assert row.points_min == 0 and row.points_max is not None and row.points_max > 0
    d = r.to_dict()
    assert "pending_review" in d or r.verdict in ("eligible", "ineligible", "near")
    assert r.to_summary()["counts"].get("review", 0) >= 1  # the summary counts it


def test_a_zero_denominator_is_review_and_the_other_ratio_still_decides(make, crit) -> None:  # type: ignore[no-untyped-def]
    # tech SME 第七条(二): the firm takes the better of R&D ÷ sales and R&D ÷ total cost; with
    # zero sales the first has no value, but R&D ÷ cost = 8 % … here 6 %/75 % = 8 % → 0;
    # raise cost ratio to the top band: no value of the open ratio can change the points
    changes = {("fin", 2024, "sales_revenue"): 0, ("fin", 2024, "total_cost"): 6_000_000,
               ("fin", 2024, "rd_expense"): 2_400_000}  # 40 % of cost → 50 points (top)
    p = make(changes)
    assert Facts(p).undefined["rd_sales_ratio"] == "zero_denominator"
    r = evaluate(p, tiers=["tech_sme"])["tech_sme"]
    row = crit(r, "tech_sme.s2_rd")
    assert (row.status, row.points_min, row.points_max) == ("pass", 50, 50)
    assert r.verdict == "eligible"  # decided: not unknown
    # with a weak cost ratio the open ratio could matter: review, not unknown, not a pass
    weak = make({**changes, ("fin", 2024, "rd_expense"): 100_000})  # 1.7 % of cost → 0
    row = crit(evaluate(weak, tiers=["tech_sme"]), "tech_sme.s2_rd")
    assert (row.status, row.note) == ("review", "zero_denominator")


def test_zero_employees_make_the_staff_ratio_review(make, crit) -> None:  # type: ignore[no-untyped-def]
    p = make({("fin", 2024, "science_staff"): 0, ("fin", 2024, "rd_staff"): 0,
              ("fin", 2024, "employees"): 0})  # fmt: skip
    r = evaluate(p, tiers=["hnte"])["hnte"]
    row = crit(r, "hnte.h4_staff")
    assert (row.status, row.note) == ("review", "zero_denominator")
    assert r.verdict != "eligible"


def _net_assets(make: Any, first: int, **more: Any) -> Any:
    """Baseline with the 2022 net assets set to ``first`` (liabilities above assets if < 0)."""
    changes = {("fin", 2022, "total_assets"): 40_000_000,
               ("fin", 2022, "total_liabilities"): 40_000_000 - first,
               **{(k,): v for k, v in more.items()}}  # fmt: skip
    return make(changes)


def test_negative_net_assets_in_a_base_year_are_review_not_zero_points(make, crit) -> None:  # type: ignore[no-untyped-def]
    r = evaluate(_net_assets(make, -5_000_000), tiers=["hnte"])["hnte"]
    row = crit(r, "hnte.g1_net_asset_growth")
    assert (row.status, row.note) == ("review", "negative_base_review")
    assert (row.points_min, row.points_max) == (0, 10)
    assert r.verdict == "unknown"
    assert "hnte.g1_net_asset_growth" in (r.pending_review or [])


def test_one_year_of_history_is_review(make, crit) -> None:  # type: ignore[no-untyped-def]
    p = make({("enterprise", "established_on"): "2024-01-10"})
    r = evaluate(p, tiers=["hnte"])["hnte"]
    row = crit(r, "hnte.g2_sales_growth")
    assert (row.status, row.note) == ("review", "single_year")


EXPERT_70 = {"tech_advancement": "E", "core_support": "E", "ip_quantity_points": "8",
             "acquisition_points": "6", "standards_bonus": "2", "conversion_points": "30",
             "rd_management_points": "14"}  # 16 + 30 + 14 = 60, growth decides the rest


def _hnte(make: Any, growth: str, **changes: Any) -> Any:
    expert = {**EXPERT_70, "growth_points": growth}
    p = make({("assessments", "hnte_expert"): expert, **changes})
    return evaluate(p, tiers=["hnte"])["hnte"]


def test_negative_base_with_the_other_indicators_deciding_gives_the_verdict(make) -> None:  # type: ignore[no-untyped-def]
    # the experts' points put the total at 60 + growth range; with growth open (negative
    # base) the total is 60…80: undecided. With management at 20 the total is 66…86, still
    # undecided; with management at 0 it is 46…66 → ineligible whatever growth is.
    expert = {**EXPERT_70, "rd_management_points": "0"}
    p = _net_assets(make, -5_000_000, assessments={"hnte_expert": expert})
    r = evaluate(p, tiers=["hnte"])["hnte"]
    assert r.score_max is not None and r.score_max < 70
    assert r.verdict in ("ineligible", "near")  # not unknown: growth cannot change it


@pytest.mark.parametrize(("growth", "status"), [("10", "fail"), ("10.5", "pass"), ("9", "fail")])
def test_hnte_score_passes_only_above_70(make, crit, growth, status) -> None:  # type: ignore[no-untyped-def]
    r = _hnte(make, growth)
    assert crit(r, "hnte.score_total").status == status
    assert (r.verdict == "eligible") is (status == "pass")


def test_a_score_of_exactly_70_never_reads_add_0_points(make, crit) -> None:  # type: ignore[no-untyped-def]
    r = _hnte(make, "10")
    assert r.score_min == r.score_max == 70
    total = next(c for c in r.to_dict()["criteria"] if c["id"] == "hnte.score_total")
    assert total["status"] == "fail" and total["gap"] is None
    assert total["note"] == "strict"
    texts = [s["text_zh"] for s in r.to_dict()["next_steps"]]
    assert texts == ["评价总分：实际 70分，须高于 70分（不含70分）"]
    assert not any(s.amount == 0 for s in r.next_steps)


def test_below_70_the_gap_is_the_shortfall_and_more_is_needed(make, crit) -> None:  # type: ignore[no-untyped-def]
    r = _hnte(make, "5")
    assert crit(r, "hnte.score_total").gap == 5
    assert "还需增加得分超过 5分" in r.next_steps[0].text_zh


@pytest.mark.parametrize(
    ("established", "as_of", "status"),
    [("2023-03-01", "2024-02-29", "fail"),  # 365 days in a leap year: not yet one year
     ("2023-03-01", "2024-03-01", "pass"),  # the anniversary: "一年以上" includes it
     ("2024-06-30", "2025-06-30", "pass"), ("2024-07-01", "2025-06-30", "fail")],
)  # fmt: skip
def test_hnte_registered_one_year_is_a_calendar_year(make, crit, established, as_of,  # type: ignore[no-untyped-def]
                                                    status) -> None:
    # 32号 第十一条(一) 注册成立一年以上 (criteria.md §8.3: 以上 includes the edge)
    p = make({("enterprise", "established_on"): established}, as_of=as_of)
    assert crit(evaluate(p, tiers=["hnte"]), "hnte.h1_age").status == status


@pytest.mark.parametrize(("outcome", "status"), [("pass", "pass"), ("fail", "fail")])
def test_a_recorded_review_settles_a_criterion_left_to_review(make, crit, outcome, status) -> None:  # type: ignore[no-untyped-def]
    # zero employees: the HNTE staff share has no value; the bureau's review decides it
    review = {"hnte.h4_staff": {"outcome": outcome, "reviewed_on": "2025-06-01"}}
    p = make({("fin", 2024, "science_staff"): 0, ("fin", 2024, "rd_staff"): 0,
              ("fin", 2024, "employees"): 0, ("assessments", "reviews"): review})  # fmt: skip
    row = crit(evaluate(p, tiers=["hnte"]), "hnte.h4_staff")
    assert (row.status, row.note) == (status, "reviewed")


def test_the_rd_to_cost_gap_accounts_for_cost_rising_with_rd(make) -> None:  # type: ignore[no-untyped-def]
    # tech SME 第七条(二)(2): R&D is part of 成本费用支出总额, so (rd + x) / (cost + x) ≥ 10 %;
    # rd ¥2.4 m, cost ¥30 m (8 %) → x = (3 − 2.4) / 0.9 m = ¥666,667 (not ¥600,000)
    p = make({("fin", 2024, "sales_revenue"): 0, ("fin", 2024, "rd_expense"): 2_400_000,
              ("fin", 2024, "total_cost"): 30_000_000})  # fmt: skip
    f = Facts(p)
    assert shortfall(info("rd_cost_ratio"), f, Decimal("0.08"), Decimal("0.10")) == 666_667
    r = evaluate(p, tiers=["tech_sme"])["tech_sme"]
    spec = next(c.spec for c in r.criteria if c.id == "tech_sme.s2_rd")
    assert spec.improve is not None
    assert (Decimal(10), Decimal(666_667)) in spec.improve(f)  # the 10 % band: +10 points
