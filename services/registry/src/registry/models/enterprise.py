"""The enterprise: identity, classification, market position, compliance flags, assessments.

A compliance flag of ``None`` means not known (the tier gate it feeds is then unknown).
Missing is not empty (profile.md): ``main_product_fields`` and ``quality_items`` are ``None``
until recorded (the profile then leaves them out: unknown), ``[]`` once recorded as none.

Field names are profile.md's (``enterprise`` block and ``assessments``) so the profile snapshot
is a projection, not a translation. ``size_class`` is derived from the latest financials (never
typed in) and stored so lists can filter on it. ``version`` is the optimistic-concurrency
counter SQLAlchemy checks on every UPDATE (``version_id_col``): a concurrent writer loses.
``profile_version`` orders the profile snapshots the registry publishes.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import DateTime
from sqlalchemy import Index
from sqlalchemy import Numeric
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from registry.models.base import Base
from yumiao_common.clock import utcnow
from yumiao_common.contracts.profile import Flags

#: The compliance flags, one column each: the shared profile contract's list, in its order, so a
#: flag added to the contract is stored, validated and exported without a second list.
FLAG_FIELDS: tuple[str, ...] = tuple(Flags.model_fields)


class Enterprise(Base):
    """One enterprise of the district, keyed for the outside world by its credit code."""

    __tablename__ = "enterprise"

    id: Mapped[int] = mapped_column(primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    established_on: Mapped[date | None]
    division_code: Mapped[str] = mapped_column(String(6))
    town_code: Mapped[str | None] = mapped_column(String(9), index=True)
    park: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(300))
    industry_code: Mapped[str | None] = mapped_column(String(5), index=True)
    hightech_field: Mapped[str | None] = mapped_column(String(40))
    tax_method: Mapped[str | None] = mapped_column(String(10))
    niche_market_years: Mapped[int | None]
    main_product_fields: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))
    market_share_pct: Mapped[Decimal | None] = mapped_column(Numeric(6, 3))
    market_rank_national: Mapped[int | None]
    market_rank_provincial: Mapped[int | None]
    major_safety_incident: Mapped[bool | None]
    major_quality_incident: Mapped[bool | None]
    serious_environmental_violation: Mapped[bool | None]
    research_misconduct: Mapped[bool | None]
    abnormal_operations_list: Mapped[bool | None]
    serious_dishonesty_list: Mapped[bool | None]
    wage_or_insurance_arrears: Mapped[bool | None]
    tax_violation: Mapped[bool | None]
    bad_bank_credit_2y: Mapped[bool | None]
    tax_evasion: Mapped[bool | None]
    restricted_products: Mapped[bool | None]
    digital_level: Mapped[int | None]
    quality_items: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))
    hnte_expert: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    srdi_dev_score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    #: The previous year's platform score (2026 re-reviews pass with either year's score).
    srdi_dev_score_prev: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    shandong: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: Recorded outcomes of the criteria experts or the bureau review (criterion id → outcome).
    reviews: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    size_class: Mapped[str | None] = mapped_column(String(10), index=True)
    version: Mapped[int] = mapped_column(default=1)
    #: Bumped on every change to anything in the profile; the snapshot event carries it so a
    #: consumer can drop a snapshot older than the one it holds.
    profile_version: Mapped[int] = mapped_column(default=1)
    #: Bumped on every change to the enterprise's contacts; ``registry.contacts.changed``
    #: carries it so notify drops a contact list older than the one it holds.
    contacts_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    # The version is bumped by the update handler only (not by a profile_version bump), so a
    # financials edit does not make a curator's open enterprise form stale; the UPDATE still
    # carries ``WHERE version = n`` and a concurrent writer of the enterprise itself loses.
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    # The list's search (``adapters/sql/enterprise_list``) matches a fragment anywhere in the
    # name (ILIKE '%…%') or the start of the credit code: at district scale only trigram
    # indexes serve both without reading every row (PostgreSQL's pg_trgm; SQLite, a dev and
    # test store, scans). Migration 2026-12-06_enterprise_search_trigrams creates them.
    __table_args__ = (
        Index("ix_enterprise_name_trgm", "name", postgresql_using="gin",
              postgresql_ops={"name": "gin_trgm_ops"}).ddl_if(dialect="postgresql"),
        Index("ix_enterprise_uscc_trgm", "uscc", postgresql_using="gin",
              postgresql_ops={"uscc": "gin_trgm_ops"}).ddl_if(dialect="postgresql"),
    )
