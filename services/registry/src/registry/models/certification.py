"""Certifications held (tier, level, number, issued, expires) and the expiry-reminder ledger.

The ledger's unique key (certification, days before, expiry date) is what makes the daily
reminder command idempotent: a second run finds the row and emits nothing; a renewed
certificate has a new expiry date and so gets its own reminders.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from registry.models.base import Base
from yumiao_common.clock import utcnow


class Certification(Base):
    """A title the enterprise holds, e.g. 高新技术企业 certificate GR202337000123."""

    __tablename__ = "certification"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    tier: Mapped[str] = mapped_column(String(30), index=True)
    level: Mapped[str | None] = mapped_column(String(20))
    number: Mapped[str | None] = mapped_column(String(60))
    issuer: Mapped[str | None] = mapped_column(String(200))
    issued_on: Mapped[date]
    expires_on: Mapped[date | None] = mapped_column(index=True)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class ExpiryReminder(Base):
    """One reminder emitted: the ledger row that stops it being emitted twice."""

    __tablename__ = "expiry_reminder"
    __table_args__ = (UniqueConstraint("certification_id", "days_before", "expires_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certification_id: Mapped[int] = mapped_column(
        ForeignKey("certification.id", ondelete="CASCADE"), index=True
    )
    days_before: Mapped[int]
    expires_on: Mapped[date]
    emitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
