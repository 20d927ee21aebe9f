"""Readiness order of rankings: eligible by score, then near-misses by the size of their gap,
then unknown, then ineligible — as integer keys (pure, no I/O)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from scoring.domain.outcome import CriterionOutcome
from scoring.domain.outcome import TierOutcome
from scoring.domain.ranking import RankKey
from scoring.domain.ranking import rank_key as rank_outcome
from scoring.domain.ranking import relative_shortfall


def rank_key(answer: dict[str, Any]) -> RankKey:
    """The keys of a stored answer (as the store reads it back)."""
    return rank_outcome(TierOutcome.from_json(answer))


def shortfall(criterion: dict[str, Any]) -> Decimal:
    """The relative shortfall of a stored criterion (as the store reads it back)."""
    return relative_shortfall(CriterionOutcome.from_json(criterion))


def result(verdict: str, score: str | None, *criteria: tuple[str, Any, Any]) -> dict[str, Any]:
    return {
        "verdict": verdict,
        "score": None
        if score is None
        else {"min": score, "max": score, "pass_mark": "70", "out_of": "100"},
        "criteria": [
            {"id": f"c{i}", "status": s, "actual": a, "required": r}
            for i, (s, a, r) in enumerate(criteria)
        ],
    }


def order(*results: dict[str, Any]) -> list[int]:
    keys = [(rank_key(r).group, rank_key(r).a, rank_key(r).b, i) for i, r in enumerate(results)]
    return [k[3] for k in sorted(keys)]


def test_eligible_first_by_score_then_near_then_unknown_then_ineligible() -> None:
    ranked = order(
        result("ineligible", "40", ("fail", "1", "10")),
        result("near", "65", ("fail", "3.5", "4")),
        result("eligible", "72"),
        result("unknown", None, ("unknown", None, "4")),
        result("eligible", "88.5"),
    )
    assert ranked == [4, 2, 1, 3, 0]


def test_near_misses_rank_by_failing_count_then_relative_shortfall() -> None:
    ranked = order(
        result("near", "60", ("fail", "3", "4"), ("fail", "9", "10")),  # two failing
        result("near", "60", ("fail", "2", "4")),  # one, 50 % short
        result("near", "60", ("fail", "3.9", "4")),  # one, 2.5 % short
    )
    assert ranked == [2, 1, 0]


def test_shortfall_is_a_whole_criterion_when_not_a_number() -> None:
    assert shortfall({"actual": None, "required": "4"}) == Decimal(1)
    assert shortfall({"actual": "yes", "required": "no"}) == Decimal(1)
    assert shortfall({"actual": "3", "required": "4"}) == Decimal("0.25")
    assert shortfall({"actual": "9", "required": "4"}) == Decimal(0)


def test_estimate_ranks_on_its_mid_point_exactly() -> None:
    key = rank_key({"verdict": "eligible", "score": {"min": "70.5", "max": "71"}, "criteria": []})
    assert key.score_milli == 70750 and key.a == -70750
