"""Pool memberships (one per enterprise × pool, with its current stage) and their stage history.

The membership row carries ``version``: two curators moving the same member at once race on
``UPDATE … WHERE version = n`` (and on PostgreSQL on ``SELECT … FOR UPDATE`` first), so exactly
one wins. ``StageMove`` is the append-only history: who, when, from, to, why.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy import select
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import column_property
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from registry.domain.pipeline import allowed_moves
from registry.models.base import Base
from registry.models.cultivation import Curatorship
from yumiao_common.clock import utcnow

if TYPE_CHECKING:
    from registry.models.enterprise import Enterprise


class PoolMembership(Base):
    """An enterprise's place in one cultivation pool."""

    __tablename__ = "pool_membership"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "pool"),
        Index("ix_pool_membership_pool_stage", "pool", "stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    pool: Mapped[str] = mapped_column(String(30))
    stage: Mapped[str] = mapped_column(String(20))
    cohort_year: Mapped[int | None]
    nominated_by: Mapped[str] = mapped_column(String(200))
    nominated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    stage_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: The reserve round that nominated it (``reserve_round``), if any.
    round_id: Mapped[int | None] = mapped_column(ForeignKey("reserve_round.id"), index=True)
    #: The last day an admission counts; the daily lifecycle run ends the membership after it.
    valid_until: Mapped[date | None]
    #: Why a withdrawn member left (certified, lapsed, withdrew, disqualified); else null.
    exit_reason: Mapped[str | None] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(default=1)
    enterprise: Mapped[Enterprise] = relationship(lazy="joined", innerjoin=True)

    __mapper_args__ = {"version_id_col": version}

    #: The firm's responsible curator (包联 / 服务专员), read with the membership so every pool
    #: list shows who looks after each member (null: nobody yet).
    curator: Mapped[str | None] = column_property(
        select(Curatorship.curator).where(Curatorship.enterprise_id == enterprise_id)
        .correlate_except(Curatorship).scalar_subquery())

    @property
    def allowed_moves(self) -> list[str]:
        """Where this member can go next (clients render only these buttons)."""
        return allowed_moves(self.stage)


class StageMove(Base):
    """One pipeline move (nomination included, with ``from_stage`` null)."""

    __tablename__ = "stage_move"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("pool_membership.id", ondelete="CASCADE"), index=True
    )
    from_stage: Mapped[str | None] = mapped_column(String(20))
    to_stage: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    moved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
