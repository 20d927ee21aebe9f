"""Annual figures per fiscal year (one row per enterprise × year), profile.md's ``financials``.

Every figure is nullable: an absent figure is *unknown*, never zero (profile.md). Money is
integer yuan (BigInteger); the one share typed in (farm-sourced share) is a Decimal.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Numeric
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from registry.models.base import Base
from yumiao_common.clock import utcnow

#: Head counts (persons).
COUNT_FIELDS: tuple[str, ...] = ("employees", "science_staff", "rd_staff")
#: Money that cannot be negative (yuan).
MONEY_FIELDS: tuple[str, ...] = (
    "operating_revenue", "sales_revenue", "main_business_revenue", "total_income",
    "hightech_revenue", "rd_expense", "rd_expense_domestic", "total_cost",
    "total_assets", "total_liabilities", "fixed_assets", "interest_expense",
    "new_equity_financing", "agri_sales", "market_turnover",
)
#: Money that may be negative (a loss).
SIGNED_MONEY_FIELDS: tuple[str, ...] = ("net_profit", "total_profit")
#: Other non-negative counts.
OTHER_COUNT_FIELDS: tuple[str, ...] = ("tech_conversions", "farmer_households")
FIGURE_FIELDS: tuple[str, ...] = (
    COUNT_FIELDS + MONEY_FIELDS + SIGNED_MONEY_FIELDS + OTHER_COUNT_FIELDS
    + ("farm_sourced_share_pct",)
)


class AnnualFinancials(Base):
    """One enterprise's figures for one fiscal year."""

    __tablename__ = "annual_financials"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "year"),
        # The like-for-like R&D growth of a year reads its firms' R&D expense from this index
        # alone (a year nobody has filed yet costs nothing to find empty at 100,000 firms).
        Index("ix_annual_financials_year_rd", "year", "enterprise_id", "rd_expense"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int]
    employees: Mapped[int | None]
    science_staff: Mapped[int | None]
    rd_staff: Mapped[int | None]
    operating_revenue: Mapped[int | None] = mapped_column(BigInteger)
    sales_revenue: Mapped[int | None] = mapped_column(BigInteger)
    main_business_revenue: Mapped[int | None] = mapped_column(BigInteger)
    total_income: Mapped[int | None] = mapped_column(BigInteger)
    hightech_revenue: Mapped[int | None] = mapped_column(BigInteger)
    rd_expense: Mapped[int | None] = mapped_column(BigInteger)
    rd_expense_domestic: Mapped[int | None] = mapped_column(BigInteger)
    total_cost: Mapped[int | None] = mapped_column(BigInteger)
    total_assets: Mapped[int | None] = mapped_column(BigInteger)
    total_liabilities: Mapped[int | None] = mapped_column(BigInteger)
    fixed_assets: Mapped[int | None] = mapped_column(BigInteger)
    net_profit: Mapped[int | None] = mapped_column(BigInteger)
    total_profit: Mapped[int | None] = mapped_column(BigInteger)
    interest_expense: Mapped[int | None] = mapped_column(BigInteger)
    new_equity_financing: Mapped[int | None] = mapped_column(BigInteger)
    tech_conversions: Mapped[int | None]
    agri_sales: Mapped[int | None] = mapped_column(BigInteger)
    farmer_households: Mapped[int | None]
    market_turnover: Mapped[int | None] = mapped_column(BigInteger)
    farm_sourced_share_pct: Mapped[Decimal | None] = mapped_column(Numeric(6, 3))
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    __mapper_args__ = {"version_id_col": version}
