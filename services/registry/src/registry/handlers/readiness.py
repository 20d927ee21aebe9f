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
from sqlalchemy import tuple_
from sqlalchemy.orm import Session

from registry.models import Readiness
from yumiao_common.contracts.base import Event
from yumiao_common.contracts.scoring import EligibilityChanged

#: (uscc, tier) pairs per locking read: a consumer batch (up to its prefetch) in a few statements.
LOCK_CHUNK = 500


def apply_eligibility(session: Session, events: Iterable[Event]) -> int:
    """Upsert the verdicts the events carry; returns how many rows changed.

    The batch's rows are read and locked together, in one key order (concurrent consumers
    lock alike), and written in one flush: a province import sends ~70,000 of these events,
    and a locking read plus a flush per event left this consumer the pipeline's last stage
    minutes after scoring had finished (issue 16). Events are applied in their order, so two
    of one firm and tier in a batch meet the same rules as in two batches."""
    changes = [e for e in events if isinstance(e, EligibilityChanged)]
    if not changes:
        return 0
    rows = _locked(session, sorted({(e.payload.uscc, e.payload.tier) for e in changes}))
    changed = 0
    for event in changes:
        p = event.payload
        row = rows.get((p.uscc, p.tier))
        if row is None:
            row = rows[(p.uscc, p.tier)] = Readiness(uscc=p.uscc, tier=p.tier)
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
        changed += 1
    session.flush()
    return changed


def _locked(session: Session, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Readiness]:
    """The stored rows of ``keys`` (sorted), locked for the transaction, by key."""
    found: dict[tuple[str, str], Readiness] = {}
    for start in range(0, len(keys), LOCK_CHUNK):
        chunk = keys[start:start + LOCK_CHUNK]
        stmt = (select(Readiness)
                .where(tuple_(Readiness.uscc, Readiness.tier).in_(chunk))
                .order_by(Readiness.uscc, Readiness.tier).with_for_update())
        found.update({(row.uscc, row.tier): row for row in session.scalars(stmt)})
    return found


def _aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
