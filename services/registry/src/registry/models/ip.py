"""Intellectual-property assets (profile.md ``ip``); the Class I/II split is derived, not stored."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from registry.models.base import Base

CLASS_I_KINDS: frozenset[str] = frozenset({
    "invention_patent", "defense_patent", "plant_variety", "national_crop_variety",
    "national_new_drug", "tcm_protected_grade1", "ic_layout",
})
CLASS_II_KINDS: frozenset[str] = frozenset({"utility_model", "design_patent", "software_copyright"})
ACQUIRED_BY: tuple[str, ...] = ("self_developed", "transferred", "donated", "acquired", "other")


def ip_class(kind: str) -> str:
    """``"I"`` or ``"II"`` per the tech-SME / HNTE classification (domain-data §7.1)."""
    return "I" if kind in CLASS_I_KINDS else "II"


class IpAsset(Base):
    """One patent, variety, copyright or layout design an enterprise holds."""

    __tablename__ = "ip_asset"
    __table_args__ = (UniqueConstraint("enterprise_id", "kind", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    number: Mapped[str] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(String(200))
    granted_on: Mapped[date | None]
    acquired_by: Mapped[str] = mapped_column(String(20))
    related_to_main_product: Mapped[bool] = mapped_column(default=False)
    high_value: Mapped[bool] = mapped_column(default=False)
    in_force: Mapped[bool] = mapped_column(default=True)
    #: Class II item already used in an HNTE recognition; NULL = not known (never "unused"):
    #: scoring then leaves the HNTE IP criteria it could change unknown (criteria.md §2.3.1a).
    used_in_hnte: Mapped[bool | None] = mapped_column(default=None)
    in_dispute: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
