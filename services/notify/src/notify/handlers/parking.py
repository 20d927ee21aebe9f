"""Use cases of notify's parking ledger: the shared ones, plus notify's own step of a replay.

A parked delivery is reset to ``queued`` in the replay request's transaction, so the sender's
state check lets the replayed message through exactly once. Never commits.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from notify.adapters.sql.notice_status import refresh_notice_status
from notify.domain.messages import parse_delivery
from notify.models.delivery import Delivery
from notify.models.parked import ParkedMessage
from yumiao_common.clock import utcnow
from yumiao_common.parking import handlers


def get_parked(session: Session, parked_id: uuid.UUID) -> ParkedMessage:
    row: ParkedMessage = handlers.get_parked(session, ParkedMessage, parked_id)
    return row


def request_replay(session: Session, *, parked_id: uuid.UUID, actor: str,
                   reason: str | None = None) -> ParkedMessage:
    row: ParkedMessage = handlers.request_replay(
        session, ParkedMessage, parked_id=parked_id, actor=actor, reason=reason,
        on_replay=reset_delivery)
    return row


def reset_delivery(session: Session, row: Any) -> None:
    """The failed delivery a parked message carries goes back to ``queued`` (attempts 0)."""
    delivery_id = _delivery_id(row)
    if delivery_id is None:
        return
    delivery = session.get(Delivery, delivery_id)
    if delivery is not None and delivery.state == "failed":
        delivery.state, delivery.failure, delivery.attempts = "queued", None, 0
        delivery.updated_at = utcnow()
        session.flush()
        refresh_notice_status(session, [delivery.notice_id])


def _delivery_id(row: Any) -> uuid.UUID | None:
    try:
        return parse_delivery(row.body).payload.delivery_id
    except ValueError:
        return None
