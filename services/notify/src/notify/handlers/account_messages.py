"""Use cases of the gateway's account messages: queue one to a consenting contact, read its state.

The gateway (which speaks no AMQP) asks for these over notify's internal API; each becomes a
notice of an account kind with exactly one delivery and one outbox row, written in one
transaction, so it leaves through the same relay and sender (retries, parking, SMS caps and
receipts, the opt-out check at send time) as every push — there is no second sender.

Exactly one message per request: the contact is chosen here from notify's copy of the
registry's contact list (consent given, no opt-out), e-mail first for ``auto``. The notice key
is derived from the gateway's idempotency key, so a retried request queues nothing twice.
The text holds a one-time link or code: it is stored for the sender only, never listed.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from notify.adapters.sql.contacts import ContactTarget
from notify.adapters.sql.contacts import reachable
from notify.domain.messages import DeliveryRequested
from notify.domain.messages import DeliveryRequestedPayload
from notify.models.delivery import Delivery
from notify.models.messaging import outbox_table
from notify.models.notice import ACCOUNT_KINDS
from notify.models.notice import Notice
from yumiao_common.clock import utcnow
from yumiao_common.messaging.outbox import add_events
from yumiao_common.personal_data import mask_address
from yumiao_common.web.errors import NotFound

NOT_FOUND = "消息不存在 / Message not found"
#: Which contact channels ``auto`` tries, in order.
PREFERENCE = {"email": ("email",), "sms": ("sms",), "auto": ("email", "sms")}


def notice_key(key: str) -> str:
    return hashlib.sha256(f"account-message:{key}".encode()).hexdigest()


def pick_target(targets: Sequence[ContactTarget], channel: str) -> ContactTarget | None:
    """The one contact target a message goes to (first consenting contact of the channel)."""
    for wanted in PREFERENCE[channel]:
        for target in targets:
            if target.channel == wanted:
                return target
    return None


def queue_account_messages(session: Session, *, messages: list[dict[str, Any]], actor: str,
                           correlation_id: str | None = None) -> list[dict[str, Any]]:
    """Queue each message to one consenting contact; ``no_contact`` when the firm has none."""
    keys = {notice_key(m["key"]): m for m in messages}
    held = {n.notice_key: n for n in session.scalars(
        select(Notice).where(Notice.notice_key.in_(list(keys))))}
    targets = reachable(session, sorted({m["uscc"] for m in messages}))
    out = []
    for key, message in keys.items():
        notice = held.get(key)
        if notice is None:
            target = pick_target(targets.get(message["uscc"], []), message["channel"])
            if target is None:
                out.append(_result(message, None, None))
                continue
            notice = _queue(session, message, target, key, actor, correlation_id)
        out.append(_result(message, notice, _delivery_of(session, notice.id)))
    return out


def _queue(session: Session, message: dict[str, Any], target: ContactTarget, key: str,
           actor: str, correlation_id: str | None) -> Notice:
    now = utcnow()
    notice = Notice(
        id=uuid.uuid4(), notice_key=key, uscc=message["uscc"],
        enterprise_name=message["enterprise_name"] or message["uscc"], kind=message["kind"],
        cause={"requested_by": actor, "sms_params": message["sms_params"]},
        rulebook_version="-", language="zh-CN", template=message["kind"],
        template_version="gateway", subject=message["subject"], body=message["body"],
        status="queued", correlation_id=correlation_id, created_at=now, updated_at=now)
    session.add(notice)
    session.flush()  # no relationship between the two: the notice row must exist first
    delivery = Delivery(id=uuid.uuid4(), notice_id=notice.id, channel=target.channel,
                        target=target.address, recipient=target.recipient, state="queued",
                        attempts=0, correlation_id=correlation_id, created_at=now,
                        updated_at=now)
    session.add(delivery)
    session.flush()
    add_events(session, outbox_table, [DeliveryRequested(
        correlation_id=correlation_id, payload=DeliveryRequestedPayload(
            delivery_id=delivery.id, notice_id=notice.id, channel=delivery.channel))])
    return notice


def _delivery_of(session: Session, notice_id: uuid.UUID) -> Delivery | None:
    return session.scalar(select(Delivery).where(Delivery.notice_id == notice_id))


def _result(message: dict[str, Any], notice: Notice | None, delivery: Delivery | None
            ) -> dict[str, Any]:
    return {"key": message["key"], "uscc": message["uscc"],
            "status": "queued" if notice is not None else "no_contact",
            "message_id": notice.id if notice is not None else None,
            "channel": delivery.channel if delivery else None,
            "sent_to": mask_address(delivery.target) if delivery else None}


def message_state(session: Session, *, message_id: uuid.UUID) -> dict[str, Any]:
    """Where an account message is (queued, sent, delivered, failed), without its text."""
    notice = session.get(Notice, message_id)
    if notice is None or notice.kind not in ACCOUNT_KINDS:
        raise NotFound(NOT_FOUND)
    delivery = _delivery_of(session, notice.id)
    return {"id": notice.id, "uscc": notice.uscc, "kind": notice.kind, "status": notice.status,
            "channel": delivery.channel if delivery else None,
            "sent_to": mask_address(delivery.target) if delivery else None,
            "state": delivery.state if delivery else None,
            "failure_reason": notice.failure_reason, "sent_at": delivery.sent_at if delivery
            else None, "created_at": notice.created_at}
