"""A delivery: one (notice, channel) push, written in the consumer's transaction.

The unique (notice_id, channel, recipient) triple is the "at most one delivery per notice per
channel per recipient, ever" rule (``recipient`` is empty for the enterprise's own address and
``contact:<id>`` for one of its contacts, who are reached by SMS or e-mail); the sender
checks ``state`` before it sends and claims the row (``sending``)
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

#: queued → sending → sent (accepted by the SMTP relay or the SMS provider) | delivered
#: (webhook 2xx, or an SMS receipt saying it arrived) | failed
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
    #: Who at the enterprise: "" for its own address, ``contact:<id>`` for a contact.
    recipient: Mapped[str] = mapped_column(String(40), server_default="")
    #: The provider's message id (SMS ``BizId``/``SerialNo``), which its receipt names.
    provider_ref: Mapped[str | None] = mapped_column(String(64), index=True)
    #: When the provider's delivery receipt came (the handset got it, or it failed).
    receipt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (UniqueConstraint("notice_id", "channel", "recipient"),)
