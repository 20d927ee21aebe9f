"""The readiness read model, fed by ``scoring.eligibility.changed`` (``python -m
registry.consumer``).

Choice (issue 12): the registry keeps scoring's latest verdict per enterprise × tier in its
own table instead of calling scoring or letting the gateway stitch two answers together.
Reserve-round candidates then need the registry's own facts (titles held, memberships) and
the ranking in one keyset-paged SQL statement, and the worklist's "became eligible or near
since my last visit" needs *when* the verdict changed — which is exactly what the event
carries. An older event never overwrites a newer verdict (the relay does not promise order
across batches): the row keeps the latest ``occurred_at``. The score kept is the lower end
of scoring's range (``score.min``: what the firm reaches for certain), which the candidate
list orders and thresholds by.

What it cannot know: scoring emits the event when a verdict moves (or first says eligible or
near), so a score that changes within the same verdict is the one from the last move; and a
deployment that starts this consumer late has only the moves since. Rebuilding scoring's read
model (``flask --app scoring.app reset-read-model`` then ``flask --app registry.app
republish-snapshots``, docs/operations.md) re-announces every eligible and near firm;
``flask --app scoring.app announce-verdicts`` re-announces every verdict unchanged
(``before == after``), which fills missing rows and leaves a row already holding that verdict
as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.models import Readiness
from yumiao_common.contracts.base import Event
from yumiao_common.contracts.scoring import EligibilityChanged


def apply_eligibility(session: Session, events: Iterable[Event]) -> int:
    """Upsert the verdicts the events carry; returns how many rows changed."""
    changed = 0
    for event in events:
        if not isinstance(event, EligibilityChanged):
            continue
        p = event.payload
        row = session.scalars(select(Readiness).where(
            Readiness.uscc == p.uscc, Readiness.tier == p.tier).with_for_update()).one_or_none()
        if row is None:
            row = Readiness(uscc=p.uscc, tier=p.tier)
            session.add(row)
        elif _aware(row.changed_at) > event.occurred_at:
            continue
        elif p.before == p.after == row.verdict:
            continue  # scoring's announce-verdicts: nothing moved; keep when it last did
        row.verdict = p.after
        row.score = p.score.min if p.score is not None else None
        row.rulebook_version = p.rulebook_version[:60]
        row.as_of = p.as_of
        row.changed_at = event.occurred_at
        session.flush()
        changed += 1
    return changed


def _aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
