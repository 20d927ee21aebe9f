"""Re-evaluation jobs: a proposed change, its impact, and its activation.

A job is created with proposed parameter values and/or an evaluation date (a new rulebook
year); it first
computes the impact — every enterprise × tier whose verdict would change, and why — without
activating anything. Activation applies the change and re-evaluates everyone. Progress is
persisted so a client polls ``GET /reevaluations/{id}`` instead of holding a request open.
Both phases run in ``python -m scoring.jobs`` (``JobLease``: the step queued, who asked for it,
and the lease of the worker running it).
"""

from __future__ import annotations

import uuid
from datetime import date
from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import Date
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Uuid
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from scoring.models.base import Base
from yumiao_common.clock import utcnow
from yumiao_common.jobs import JobLease

#: Job states, in order: pending → previewing → previewed → activating → activated; or failed.
JOB_STATES = ("pending", "previewing", "previewed", "activating", "activated", "failed")


class Reevaluation(JobLease, Base):
    """A proposed parameter/rulebook change and the state of its impact and activation."""

    __tablename__ = "reevaluation"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: The overrides in force when the preview was computed (None before a preview). The
    #: activation applies ``parameters`` on exactly this set, or refuses when it has moved.
    previewed_overrides: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    #: Evaluate as of this date (picks the rulebooks in force then); None: each profile's own.
    as_of: Mapped[date | None] = mapped_column(Date)
    tiers: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    reason: Mapped[str] = mapped_column(String(1000))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    activated_by: Mapped[str | None] = mapped_column(String(200))
    activated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    total: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    #: Counts: {"gains": n, "losses": n, "changes": n, "unchanged": n}.
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(String(2000))


class ReevaluationImpact(Base):
    """One enterprise × tier whose verdict the proposed change would move."""

    __tablename__ = "reevaluation_impact"

    job_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("reevaluation.id", ondelete="CASCADE"), primary_key=True
    )
    uscc: Mapped[str] = mapped_column(String(18), primary_key=True)
    tier: Mapped[str] = mapped_column(String(32), primary_key=True)
    #: gain (becomes eligible), loss (stops being eligible) or change (any other move).
    kind: Mapped[str] = mapped_column(String(8), index=True)
    before: Mapped[str | None] = mapped_column(String(12))
    after: Mapped[str] = mapped_column(String(12))
    score_before: Mapped[str | None] = mapped_column(String(32))
    score_after: Mapped[str | None] = mapped_column(String(32))
    #: Criteria ids newly met / newly failed, with titles, so the preview says why.
    criteria_met: Mapped[list[Any]] = mapped_column(JSON, default=list)
    criteria_lost: Mapped[list[Any]] = mapped_column(JSON, default=list)
