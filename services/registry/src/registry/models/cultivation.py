"""Cultivation (培育) content: the responsible curator of a firm, service records, problems.

Plan items 77 and 83 ask for one-to-one contact (包联 / 服务专员) and a problem list
(问题清单) followed up until resolved. Service notes are the bureau's own: a firm sees one only
when ``shared_with_firm`` is set (the gateway's ``/me/services`` reads the shared ones only).
"""

from __future__ import annotations

from datetime import date
from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from registry.models.base import Base
from yumiao_common.clock import utcnow


class Curatorship(Base):
    """Who at the bureau is responsible for a firm (one curator per firm)."""

    __tablename__ = "curatorship"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), unique=True
    )
    curator: Mapped[str] = mapped_column(String(200), index=True)
    assigned_by: Mapped[str] = mapped_column(String(200))
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class ServiceRecord(Base):
    """One service given to a firm: a visit, training, briefing, financing match, diagnosis."""

    __tablename__ = "service_record"
    __table_args__ = (Index("ix_service_record_follow_up", "follow_up_done_on", "follow_up_due"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    served_on: Mapped[date]
    served_by: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    follow_up: Mapped[str | None] = mapped_column(Text)
    follow_up_due: Mapped[date | None]
    follow_up_done_on: Mapped[date | None]
    shared_with_firm: Mapped[bool] = mapped_column(default=False)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class Problem(Base):
    """A problem a firm raised (问题清单), followed up until resolved."""

    __tablename__ = "problem"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    raised_on: Mapped[date]
    raised_by: Mapped[str] = mapped_column(String(200))
    #: When the bureau means to have it answered (null: no date set).
    due_on: Mapped[date | None]
    resolved_on: Mapped[date | None]
    resolution: Mapped[str | None] = mapped_column(Text)
    shared_with_firm: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
