"""A reserve round (年度集中遴选): one per pool and year, with its quota, dates and roster.

The plan asks for about 20 new high-tech reserve firms a year (item 9) chosen in a yearly
selection (item 128). Members the round admits carry ``round_id`` and ``valid_until`` on their
``PoolMembership``; the daily lifecycle run ends them (退库) when that date has passed.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from registry.models.base import Base
from yumiao_common.clock import utcnow


class ReserveRound(Base):
    """One yearly selection round of one pool."""

    __tablename__ = "reserve_round"
    __table_args__ = (UniqueConstraint("pool", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pool: Mapped[str] = mapped_column(String(30))
    year: Mapped[int]
    quota: Mapped[int]
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    #: Months an admission lasts before the member exits as ``lapsed`` (unless it left before).
    valid_months: Mapped[int]
    status: Mapped[str] = mapped_column(String(12), default="open")
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_by: Mapped[str | None] = mapped_column(String(200))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
