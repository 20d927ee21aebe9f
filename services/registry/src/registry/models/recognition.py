"""Awards, R&D institutions and standards led: the recognitions several tiers score or accept
as direct qualification (profile.md ``awards``, ``rd_institutions``, ``standards_led``)."""

from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from registry.models.base import Base

LEVELS: tuple[str, ...] = ("national", "provincial", "municipal", "below")
STANDARD_LEVELS: tuple[str, ...] = ("international", "national", "industry", "local", "group")


class Award(Base):
    """An S&T award: level, year, the enterprise's rank among the winning units."""

    __tablename__ = "award"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[str] = mapped_column(String(20))
    year: Mapped[int]
    rank: Mapped[int | None]
    title: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class RdInstitution(Base):
    """A recognised R&D institution (enterprise technology centre, engineering lab, …)."""

    __tablename__ = "rd_institution"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class StandardLed(Base):
    """A standard the enterprise led the drafting of."""

    __tablename__ = "standard_led"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[str] = mapped_column(String(20))
    year: Mapped[int]
    code: Mapped[str | None] = mapped_column(String(60))
    title: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
