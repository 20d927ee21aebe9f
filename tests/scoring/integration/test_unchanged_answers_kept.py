"""A firm's next snapshot rewrites only the answers that changed, on SQLite and PostgreSQL.

Issue 16: the second event of a firm (an import of certificates, then IP) re-evaluates every
tier, and most answers come out the same. A row whose answer is unchanged keeps its stored
answer (PostgreSQL keeps its TOAST value: no new ~19 kB value, no bloat) and still records the
new evaluation (``evaluated_at``, ``profile_hash``); a changed answer is rewritten with its new
digest; a moved verdict's event still names the verdict and criteria it had before, read from
the stored answer; rows stored before digests were kept (NULL) are rewritten.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Text
from sqlalchemy import cast
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from scoring.adapters.sql.evaluations import answer_digest
from scoring.adapters.sql.evaluations import answer_json
from scoring.domain.outcome import TierOutcome
from scoring.domain.outcome import criteria_moves
from scoring.handlers.evaluations import evaluate_profile
from scoring.handlers.profiles import apply_enterprise_changes
from scoring.models import Evaluation
from scoring.models import outbox
from yumiao_common.contracts.profile import Profile
from yumiao_common.contracts.registry import EnterpriseChanged

pytestmark = pytest.mark.integration

CERTIFICATE = {"tier": "innovative_sme", "issued_on": "2025-03-01", "expires_on": "2028-02-28"}


def stored(factory: sessionmaker[Session], uscc: str) -> dict[str, tuple[Any, ...]]:
    """Per tier: the answer's stored text, its digest, profile hash and evaluation time."""
    stmt = select(Evaluation.tier, cast(Evaluation.result, Text), Evaluation.result_digest,
                  Evaluation.profile_hash, Evaluation.evaluated_at
                  ).where(Evaluation.uscc == uscc)
    with factory() as session:
        return {tier: tuple(rest) for tier, *rest in session.execute(stmt)}


def engine_answers(snapshot: dict[str, Any]) -> dict[str, dict[str, Any]]:
    results = evaluate_profile(Profile.model_validate(snapshot), overrides={})
    return {tier: result.to_dict() for tier, result in results.items()}


def toast_chunks(factory: sessionmaker[Session]) -> set[int] | None:
    """The live TOAST chunk ids of ``evaluation`` (PostgreSQL; None on SQLite)."""
    with factory() as session:
        if session.get_bind().dialect.name != "postgresql":
            return None
        toast = session.scalar(text(
            "SELECT reltoastrelid::regclass::text FROM pg_class WHERE relname = 'evaluation'"))
        return set(session.scalars(text(f"SELECT DISTINCT chunk_id FROM {toast}")))


def publish(factory: sessionmaker[Session], event: EnterpriseChanged) -> None:
    with factory.begin() as session:
        apply_enterprise_changes(session, events=[event])


Firm = tuple[sessionmaker[Session], dict[str, Any], str]


@pytest.fixture
def evaluated_once(
    fresh_sessions: sessionmaker[Session],
    make_profile: Callable[..., dict[str, Any]],
    enterprise_changed: Callable[..., EnterpriseChanged],
) -> Firm:
    """A firm whose first snapshot is stored and evaluated: (sessions, profile, credit code)."""
    profile = make_profile()
    publish(fresh_sessions, enterprise_changed(profile, 1))
    return fresh_sessions, profile, profile["enterprise"]["uscc"]


def test_an_unchanged_answer_keeps_its_stored_text_and_records_the_new_evaluation(
    evaluated_once: Firm, enterprise_changed: Callable[..., EnterpriseChanged],
) -> None:
    factory, profile, uscc = evaluated_once
    first, chunks = stored(factory, uscc), toast_chunks(factory)
    assert chunks is None or chunks  # PostgreSQL holds the answers out of line (TOAST)
    certified = copy.deepcopy(profile)
    certified["certifications"].append(CERTIFICATE)  # changes the profile, no answer
    assert engine_answers(certified) == engine_answers(profile)
    publish(factory, enterprise_changed(certified, 2))
    second = stored(factory, uscc)
    assert set(second) == set(first) and len(first) == 8
    for tier, (answer, digest, profile_hash, evaluated_at) in second.items():
        assert (answer, digest) == first[tier][:2], tier
        assert digest == answer_digest(answer_json(engine_answers(certified)[tier]))
        assert profile_hash != first[tier][2] and evaluated_at > first[tier][3], tier
    assert toast_chunks(factory) == chunks  # PostgreSQL wrote no new answer value


def test_a_changed_answer_is_rewritten_and_a_moved_verdict_names_what_it_had(
    evaluated_once: Firm, enterprise_changed: Callable[..., EnterpriseChanged],
) -> None:
    factory, profile, uscc = evaluated_once
    first = stored(factory, uscc)
    cut = copy.deepcopy(profile)
    cut["financials"][-1]["rd_expense"] //= 4  # some answers change, two verdicts move
    publish(factory, enterprise_changed(cut, 2).model_copy(update={"correlation_id": "rd-cut"}))
    before, after = engine_answers(profile), engine_answers(cut)
    second = stored(factory, uscc)
    changed = {tier for tier in after if after[tier] != before[tier]}
    assert changed and changed != set(after)
    for tier in changed:
        assert second[tier][1] == answer_digest(answer_json(after[tier])) != first[tier][1]
        assert _reread(factory, uscc, tier) == json.loads(answer_json(after[tier]))
    events = _events(factory, "rd-cut")
    moved = {t for t in after if after[t]["verdict"] != before[t]["verdict"]}
    assert set(events) == moved and moved
    for tier, payload in events.items():
        lost = criteria_moves(TierOutcome.from_json(before[tier]),
                              TierOutcome.from_json(after[tier]))[1]
        assert payload["before"] == before[tier]["verdict"]
        assert payload["after"] == after[tier]["verdict"]
        assert payload["criteria_lost"] == list(lost)
    assert any(payload["criteria_lost"] for payload in events.values())


def test_rows_stored_without_a_digest_are_rewritten(
    evaluated_once: Firm, enterprise_changed: Callable[..., EnterpriseChanged],
) -> None:
    factory, profile, uscc = evaluated_once
    with factory.begin() as session:  # as written before the column existed, and stale
        session.execute(update(Evaluation).where(Evaluation.uscc == uscc)
                        .values(result_digest=None, result={"stale": True}))
    certified = copy.deepcopy(profile)
    certified["certifications"].append(CERTIFICATE)
    publish(factory, enterprise_changed(certified, 2))
    answers = engine_answers(certified)
    for tier, (_answer, digest, _hash, _at) in stored(factory, uscc).items():
        assert _reread(factory, uscc, tier) == json.loads(answer_json(answers[tier]))
        assert digest == answer_digest(answer_json(answers[tier])), tier


def _reread(factory: sessionmaker[Session], uscc: str, tier: str) -> Any:
    with factory() as session:
        return session.scalar(select(Evaluation.result).where(
            Evaluation.uscc == uscc, Evaluation.tier == tier))


def _events(factory: sessionmaker[Session], correlation_id: str) -> dict[str, dict[str, Any]]:
    """The eligibility events of one change, by tier (their payloads)."""
    with factory() as session:
        rows = session.execute(select(outbox.c.payload)).scalars()
        return {p["payload"]["tier"]: p["payload"] for p in rows
                if p["correlation_id"] == correlation_id}
