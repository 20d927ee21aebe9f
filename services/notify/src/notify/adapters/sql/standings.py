"""notify's copy of scoring's verdicts: who is eligible or near for which tier, newest wins.

Fed by the ``scoring.eligibility.changed`` events the consumer already receives (a firm's first
evaluation for a tier is announced too, ``before`` = None), so the window reminders and the
portal's "policies for me" read one local table instead of calling scoring. An event older
than the standing held (a redelivery overtaken by a newer verdict) changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from notify.adapters.sql.bulk import one_of
from notify.models.window import TierStanding
from yumiao_common.contracts.scoring import EligibilityChanged

#: The verdicts a window reminder goes to: those who qualify, and those close to it.
REMINDED = ("eligible", "near")


def store_standings(session: Session, events: Sequence[EligibilityChanged]) -> None:
    """Keep the newest verdict per (uscc, tier) among ``events`` and what is stored."""
    newest: dict[tuple[str, str], EligibilityChanged] = {}
    for e in events:
        key = (e.payload.uscc, e.payload.tier)
        if key not in newest or e.occurred_at > newest[key].occurred_at:
            newest[key] = e
    if not newest:
        return
    usccs = sorted({uscc for uscc, _ in newest})
    held = {(r.uscc, r.tier): r for r in session.scalars(
        select(TierStanding).where(one_of(session, TierStanding.uscc, usccs))
        .with_for_update())}
    for (uscc, tier), e in newest.items():
        row = held.get((uscc, tier))
        if row is None:
            session.add(TierStanding(uscc=uscc, tier=tier, verdict=e.payload.after,
                                     enterprise_name=e.payload.enterprise_name,
                                     observed_at=e.occurred_at))
        elif e.occurred_at >= row.observed_at:
            row.verdict, row.enterprise_name = e.payload.after, e.payload.enterprise_name
            row.observed_at = e.occurred_at
    session.flush()


def standings_of(session: Session, uscc: str) -> dict[str, str]:
    """tier → verdict for one firm."""
    rows = session.scalars(select(TierStanding).where(TierStanding.uscc == uscc))
    return {r.tier: r.verdict for r in rows}


def reminded_firms(session: Session, tiers: Sequence[str]) -> dict[str, list[TierStanding]]:
    """tier → the firms eligible or near for it, by credit code."""
    out: dict[str, list[TierStanding]] = {t: [] for t in tiers}
    if not tiers:
        return out
    rows = session.scalars(
        select(TierStanding).where(one_of(session, TierStanding.tier, list(tiers)),
                                   TierStanding.verdict.in_(REMINDED))
        .order_by(TierStanding.tier, TierStanding.uscc))
    for r in rows:
        out[r.tier].append(r)
    return out
