"""Re-publish full profile snapshots, so scoring and notify can be rebuilt from the registry.

After a restore (docs/operations.md, "When the restored registry is older than scoring's read
model"), the operator empties scoring's read model and runs ``flask --app registry.app
republish-snapshots``: every enterprise (or the chosen ones) gets one
``registry.enterprise.changed`` event carrying its current snapshot, written to the outbox that
the relay publishes. Nothing changed, so ``profile_version`` is not bumped: the event carries
the version the enterprise has, and a consumer that already holds it keeps what it has (scoring
accepts only a newer version). Each event gets an audit row (action ``republish``) with the
operator and the reason, under the run's correlation id.

Enterprises are processed in batches of ids, each batch its own transaction (the caller commits
it), so a run over thousands of firms holds no long transaction and stops where it failed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.handlers.common import active_pools
from registry.handlers.journal import Who
from registry.handlers.journal import audit
from registry.handlers.journal import emit
from registry.handlers.profile import build_profile
from registry.models import Enterprise
from yumiao_common.contracts.registry import EnterpriseChanged
from yumiao_common.contracts.registry import EnterpriseChangedPayload

#: The ``change`` of a re-published snapshot (nothing changed; the state is sent again).
REPUBLISHED = "republished"


def enterprise_ids_to_republish(
    session: Session, *, usccs: Sequence[str] = (), since: datetime | None = None
) -> list[int]:
    """Ids of the enterprises to re-publish, in id order: all, those named, or those changed
    at or after ``since`` (both filters together narrow)."""
    stmt = select(Enterprise.id).order_by(Enterprise.id)
    if usccs:
        stmt = stmt.where(Enterprise.uscc.in_(list(usccs)))
    if since is not None:
        stmt = stmt.where(Enterprise.updated_at >= since)
    return list(session.scalars(stmt))


def republish_snapshots(session: Session, *, enterprise_ids: Sequence[int], who: Who) -> int:
    """Write one snapshot event and one audit row per enterprise (never commits).

    The rows are share-locked for the transaction, so a change committed meanwhile cannot
    slip between the version read and the snapshot built from it.
    """
    stmt = (select(Enterprise).where(Enterprise.id.in_(list(enterprise_ids)))
            .order_by(Enterprise.id).with_for_update(read=True))
    count = 0
    for enterprise in session.scalars(stmt):
        version = enterprise.profile_version or 0
        emit(session, EnterpriseChanged(
            correlation_id=who.request_id,
            payload=EnterpriseChangedPayload(
                profile=build_profile(session, enterprise),
                change=REPUBLISHED,
                version=version,
                town_code=enterprise.town_code,
                pools=active_pools(session, enterprise),
            ),
        ))
        audit(session, enterprise=enterprise, entity="enterprise", entity_id=enterprise.id,
              action="republish", changes={}, who=who)  # the empty diff: nothing changed
        count += 1
    return count
