"""One year's figures of every measure, overall and per town, computed live in SQL.

The same shape is what a year-end snapshot freezes, so a report reads a frozen year and a live
year alike: ``{"as_of", "measures": {key: {"value", "towns", "extra"}}, "funnel", "cohorts"}``
with every number a decimal string (JSON has no decimals). A cumulative measure stores the
year's own flow; the report sums the flows over the plan's years.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from registry.adapters.sql import statistics as sql
from registry.domain.monitoring import MEASURES
from registry.domain.monitoring import growth_pct
from registry.domain.monitoring import statistics_date
from registry.domain.pipeline import Stage

FUNNEL_STAGES: tuple[str, ...] = (Stage.NOMINATED, Stage.SCREENED, Stage.ADMITTED,
                                  Stage.CULTIVATING, Stage.APPLIED, Stage.CERTIFIED)


def as_of_for(year: int, today: date) -> date:
    """The statistics date of ``year``: 31 December, or today while the year runs."""
    return min(statistics_date(year), today)


def _counts(values: dict[str | None, int]) -> dict[str, Any]:
    towns = {key or "unknown": str(n) for key, n in sorted(values.items(), key=lambda kv:
                                                             kv[0] or "~")}
    return {"value": str(sum(values.values())), "towns": towns, "extra": {}}


def measure_figures(session: Session, measure: str, year: int, today: date) -> dict[str, Any]:
    """The figure of ``measure`` for ``year`` (as of its statistics date)."""
    as_of = as_of_for(year, today)
    if measure in ("hnte_held", "srdi_provincial_held", "tech_sme_registered"):
        return _counts(sql.held_by_town(session, measure, as_of, today))
    if measure == "agri_leader_new":
        return _counts(sql.new_agri_leaders_by_town(session, year, as_of, today))
    if measure == "reserve_admitted":
        return _counts(sql.reserve_admitted_by_town(session, year, as_of, today))
    if measure == "innovation_platforms":
        return _counts(sql.platforms_by_town(session))
    sums = sql.like_for_like_by_town(session, "rd_expense", year, as_of, today)
    current = sum(s.current for s in sums.values())
    previous = sum(s.previous for s in sums.values())
    total = growth_pct(current, previous) if sums else None
    towns = {}
    for key, s in sorted(sums.items(), key=lambda kv: kv[0] or "~"):
        g = growth_pct(s.current, s.previous)
        if g is not None:
            towns[key or "unknown"] = str(g)
    return {"value": None if total is None else str(total), "towns": towns,
            "extra": {"current": current, "previous": previous,
                      "enterprises": sum(s.enterprises for s in sums.values())}}


def cohorts(session: Session, today: date) -> list[dict[str, Any]]:
    """Reserve cohorts: of year Y's admissions, how many were certified by Y, Y+1, …"""
    rows = []
    for year in sql.admission_years(session):
        if year > today.year:
            continue
        admitted, certified = sql.cohort(session, year, today.year)
        if admitted:
            rows.append({"cohort_year": year, "admitted": admitted,
                         "certified_by": {str(year + k): n for k, n in enumerate(certified)}})
    return rows


def year_figures(session: Session, year: int, today: date, *, plan_start: int | None = None,
                 details: bool = True) -> dict[str, Any]:
    """Every measure for ``year``; with ``details`` also the reserve funnel (from the plan's
    start, or the year's) and the cohort table (a snapshot keeps both; a trend year needs
    neither)."""
    as_of = as_of_for(year, today)
    figures: dict[str, Any] = {
        "year": year,
        "as_of": as_of.isoformat(),
        "measures": {key: measure_figures(session, key, year, today) for key in MEASURES},
        "funnel": [], "cohorts": [],
    }
    if details:
        reached = sql.funnel(session, sql.RESERVE_POOL, date(plan_start or year, 1, 1), as_of)
        figures["funnel"] = [{"stage": str(stage), "count": reached.get(stage, 0)}
                             for stage in FUNNEL_STAGES]
        figures["cohorts"] = cohorts(session, today)
    return figures


def decimal_or_none(value: Any) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))
