"""Year-end snapshots the bureau freezes, and the corrections recorded after them.

A snapshot holds every measure's figure for one year (overall and per town), the pipeline
funnel and the cohort table, computed as of 31 December and stored as JSON: the 2024 report
reads the same in 2027 whatever is edited since. A later fix is never written into the frozen
figures; it is a ``SnapshotCorrection`` (who, why, from → to) the report applies and shows.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from registry.models.base import Base
from yumiao_common.clock import utcnow


class YearSnapshot(Base):
    """The frozen figures of one year."""

    __tablename__ = "year_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    as_of: Mapped[date]
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    taken_by: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    corrections: Mapped[list[SnapshotCorrection]] = relationship(
        order_by="SnapshotCorrection.id", lazy="selectin")


class SnapshotCorrection(Base):
    """A figure of a frozen snapshot corrected afterwards: which, from → to, who and why."""

    __tablename__ = "snapshot_correction"

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("year_snapshot.id", ondelete="CASCADE"), index=True)
    measure: Mapped[str] = mapped_column(String(40))
    #: None: the district total; else the town whose figure is corrected.
    town_code: Mapped[str | None] = mapped_column(String(9))
    from_value: Mapped[str | None] = mapped_column(String(40))
    to_value: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
