"""The registry's read model of readiness: scoring's latest verdict per enterprise × tier.

Fed by ``scoring.eligibility.changed`` (``python -m registry.consumer``), never by reading
scoring's tables. Reserve-round candidates and the curator's worklist ("became eligible or
near since my last visit") query it with the registry's own facts (titles held, memberships,
curators) in one SQL statement. ``changed_at`` is when the verdict last changed.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from decimal import Decimal

from sqlalchemy import DateTime
from sqlalchemy import Index
from sqlalchemy import Numeric
from sqlalchemy import String
from sqlalchemy import Table
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from registry.models.base import Base
from yumiao_common.messaging.inbox import define_inbox_table


class Readiness(Base):
    """scoring's latest verdict for one enterprise and one tier."""

    __tablename__ = "readiness"
    __table_args__ = (
        UniqueConstraint("uscc", "tier"),
        Index("ix_readiness_tier_rank", "tier", "verdict", "score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18))
    tier: Mapped[str] = mapped_column(String(30))
    verdict: Mapped[str] = mapped_column(String(12))
    score: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    rulebook_version: Mapped[str] = mapped_column(String(60))
    as_of: Mapped[date]
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


#: Processed scoring events (the consumer's exactly-once ledger).
inbox_table: Table = define_inbox_table(Base.metadata)
