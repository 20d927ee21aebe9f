"""A notice: one thing an enterprise is told, stored once (its in-app inbox entry).

``notice_key`` is the deterministic hash of (enterprise, policy, cause, rulebook version)
under a unique constraint: whatever redelivery, replay or crash happens upstream, the same
fact can only ever produce this one row. ``status`` follows created → queued → sent →
delivered, or failed with ``failure`` = temporary | permanent and a reason. A notice the
weekly cap kept from push channels stays here with ``push_suppressed`` set: never dropped.
``correlation_id`` is the X-Request-ID of the registry (or bureau) change that caused it, so a
notice can be followed back to its request and its log lines.
"""

from __future__ import annotations

import uuid
from datetime import date
from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import BigInteger
from sqlalchemy import Boolean
from sqlalchemy import Date
from sqlalchemy import DateTime
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import Uuid
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from notify.models.base import Base
from yumiao_common.clock import utcnow

STATUSES = ("created", "queued", "sent", "delivered", "failed")
#: The gateway's account messages (a one-time link or code): one delivery each, never in the
#: notice lists nor under the weekly cap (``handlers.account_messages``).
ACCOUNT_KINDS = ("account_invitation", "password_reset")
KINDS = ("eligibility", "renewal", "welcome", "window", "review", *ACCOUNT_KINDS)


class Notice(Base):
    __tablename__ = "notices"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    notice_key: Mapped[str] = mapped_column(String(64), unique=True)
    uscc: Mapped[str] = mapped_column(String(18))
    enterprise_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    policy_code: Mapped[str | None] = mapped_column(String(80))
    tier: Mapped[str | None] = mapped_column(String(40))
    pool: Mapped[str | None] = mapped_column(String(40))
    cause: Mapped[dict[str, Any]] = mapped_column(JSON)
    rulebook_version: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(8))
    template: Mapped[str] = mapped_column(String(60))
    template_version: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    amount_yuan: Mapped[int | None] = mapped_column(BigInteger)
    deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="created")
    failure: Mapped[str | None] = mapped_column(String(20))
    failure_reason: Mapped[str | None] = mapped_column(Text)
    push_suppressed: Mapped[bool] = mapped_column(Boolean, default=False)
    suppressed_reason: Mapped[str | None] = mapped_column(String(200))
    source_event_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    #: The X-Request-ID of the change that caused it (the event's correlation id), if any.
    correlation_id: Mapped[str | None] = mapped_column(String(120))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        Index("ix_notices_uscc_created_at", "uscc", "created_at"),
        Index("ix_notices_status", "status"),
        Index("ix_notices_correlation_id", "correlation_id"),
    )
