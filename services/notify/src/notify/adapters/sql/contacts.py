"""notify's copy of the registry's contact lists: stored newest-wins, read to address notices.

``store_snapshots`` keeps, per enterprise, the contact list with the highest version seen, so
a snapshot redelivered or overtaken by a newer one changes nothing. ``reachable`` answers the
(channel, address, recipient) triples a notice may use: consent given and no opt-out.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy.orm import Session

from notify.adapters.sql.bulk import one_of
from notify.models.contact import ContactList
from yumiao_common.contracts.registry import ContactsChangedPayload


@dataclass(frozen=True)
class ContactTarget:
    channel: str  #: "sms" or "email"
    address: str
    recipient: str  #: ``contact:<id>``


def store_snapshots(session: Session, payloads: Sequence[ContactsChangedPayload],
                    now: datetime) -> None:
    """Keep the newest contact list per enterprise (older or equal versions are dropped)."""
    newest: dict[str, ContactsChangedPayload] = {}
    for p in payloads:
        if p.uscc not in newest or p.version > newest[p.uscc].version:
            newest[p.uscc] = p
    if not newest:
        return
    held = {row.uscc: row for row in session.scalars(
        select(ContactList).where(one_of(session, ContactList.uscc, list(newest)))
        .with_for_update())}
    for uscc, p in newest.items():
        contacts = [c.model_dump() for c in p.contacts]
        row = held.get(uscc)
        if row is None:
            session.add(ContactList(uscc=uscc, enterprise_name=p.enterprise_name,
                                    version=p.version, contacts=contacts, updated_at=now))
        elif p.version > row.version:
            row.enterprise_name, row.version = p.enterprise_name, p.version
            row.contacts, row.updated_at = contacts, now
    session.flush()


def forget_contact_lists(session: Session) -> int:
    """Delete every stored contact list (``reset-contacts``); returns how many there were.

    For a registry restored older than notify: notify's lists then carry versions the registry
    has not reached, so the registry's re-published lists (and its next edits, until their
    versions pass them) would be dropped as older. Emptied, any version is accepted again.
    """
    result = session.execute(delete(ContactList))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def targets_of(contacts: Iterable[dict[str, Any]]) -> list[ContactTarget]:
    """Every channel each contact agreed to and did not opt out of."""
    out = []
    for c in contacts:
        recipient = f"contact:{c['id']}"
        if c.get("mobile") and c.get("sms_consent") and not c.get("sms_opt_out"):
            out.append(ContactTarget("sms", c["mobile"], recipient))
        if c.get("email") and c.get("email_consent") and not c.get("email_opt_out"):
            out.append(ContactTarget("email", c["email"], recipient))
    return out


def reachable(session: Session, usccs: Sequence[str]) -> dict[str, list[ContactTarget]]:
    """uscc → the contact targets it may be reached at (only enterprises with some)."""
    if not usccs:
        return {}
    rows = session.scalars(select(ContactList).where(one_of(session, ContactList.uscc,
                                                            list(usccs))))
    out = {row.uscc: targets_of(row.contacts) for row in rows}
    return {uscc: targets for uscc, targets in out.items() if targets}


def still_reachable(session: Session, uscc: str, channel: str, recipient: str) -> bool:
    """Whether the contact may still be reached on ``channel`` (an opt-out since queueing)."""
    row = session.get(ContactList, uscc)
    if row is None:
        return False
    return any(t.channel == channel and t.recipient == recipient
               for t in targets_of(row.contacts))
