"""Plans as data (plan item 129): a plan, its indicators with targets, and the monitoring journal.

A plan (e.g. the 2023–2025 action plan) holds indicators; each names a counting rule
(``registry.domain.monitoring.MEASURES``) and carries the bureau's figures: a baseline, a
target per year, a final target and, where the bureau assigns one, a final target per town.
Targets are decimals stored as strings in JSON maps (portable; never float).

``MonitoringAuditEntry`` is the journal of plans, snapshots and corrections: the enterprise
audit log (``audit_log``) requires an enterprise, which these records do not have.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Numeric
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from registry.models.base import Base
from yumiao_common.clock import utcnow


class Plan(Base):
    """A development plan the bureau monitors: title, document number, period."""

    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    document_number: Mapped[str | None] = mapped_column(String(100))
    start_year: Mapped[int]
    end_year: Mapped[int]
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    indicators: Mapped[list[PlanIndicator]] = relationship(
        order_by="PlanIndicator.position", cascade="all, delete-orphan", lazy="selectin")

    __mapper_args__ = {"version_id_col": version}


class PlanIndicator(Base):
    """One indicator of a plan: its counting rule and the bureau's baseline and targets."""

    __tablename__ = "plan_indicator"
    __table_args__ = (UniqueConstraint("plan_id", "measure"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    measure: Mapped[str] = mapped_column(String(40))
    baseline: Mapped[Decimal | None] = mapped_column(Numeric(20, 2))
    final_target: Mapped[Decimal | None] = mapped_column(Numeric(20, 2))
    #: {"2023": "20", …}: the target of each year ("" or absent: none set).
    yearly_targets: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    #: {"371502101": "12", …}: the final target per town, where the bureau splits one.
    town_targets: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(Text)


class MonitoringAuditEntry(Base):
    """One accepted change to a plan, a snapshot or a correction: who, when, what, why."""

    __tablename__ = "monitoring_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str | None] = mapped_column(Text)
    request_id: Mapped[str | None] = mapped_column(String(128))
