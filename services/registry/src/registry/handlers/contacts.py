"""Use cases on an enterprise's contacts: list, read, add, change (with version), remove.

Every change locks the enterprise row (as every registry write does), writes an audit row
whose diff masks the mobile number and e-mail address (viewers read the audit trail), bumps
``contacts_version`` and puts the whole contact list on the outbox as
``registry.contacts.changed``: notify learns whom it may reach, and how, from that event only.
Contacts are not part of the profile snapshot, so no re-scoring follows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.domain.contacts import CONTACT_FIELDS
from registry.domain.contacts import contact_problems
from registry.domain.contacts import masked
from registry.handlers.common import MAX_ID
from registry.handlers.common import check_version
from registry.handlers.common import get_enterprise
from registry.handlers.journal import Who
from registry.handlers.journal import audit
from registry.handlers.journal import diff
from registry.handlers.journal import emit
from registry.handlers.journal import snapshot
from registry.models import Contact
from registry.models import Enterprise
from registry.models.contact import MAX_CONTACTS
from yumiao_common.contracts.registry import Contact as ContactOnWire
from yumiao_common.contracts.registry import ContactsChanged
from yumiao_common.contracts.registry import ContactsChangedPayload
from yumiao_common.web.errors import Conflict
from yumiao_common.web.errors import NotFound
from yumiao_common.web.errors import ValidationFailed

ENTITY = "contact"


def _not_found(contact_id: int) -> NotFound:
    return NotFound("联系人不存在 / Contact not found", details={"id": contact_id},
                    code="contact_not_found")


def _load(session: Session, enterprise: Enterprise, contact_id: int) -> Contact:
    if not 0 < contact_id <= MAX_ID:
        raise _not_found(contact_id)
    contact = session.scalars(select(Contact).where(
        Contact.id == contact_id, Contact.enterprise_id == enterprise.id)).one_or_none()
    if contact is None:
        raise _not_found(contact_id)
    return contact


def _checked(values: dict[str, Any]) -> dict[str, Any]:
    problems = contact_problems(values)
    if problems:
        raise ValidationFailed(fields=problems)
    return values


def page_contacts(
    session: Session, *, uscc: str, after: int, limit: int
) -> tuple[list[Contact], bool]:
    """The enterprise's contacts after id ``after``, oldest first; and whether more follow."""
    enterprise = get_enterprise(session, uscc)
    rows = list(session.scalars(
        select(Contact).where(Contact.enterprise_id == enterprise.id, Contact.id > after)
        .order_by(Contact.id).limit(limit + 1)))
    return rows[:limit], len(rows) > limit


def get_contact(session: Session, *, uscc: str, contact_id: int) -> Contact:
    return _load(session, get_enterprise(session, uscc), contact_id)


def create_contact(session: Session, *, uscc: str, data: dict[str, Any], who: Who) -> Contact:
    """Add a contact (at most ``MAX_CONTACTS`` per enterprise)."""
    enterprise = get_enterprise(session, uscc, lock=True)
    count = session.scalar(select(func.count()).select_from(Contact)
                           .where(Contact.enterprise_id == enterprise.id)) or 0
    if count >= MAX_CONTACTS:
        raise Conflict(f"每家企业最多{MAX_CONTACTS}位联系人 / At most {MAX_CONTACTS} contacts "
                       "per enterprise", code="too_many_contacts",
                       details={"limit": MAX_CONTACTS})
    values = _checked({f: data.get(f) for f in CONTACT_FIELDS}
                      | {f: bool(data.get(f, False)) for f in CONTACT_FIELDS
                         if f.endswith(("_consent", "_opt_out"))})
    contact = Contact(enterprise_id=enterprise.id, **values)
    session.add(contact)
    session.flush()
    audit(session, enterprise=enterprise, entity=ENTITY, entity_id=contact.id, action="create",
          changes=diff({}, masked(snapshot(contact, CONTACT_FIELDS))), who=who)
    contacts_changed(session, enterprise, who=who)
    return contact


def update_contact(
    session: Session, *, uscc: str, contact_id: int, data: dict[str, Any],
    version: int | None, who: Who,
) -> Contact:
    """Change some fields of a contact; a stale ``version`` is refused with 409."""
    enterprise = get_enterprise(session, uscc, lock=True)
    contact = _load(session, enterprise, contact_id)
    check_version(contact.version, version)
    before = snapshot(contact, CONTACT_FIELDS)
    merged = _checked(before | {f: data[f] for f in CONTACT_FIELDS if f in data})
    for field in CONTACT_FIELDS:
        setattr(contact, field, merged[field])
    changes = diff(masked(before), masked(snapshot(contact, CONTACT_FIELDS)))
    if before != snapshot(contact, CONTACT_FIELDS):
        session.flush()
        audit(session, enterprise=enterprise, entity=ENTITY, entity_id=contact.id,
              action="update", changes=changes, who=who)
        contacts_changed(session, enterprise, who=who)
    return contact


def delete_contact(
    session: Session, *, uscc: str, contact_id: int, version: int | None, who: Who
) -> None:
    """Remove a contact; the audit row keeps what it held, masked."""
    enterprise = get_enterprise(session, uscc, lock=True)
    contact = _load(session, enterprise, contact_id)
    check_version(contact.version, version)
    changes = diff(masked(snapshot(contact, CONTACT_FIELDS)), {})
    session.delete(contact)
    session.flush()
    audit(session, enterprise=enterprise, entity=ENTITY, entity_id=contact_id,
          action="delete", changes=changes, who=who)
    contacts_changed(session, enterprise, who=who)


def contacts_changed(session: Session, enterprise: Enterprise, *, who: Who) -> None:
    """Bump ``contacts_version`` and put the whole contact list on the outbox."""
    enterprise.contacts_version = (enterprise.contacts_version or 0) + 1
    session.flush()
    emit(session, contacts_event(session, enterprise, who=who))


def contacts_event(
    session: Session, enterprise: Enterprise, *, who: Who, change: str = "changed"
) -> ContactsChanged:
    """The enterprise's whole contact list at its current ``contacts_version``, as the event
    notify stores; ``republish`` sends the same event again with ``change="republished"``."""
    rows = session.scalars(select(Contact).where(Contact.enterprise_id == enterprise.id)
                           .order_by(Contact.id))
    return ContactsChanged(
        correlation_id=who.request_id,
        payload=ContactsChangedPayload(
            uscc=enterprise.uscc, enterprise_name=enterprise.name,
            version=enterprise.contacts_version or 0, change=change,
            contacts=tuple(ContactOnWire(id=c.id, **snapshot(c, CONTACT_FIELDS)) for c in rows),
        ),
    )
