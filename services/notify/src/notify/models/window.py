"""Application windows of a policy, what notify knows of each firm's standing, and the
reminder ledger.

A policy opens for applications in one or more batches (批次), each a window with an opening
and a closing date (both inclusive, Beijing calendar days). ``TierStanding`` is notify's copy
of scoring's latest verdict per (firm, tier), kept newest-wins from the
``scoring.eligibility.changed`` events it already consumes, so the reminder run and the
portal's "policies for me" never call scoring. ``WindowReminder`` is the ledger of the
reminder run: one row per (policy, window dates, firm, milestone) under a unique key, written
in the same transaction as the notice, so a reminder goes out exactly once however often the
run is repeated; a window whose dates move is a new window and is owed its reminders again.
"""

from __future__ import annotations

import uuid
from datetime import date
from datetime import datetime

from sqlalchemy import Date
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy import Uuid
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from notify.models.base import Base
from yumiao_common.clock import utcnow

#: The reminder milestones, in the order a window reaches them.
MILESTONES = ("opened", "closing_30", "closing_7")


class PolicyWindow(Base):
    """One application batch of a policy: opens_on … closes_on, both days included."""

    __tablename__ = "policy_windows"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    policy_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("policies.id", ondelete="CASCADE"), index=True)
    batch_zh: Mapped[str] = mapped_column(String(100))
    batch_en: Mapped[str] = mapped_column(String(100))
    opens_on: Mapped[date] = mapped_column(Date, index=True)
    closes_on: Mapped[date] = mapped_column(Date, index=True)
    note: Mapped[str | None] = mapped_column(String(300))


class TierStanding(Base):
    """A firm's latest verdict for a tier, as scoring last announced it."""

    __tablename__ = "tier_standings"

    uscc: Mapped[str] = mapped_column(String(18), primary_key=True)
    tier: Mapped[str] = mapped_column(String(40), primary_key=True)
    verdict: Mapped[str] = mapped_column(String(20), index=True)
    enterprise_name: Mapped[str] = mapped_column(String(200))
    #: When scoring decided it (the event's occurred_at): an older event never overwrites.
    observed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WindowReminder(Base):
    """One window reminder sent: the ledger row that stops it being sent twice."""

    __tablename__ = "window_reminders"
    __table_args__ = (
        UniqueConstraint("policy_id", "opens_on", "closes_on", "uscc", "milestone"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    policy_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("policies.id", ondelete="CASCADE"), index=True)
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    uscc: Mapped[str] = mapped_column(String(18))
    milestone: Mapped[str] = mapped_column(String(20))
    notice_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
