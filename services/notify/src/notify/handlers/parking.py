"""Use cases of the parking ledger: list, inspect, ask for a replay.

A replay request is a row change only (gunicorn never speaks AMQP); the sender's parking
keeper republishes requested rows to their source queue with a fresh attempt count. A parked
delivery is reset to ``queued`` in the same transaction, so its state check lets the replay
through exactly once. Never commits.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from notify.adapters.sql.notice_status import refresh_notice_status
from notify.domain.messages import parse_delivery
from notify.models.delivery import Delivery
from notify.models.parked import ParkedMessage
from yumiao_common.clock import utcnow
from yumiao_common.web.errors import Conflict
from yumiao_common.web.errors import NotFound


def get_parked(session: Session, parked_id: uuid.UUID) -> ParkedMessage:
    row = session.get(ParkedMessage, parked_id)
    if row is None:
        raise NotFound("停放消息不存在 / Parked message not found")
    return row


def request_replay(session: Session, *, parked_id: uuid.UUID, actor: str) -> ParkedMessage:
    row = get_parked(session, parked_id)
    if row.status != "parked":
        raise Conflict(f"该消息状态为 {row.status}，不可重放 / Message is {row.status}; "
                       "only parked messages can be replayed")
    row.status, row.replay_requested_by = "replay_requested", actor
    delivery_id = _delivery_id(row)
    if delivery_id is not None:
        delivery = session.get(Delivery, delivery_id)
        if delivery is not None and delivery.state == "failed":
            delivery.state, delivery.failure, delivery.attempts = "queued", None, 0
            delivery.updated_at = utcnow()
            session.flush()
            refresh_notice_status(session, [delivery.notice_id])
    session.flush()
    return row


def _delivery_id(row: ParkedMessage) -> uuid.UUID | None:
    try:
        return parse_delivery(row.body).payload.delivery_id
    except ValueError:
        return None
