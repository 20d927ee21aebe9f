"""The typed outcome of a fresh result equals the one read back from its stored answer.

The service ranks, diffs and announces a fresh ``TierResult`` through ``outcome()``, and a
stored evaluation through ``TierOutcome.from_json`` of its JSON column. Both must agree, or a
verdict move would name criteria that did not move, and a re-evaluation would store rank keys
that order firms differently from the answers on screen. Generated firms (the property tests'
strategy), every tier, the answer taken through JSON as the database keeps it; and the outcome
``answer_and_outcome`` reads off the answer it builds (the stored path) is that same outcome.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from scoring.domain import evaluate
from scoring.domain.outcome import TierOutcome
from scoring.domain.outcome import criteria_moves
from scoring.domain.ranking import rank_key
from tests.scoring.unit.conftest import build
from tests.scoring.unit.test_verdict_properties import firms
from tests.scoring.unit.test_verdict_properties import profile_of


def stored(answer: dict[str, Any]) -> dict[str, Any]:
    """The answer as the JSON column gives it back."""
    kept: dict[str, Any] = json.loads(json.dumps(answer, ensure_ascii=False, default=str))
    return kept


@settings(max_examples=120, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(changes=firms(), y2026=st.booleans())
def test_fresh_and_stored_outcomes_are_equal(
    changes: dict[tuple[Any, ...], Any], y2026: bool
) -> None:
    for tier, result in evaluate(profile_of(changes, y2026)).items():
        fresh = result.outcome()
        kept = TierOutcome.from_json(stored(result.to_dict()))
        assert fresh == kept, tier
        assert rank_key(fresh) == rank_key(kept)
        assert criteria_moves(kept, fresh) == ([], [])
        answer, joint = result.answer_and_outcome()  # what storing an evaluation uses
        assert joint == fresh and answer == result.to_dict(), tier


def test_a_first_outcome_gains_exactly_its_passing_criteria() -> None:
    result = evaluate(build(), tiers=["tech_sme"])["tech_sme"]
    met, lost = criteria_moves(None, result.outcome())
    assert met == [c.id for c in result.criteria if c.status == "pass"] and lost == []
