"""Three fiscal years of plausible figures for one synthetic firm (domain-data.md §6.2).

``FinanceSpec`` fixes the few ratios a tier depends on (R&D intensity, science-staff share,
high-tech revenue share), so a firm built to sit 0.2 points short of a band really does; the
rest is drawn around them. All money is integer yuan; ratios never go through float on output.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class FinanceSpec:
    """What a role pins down; everything else in the three years is drawn around it."""

    revenue: int  # latest-year operating revenue, yuan
    employees: int
    growth: float  # yearly revenue growth, applied backwards to older years
    rd_ratio: float  # R&D ÷ sales revenue, every year (so the 3-year ratio equals it)
    science_share: float
    hightech_share: float  # high-tech revenue ÷ total income, latest year
    debt_ratio: float
    main_share: float  # main-business ÷ operating revenue
    margin: float  # net profit ÷ operating revenue
    agri: bool = False
    #: when set, science staff is the largest count strictly below this share of employees
    science_below: float = 0.0
    equity: int = 0
    rd_min: int = 0  # floor for latest-year R&D (e.g. 专精特新 needs ≥ ¥1 m)


def build_financials(rng: random.Random, spec: FinanceSpec, years: tuple[int, ...]) -> list[
    dict[str, Any]
]:
    """One dict per fiscal year (oldest first), every field of the profile's ``financials``."""
    latest = max(years)
    out = []
    for year in sorted(years):
        back = latest - year
        jitter = 1 + rng.uniform(-0.03, 0.03) if back else 1.0
        revenue = max(10_000, int(spec.revenue / (1 + spec.growth) ** back * jitter))
        staff = max(1, round(spec.employees / (1 + spec.growth / 2) ** back))
        out.append(_year(rng, spec, year, revenue, staff, is_latest=year == latest))
    return out


def _science_staff(spec: FinanceSpec, staff: int) -> int:
    """Science staff for ``staff`` employees; a share of 10 %+ never rounds below 10 %."""
    if spec.science_below:
        return max(0, math.ceil(staff * spec.science_below) - 1)
    science = min(staff, round(staff * spec.science_share))
    if spec.science_share >= 0.1:
        science = max(science, math.ceil(staff * 0.1))
    return science


def _year(
    rng: random.Random, spec: FinanceSpec, year: int, revenue: int, staff: int, *, is_latest: bool
) -> dict[str, Any]:
    sales = int(revenue * rng.uniform(0.97, 1.0))
    main = int(revenue * spec.main_share)
    total_income = int(revenue * rng.uniform(1.0, 1.02))
    rd = round(sales * spec.rd_ratio)
    if is_latest and spec.rd_min and rd < spec.rd_min:
        rd = spec.rd_min
    science = _science_staff(spec, staff)
    assets = int(revenue * rng.uniform(0.8, 1.6))
    net_profit = int(revenue * spec.margin)
    agri_sales = int(sales * rng.uniform(0.75, 0.95)) if spec.agri else 0
    return {
        "year": year,
        "employees": staff,
        "science_staff": science,
        "rd_staff": int(science * rng.uniform(0.5, 0.8)),
        "operating_revenue": revenue,
        "sales_revenue": sales,
        "main_business_revenue": main,
        "total_income": total_income,
        "hightech_revenue": int(total_income * spec.hightech_share),
        "rd_expense": rd,
        "rd_expense_domestic": int(rd * rng.uniform(0.85, 1.0)) if rd else 0,
        "total_cost": int(revenue * rng.uniform(0.82, 0.95)),
        "total_assets": assets,
        "total_liabilities": int(assets * spec.debt_ratio),
        "fixed_assets": int(assets * rng.uniform(0.2, 0.5)),
        "net_profit": net_profit,
        "total_profit": int(net_profit * 1.18) if net_profit > 0 else net_profit,
        "interest_expense": int(assets * spec.debt_ratio * rng.uniform(0.01, 0.04)),
        "new_equity_financing": spec.equity if is_latest else 0,
        "tech_conversions": rng.randint(1, 6) if spec.rd_ratio >= 0.03 else 0,
        "agri_sales": agri_sales,
        "farmer_households": rng.randint(800, 6000) if spec.agri else 0,
        "farm_sourced_share_pct": f"{rng.uniform(60, 90):.1f}" if spec.agri else None,
    }
