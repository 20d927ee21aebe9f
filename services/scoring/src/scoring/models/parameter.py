"""Local parameter overrides and their audit trail.

A local parameter is a rulebook number no official text fixes (e.g. provincial agricultural
thresholds); the rulebook carries a documented default and the bureau may override it. Every
change, through the API or a re-evaluation job, leaves an audit row with actor and reason.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import DateTime
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Uuid
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from scoring.models.base import Base
from yumiao_common.clock import utcnow


class ParameterOverride(Base):
    """The bureau's current value for one local parameter (absent: the rulebook default)."""

    __tablename__ = "parameter_override"

    parameter_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(1000))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ParameterAudit(Base):
    """One change of a local parameter: who, when, why, from what to what."""

    __tablename__ = "parameter_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    parameter_id: Mapped[str] = mapped_column(String(120), index=True)
    old_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    new_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    actor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(1000))
    reevaluation_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
