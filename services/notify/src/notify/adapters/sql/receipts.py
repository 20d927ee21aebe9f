"""SMS delivery receipts into the deliveries: the notice's lifecycle records each one.

A receipt names the provider's message id; the delivery sent under it becomes ``delivered``
(the handset got it) or ``failed`` permanently with the operator's status, and its notice's
status is derived again. A receipt for an unknown id, or for a delivery already settled by an
earlier receipt, changes nothing (providers push receipts at least once).

A receipt can overtake the sender: the provider accepted the message, but the sender has not
yet committed the message id (the row is still ``sending``). Such receipts are counted as
*early* (Alibaba names our delivery id in ``out_id``), and the callback answers "retry later"
so the provider pushes them again once the row says ``sent``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from notify.adapters.channels.sms.receipts import Receipt
from notify.adapters.sql.bulk import one_of
from notify.adapters.sql.notice_status import refresh_notice_status
from notify.models.delivery import Delivery

SMS_NOT_RECEIVED = "投递失败：短信未送达手机 / delivery failed: SMS not received by the handset"


def apply_receipts(session: Session, receipts: Sequence[Receipt], now: datetime
                   ) -> tuple[int, int]:
    """Record ``receipts`` on their deliveries; (how many changed a delivery, how many came
    early: their delivery is still being sent)."""
    if not receipts:
        return 0, 0
    by_ref = {r.provider_ref: r for r in receipts}
    rows = session.scalars(select(Delivery).where(
        one_of(session, Delivery.provider_ref, list(by_ref)), Delivery.channel == "sms",
        Delivery.state == "sent").with_for_update())
    changed = []
    seen = set()
    for delivery in rows:
        seen.add(delivery.provider_ref)
        receipt = by_ref[delivery.provider_ref or ""]
        delivery.receipt_at, delivery.updated_at = now, now
        if receipt.delivered:
            delivery.state = "delivered"
        else:
            delivery.state, delivery.failure = "failed", "permanent"
            delivery.last_error = f"{SMS_NOT_RECEIVED} ({receipt.code})"
        changed.append(delivery.notice_id)
    session.flush()
    refresh_notice_status(session, changed)
    return len(changed), _early(session, [r for r in receipts if r.provider_ref not in seen])


def _early(session: Session, unmatched: Sequence[Receipt]) -> int:
    """How many unmatched receipts name a delivery that is still ``sending``."""
    ids = []
    for receipt in unmatched:
        try:
            ids.append(uuid.UUID(receipt.out_id or ""))
        except ValueError:
            continue
    if not ids:
        return 0
    return len(list(session.scalars(select(Delivery.id).where(
        one_of(session, Delivery.id, ids), Delivery.channel == "sms",
        Delivery.state == "sending", Delivery.provider_ref.is_(None)))))
