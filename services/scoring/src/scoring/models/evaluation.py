"""Stored evaluations, one row per enterprise × tier, with what rankings sort on.

The full explained result (criteria, gaps, next steps) is kept as JSON exactly as the engine
produced it; the sort keys are integer columns so keyset pagination is exact and portable
(SQLite has no native decimal, and a float key could reorder equal scores).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import Boolean
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from scoring.models.base import Base
from yumiao_common.clock import utcnow


class Evaluation(Base):
    """The current verdict of one enterprise for one tier."""

    __tablename__ = "evaluation"
    __table_args__ = (
        Index("ix_evaluation_ranking", "tier", "rank_group", "rank_a", "rank_b", "uscc"),
        #: the verdict filters' counts and joins read this index alone (issue 16)
        Index("ix_evaluation_tier_verdict", "tier", "verdict", "uscc"),
    )

    uscc: Mapped[str] = mapped_column(
        String(18), ForeignKey("enterprise_profile.uscc", ondelete="CASCADE"), primary_key=True
    )
    tier: Mapped[str] = mapped_column(String(32), primary_key=True)
    verdict: Mapped[str] = mapped_column(String(12))
    route: Mapped[str | None] = mapped_column(String(80))
    #: Score mid-point in thousandths of a point (ranking uses the mid-point of an estimate).
    score_milli: Mapped[int | None] = mapped_column(Integer)
    failing: Mapped[int] = mapped_column(Integer, default=0)
    #: Sort keys, all ascending: group (0 eligible, 1 near, 2 unknown, 3 ineligible), then
    #: two integers whose meaning depends on the group (see scoring.ranking).
    rank_group: Mapped[int] = mapped_column(Integer)
    rank_a: Mapped[int] = mapped_column(Integer)
    rank_b: Mapped[int] = mapped_column(Integer)
    rulebook_version: Mapped[str] = mapped_column(String(64))
    uses_local_parameter: Mapped[bool] = mapped_column(Boolean, default=False)
    profile_hash: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: blake2b-128 hex of ``result``'s stored JSON text: a re-evaluation compares digests, not
    #: answers, and leaves an unchanged ``result`` unwritten (issue 16). None: written before
    #: the column existed (counts as changed).
    result_digest: Mapped[str | None] = mapped_column(String(32))
    evaluated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
