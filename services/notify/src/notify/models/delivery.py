"""A delivery: one (notice, channel) push, written in the consumer's transaction.

The unique (notice_id, channel) pair is the "at most one delivery per notice per channel,
ever" rule; the sender checks ``state`` before it sends and claims the row (``sending``)
before the network call. ``id`` is the idempotency key receivers see
(``Idempotency-Key`` / ``X-Yumiao-Delivery``) for the residual crash-after-send window.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy import Uuid
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from notify.models.base import Base
from yumiao_common.clock import utcnow

#: queued → sending → sent (accepted by the SMTP relay) | delivered (webhook 2xx) | failed
STATES = ("queued", "sending", "sent", "delivered", "failed")
DONE_STATES = ("sent", "delivered")


class Delivery(Base):
    __tablename__ = "deliveries"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    notice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("notices.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(String(500))
    state: Mapped[str] = mapped_column(String(20), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    failure: Mapped[str | None] = mapped_column(String(20))
    last_error: Mapped[str | None] = mapped_column(Text)
    #: The notice's correlation id, copied so the sender logs it without a join.
    correlation_id: Mapped[str | None] = mapped_column(String(120))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (UniqueConstraint("notice_id", "channel"),)
