"""Evaluate profiles and store the results in bulk: the one path every writer shares.

The consumer (a batch of registry events), the re-evaluation job (everyone) and tests all go
through ``evaluate_profile`` → ``save_evaluations``. Writes are bulk statements
(``adapters.sql.evaluations``), because a re-evaluation touches every enterprise × tier.
When a verdict moves, ``scoring.eligibility.changed`` goes to the outbox in the same
transaction, so the event leaves if and only if the new verdict is committed.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from scoring.adapters.sql.evaluations import Previous
from scoring.adapters.sql.evaluations import load_outcomes
from scoring.adapters.sql.evaluations import write_evaluations
from scoring.domain import TierResult
from scoring.domain import evaluate
from scoring.domain.outcome import TierOutcome
from scoring.domain.ranking import rank_key
from scoring.handlers.eligibility_events import eligibility_changed
from scoring.handlers.parameters import catalogue
from scoring.models import outbox
from yumiao_common.contracts.profile import Profile
from yumiao_common.contracts.scoring import EligibilityChanged
from yumiao_common.messaging.outbox import add_events

#: Verdicts that are news when an enterprise is evaluated for the first time (an initial
#: "unknown" or "ineligible" is not a change anyone should be told about).
FIRST_NEWS = frozenset({"eligible", "near"})


@dataclass(frozen=True, slots=True)
class Subject:
    """Who an evaluation is about, for the event (name) and its date (the profile's as_of),
    and the correlation id of the change that caused it (None: the batch's own, if any)."""

    name: str
    as_of: date
    correlation_id: str | None = None


def evaluate_profile(
    profile: Profile, *, overrides: Mapping[str, Any] | None, tiers: Sequence[str] | None = None
) -> dict[str, TierResult]:
    """Every (or the named) tier's result, keyed by tier."""
    known = catalogue()  # an override of a parameter no rulebook has any more is ignored
    engine_overrides = {
        k: Decimal(str(v)) for k, v in (overrides or {}).items() if k in known
    } or None
    results = evaluate(profile, tiers=tiers, overrides=engine_overrides)  # type: ignore[arg-type]
    return {str(tier): result for tier, result in results.items()}


@dataclass(frozen=True, slots=True)
class EvaluationRecord:
    """One tier's evaluation ready to store: its typed outcome (for the rank keys, the event
    and the impact) and its ``evaluation`` columns, the answer as JSON among them."""

    uscc: str
    tier: str
    outcome: TierOutcome
    columns: dict[str, Any]


def evaluation_record(
    uscc: str, tier: str, result: TierResult, digest: str, now: datetime
) -> EvaluationRecord:
    """The record of one tier result: the answer becomes JSON here, for its column."""
    answer, outcome = result.answer_and_outcome()
    return EvaluationRecord(
        uscc, tier, outcome, evaluation_row(uscc, tier, outcome, answer, digest, now))


def evaluation_row(
    uscc: str, tier: str, outcome: TierOutcome, answer: Mapping[str, Any], digest: str,
    now: datetime,
) -> dict[str, Any]:
    """The ``evaluation`` row of one outcome (sort keys included) and its answer as stored."""
    key = rank_key(outcome)
    return {
        "uscc": uscc, "tier": tier, "verdict": outcome.verdict,
        "route": outcome.route, "score_milli": key.score_milli, "failing": key.failing,
        "rank_group": key.group, "rank_a": key.a, "rank_b": key.b,
        "rulebook_version": outcome.rulebook_version,
        "uses_local_parameter": outcome.uses_local_parameter,
        "profile_hash": digest, "result": dict(answer), "evaluated_at": now,
    }  # fmt: skip


def save_evaluations(
    session: Session,
    records: Sequence[EvaluationRecord],
    previous: Mapping[tuple[str, str], Previous],
    *,
    subjects: Mapping[str, Subject],
    correlation_id: str | None = None,
    write_batch: int | None = None,
) -> int:
    """Insert new rows, update existing ones, emit an event per moved verdict; returns moves.

    An unchanged answer (same digest) is not rewritten; the held answers are read only for
    the verdicts that moved, before the writes (``previous_outcomes``).

    ``write_batch`` bounds the rows per executemany (a re-evaluation's
    ``SCORING_REEVALUATION_WRITE_BATCH``); None writes each kind in one statement. The events
    go to the outbox in one executemany too (issue 16: one INSERT per move was a round trip
    each), in the order of ``records``.
    """
    befores = previous_outcomes(session, records, previous)  # before the writes replace them
    new = [r.columns for r in records if (r.uscc, r.tier) not in previous]
    held = [r.columns for r in records if (r.uscc, r.tier) in previous]
    write_evaluations(session, new, held, previous=previous, batch=write_batch)
    events: list[EligibilityChanged] = []
    for record in records:
        key = (record.uscc, record.tier)
        if _is_news(previous.get(key), record.outcome.verdict):
            subject = subjects[record.uscc]
            events.append(eligibility_changed(
                uscc=record.uscc, tier=record.tier, after=record.outcome,
                before=befores.get(key),
                enterprise_name=subject.name, as_of=subject.as_of,
                correlation_id=subject.correlation_id or correlation_id,
            ))
    return add_events(session, outbox, events)


def previous_outcomes(
    session: Session, records: Sequence[EvaluationRecord],
    previous: Mapping[tuple[str, str], Previous],
) -> dict[tuple[str, str], TierOutcome | None]:
    """The stored answers, typed, of the records whose held verdict moved: the only ones an
    event or an impact row needs, read in one bounded-IN pass (issue 16)."""
    moved = [(r.uscc, r.tier) for r in records
             if (held := previous.get((r.uscc, r.tier))) is not None
             and held.verdict != r.outcome.verdict]
    return load_outcomes(session, moved) if moved else {}


def _is_news(before: Previous | None, after: str) -> bool:
    if before is None:
        return after in FIRST_NEWS
    return before.verdict != after
