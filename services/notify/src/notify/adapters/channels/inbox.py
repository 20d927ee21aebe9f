"""The in-app inbox: every notice is stored here first, whatever the push channels do.

Storing the notice is its in-app delivery; capped or failed pushes still leave it readable
here. Read state is the enterprise's own toggle (PATCH read true/false).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from notify.adapters.channels.egress import shown_url
from notify.models.delivery import Delivery
from notify.models.notice import Notice
from yumiao_common.clock import utcnow
from yumiao_common.personal_data import mask_address
from yumiao_common.web.errors import NotFound


def mark_read(session: Session, *, uscc: str, notice_id: uuid.UUID, read: bool) -> Notice:
    """Set or clear the read mark of one of ``uscc``'s notices; never commits."""
    notice = session.get(Notice, notice_id)
    if notice is None or notice.uscc != uscc:
        raise NotFound("通知不存在 / Notice not found")
    if read and notice.read_at is None:
        notice.read_at = utcnow()
    elif not read:
        notice.read_at = None
    session.flush()
    return notice


def deliveries_of(session: Session, notice_id: uuid.UUID) -> list[dict[str, Any]]:
    """A notice's deliveries as the bureau sees them: a webhook target as its host only, a
    contact's mobile number or e-mail address masked.

    Robot URLs carry access tokens; only the owning enterprise reads its URL in full (in its
    preferences), and enterprises never see delivery rows. Contacts are personal data the
    lifecycle needs only to tell apart (138****1234), never to read.
    """
    stmt = select(Delivery).where(Delivery.notice_id == notice_id).order_by(Delivery.channel)
    return [
        {column.key: getattr(row, column.key) for column in Delivery.__table__.columns}
        | {"target": _shown_target(row)}
        for row in session.scalars(stmt)
    ]


def _shown_target(row: Delivery) -> str | None:
    if row.channel == "webhook":
        return shown_url(row.target)
    if row.recipient:
        return mask_address(row.target)
    return row.target
