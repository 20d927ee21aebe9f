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

from registry.handlers.live_figures import YearFigures


def cohorts(session: Session, today: date) -> list[dict[str, Any]]:
    """Reserve cohorts: of year Y's admissions, how many were certified by Y, Y+1, …"""
    return YearFigures(today.year, today, plan_start=None, details=True).cohort_table(session)


def year_figures(session: Session, year: int, today: date, *, plan_start: int | None = None,
                 details: bool = True) -> dict[str, Any]:
    """Every measure for ``year``; with ``details`` also the reserve funnel (from the plan's
    start, or the year's) and the cohort table (a snapshot keeps both; a trend year needs
    neither). Counted per enterprise and summed (``live_figures``), so the report can keep
    the per-enterprise parts and re-count only what a change touched."""
    return YearFigures(year, today, plan_start=plan_start, details=details).rebuild(
        session).figures()


def decimal_or_none(value: Any) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))
