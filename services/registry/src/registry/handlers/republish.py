"""Re-publish the registry's current state, so scoring and notify can be rebuilt from it.

After a restore (docs/operations.md, "When the restored registry is older than scoring's read
model" and "When notify is restored alone, or is older or newer than the registry"), the
operator runs ``flask --app registry.app republish-snapshots``: every enterprise (or the
chosen ones) gets,
per kind asked for (both by default), one event carrying its current state, written to the
outbox that the relay publishes:

* ``enterprise``: ``registry.enterprise.changed`` with the profile snapshot, town and pools —
  everything scoring derives (its read model is emptied first: ``flask --app scoring.app
  reset-read-model``).
* ``contacts``: ``registry.contacts.changed`` with the whole current contact list — the only
  registry state notify keeps (its ``contact_lists``; the other registry events it takes are
  one-off occasions for a notice, not state, and are not re-sent: re-sending them would notify
  firms again of things they were already told).

Both are marked ``change="republished"``. Nothing changed, so no version is bumped: each
event carries the version the enterprise has (``profile_version``, ``contacts_version``), and
a consumer that already holds it keeps what it has (scoring and notify accept only a newer
version; notify creates no notice from a contact list). Each event gets an audit row (action
``republish``, entity ``enterprise`` or ``contact_list``) with the operator and the reason,
under the run's correlation id.

Enterprises are processed in batches of ids, each batch its own transaction (the caller commits
it), so a run over thousands of firms holds no long transaction and stops where it failed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.handlers.common import active_pools
from registry.handlers.contacts import contacts_event
from registry.handlers.journal import Who
from registry.handlers.journal import audit
from registry.handlers.journal import emit
from registry.handlers.profile import build_profile
from registry.models import Enterprise
from yumiao_common.contracts.registry import EnterpriseChanged
from yumiao_common.contracts.registry import EnterpriseChangedPayload

#: The ``change`` of a re-published snapshot (nothing changed; the state is sent again).
REPUBLISHED = "republished"
#: What can be re-published, each for the service that derives state from it.
ENTERPRISE, CONTACTS = "enterprise", "contacts"
KINDS: tuple[str, ...] = (ENTERPRISE, CONTACTS)


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


def republish_snapshots(
    session: Session, *, enterprise_ids: Sequence[int], who: Who,
    kinds: Sequence[str] = KINDS,
) -> dict[str, int]:
    """Write, per enterprise and kind, one event and one audit row (never commits); returns
    how many events of each kind were written.

    The rows are share-locked for the transaction, so a change committed meanwhile cannot
    slip between the version read and the state built from it (every registry write,
    contacts included, locks its enterprise row first).
    """
    stmt = (select(Enterprise).where(Enterprise.id.in_(list(enterprise_ids)))
            .order_by(Enterprise.id).with_for_update(read=True))
    counts = dict.fromkeys(kinds, 0)
    for enterprise in session.scalars(stmt):
        if ENTERPRISE in counts:
            emit(session, EnterpriseChanged(
                correlation_id=who.request_id,
                payload=EnterpriseChangedPayload(
                    profile=build_profile(session, enterprise),
                    change=REPUBLISHED,
                    version=enterprise.profile_version or 0,
                    town_code=enterprise.town_code,
                    pools=active_pools(session, enterprise),
                ),
            ))
            audit(session, enterprise=enterprise, entity="enterprise", entity_id=enterprise.id,
                  action="republish", changes={}, who=who)  # the empty diff: nothing changed
            counts[ENTERPRISE] += 1
        if CONTACTS in counts:
            emit(session, contacts_event(session, enterprise, who=who, change=REPUBLISHED))
            audit(session, enterprise=enterprise, entity="contact_list",
                  entity_id=enterprise.id, action="republish", changes={}, who=who)
            counts[CONTACTS] += 1
    return counts
