"""The progress table (完成情况表) of a plan for a year: indicator, counting rule, baseline,
target, actual, completion and statistics date, overall and per town; the trend over the plan's
years; the reserve funnel and cohort conversion.

A year with a frozen snapshot is read from it (corrections applied and listed); any other year
is computed live. The baseline is the bureau's when typed, else the figure of the year before
the plan (computed, and so marked).
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from datetime import date
from decimal import Decimal
from threading import Lock
from typing import Any

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.domain.monitoring import MEASURES
from registry.domain.monitoring import Kind
from registry.domain.monitoring import completion_pct
from registry.domain.monitoring import figure
from registry.domain.monitoring import met
from registry.domain.monitoring import pct
from registry.domain.pipeline import STAGE_LABELS
from registry.domain.pipeline import Stage
from registry.domain.towns import TOWNS_BY_CODE
from registry.handlers.figures import decimal_or_none
from registry.handlers.figures import year_figures
from registry.handlers.plans import get_plan
from registry.handlers.plans import plan_in_force
from registry.handlers.plans import target_for
from registry.handlers.snapshots import corrected_figures
from registry.handlers.snapshots import find_snapshot
from registry.models import AuditEntry
from registry.models import Plan
from yumiao_common.web.errors import ValidationFailed

#: Live figures of a year, kept per process while nothing has changed: every change the
#: registry accepts writes an audit row, so the newest audit id (a primary-key lookup) tells
#: whether they are still true. Year-end snapshots need no cache (they are read as stored).
_LIVE: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()
_LIVE_SIZE = 16
_LIVE_LOCK = Lock()


def live_year_figures(session: Session, year: int, today: date, plan_start: int,
                      details: bool) -> dict[str, Any]:
    """``year_figures`` unless the same figures were computed since the last change."""
    newest = session.scalar(select(func.max(AuditEntry.id)))
    key = (str(getattr(session.get_bind(), "url", "")), year, today, plan_start, details, newest)
    with _LIVE_LOCK:
        if key in _LIVE:
            _LIVE.move_to_end(key)
            return copy.deepcopy(_LIVE[key])
    figures = year_figures(session, year, today, plan_start=plan_start, details=details)
    with _LIVE_LOCK:
        _LIVE[key] = copy.deepcopy(figures)
        while len(_LIVE) > _LIVE_SIZE:
            _LIVE.popitem(last=False)
    return figures


def town_name(code: str) -> str:
    town = TOWNS_BY_CODE.get(code)
    return f"{town.name} / {town.name_en}" if town else "未填镇街 / Town not recorded"


class YearSource:
    """Figures of each year, read once: frozen where a snapshot exists, else live."""

    def __init__(self, session: Session, today: date, plan_start: int) -> None:
        self.session, self.today, self.plan_start = session, today, plan_start
        self._cache: dict[int, dict[str, Any]] = {}

    def figures(self, year: int, *, details: bool = False) -> dict[str, Any]:
        """The year's figures; ``details`` (funnel, cohorts) only for the report's own year."""
        cached = self._cache.get(year)
        if cached is not None and details and cached["source"] == "live" \
                and not cached["funnel"]:
            del self._cache[year]
        if year not in self._cache:
            snapshot = find_snapshot(self.session, year)
            if snapshot is not None:
                figures = corrected_figures(snapshot)
                figures["source"] = "snapshot"
                figures["snapshot"] = {"year": year, "as_of": snapshot.as_of.isoformat(),
                                       "taken_at": snapshot.taken_at.isoformat(),
                                       "taken_by": snapshot.taken_by}
                figures["corrections"] = [
                    {"measure": c.measure, "town_code": c.town_code, "from_value": c.from_value,
                     "to_value": c.to_value, "actor": c.actor, "reason": c.reason,
                     "at": c.at.isoformat()} for c in snapshot.corrections]
            else:
                figures = live_year_figures(self.session, year, self.today, self.plan_start,
                                            details)
                figures.update(source="live", snapshot=None, corrections=[])
            self._cache[year] = figures
        return self._cache[year]

    def actual(self, measure: str, year: int, town: str | None = None) -> Decimal | None:
        """The indicator's figure for ``year`` (cumulative: summed from the plan's start)."""
        years = (range(self.plan_start, year + 1)
                 if MEASURES[measure].kind == Kind.CUMULATIVE and year >= self.plan_start
                 else [year])
        total: Decimal | None = None
        for y in years:
            entry = self.figures(y)["measures"].get(measure, {})
            raw = entry.get("value") if town is None else entry.get("towns", {}).get(town)
            value = decimal_or_none(raw)
            if value is None and MEASURES[measure].kind in (Kind.CUMULATIVE, Kind.FLOW) \
                    and town is not None:
                value = Decimal(0)  # a town without any event counted none
            if value is not None:
                total = value if total is None else total + value
        return total


def resolve(session: Session, plan_id: int | None, year: int | None, today: date
            ) -> tuple[Plan, int]:
    plan = get_plan(session, plan_id) if plan_id is not None else plan_in_force(session, today)
    if year is None:
        year = min(today.year, plan.end_year)
    if not plan.start_year <= year <= plan.end_year or year > today.year:
        raise ValidationFailed(fields={"year": [
            f"须在规划期 {plan.start_year}–{plan.end_year} 内且不晚于今年 / Must lie within the "
            f"plan period {plan.start_year}–{plan.end_year} and not after this year."]})
    return plan, year


def _row(plan: Plan, indicator: Any, source: YearSource, year: int, town: str | None
         ) -> dict[str, Any]:
    measure = MEASURES[indicator.measure]
    actual = source.actual(measure.key, year, town)
    if town is None:
        target = target_for(indicator, plan, year, measure.kind)
    else:
        typed = indicator.town_targets.get(town)
        target = (Decimal(typed) if typed and (year == plan.end_year or measure.kind in
                                               (Kind.FLOW, Kind.GROWTH)) else None)
    completion = completion_pct(actual, target)
    return {"measure": measure.key, "name": measure.name, "unit": measure.unit,
            "kind": str(measure.kind), "target": target, "actual": actual,
            "completion_pct": completion, "met": met(actual, target),
            "display": {"target": figure(target, measure.unit),
                        "actual": figure(actual, measure.unit), "completion": pct(completion)}}


def progress_report(session: Session, *, plan_id: int | None, year: int | None, today: date
                    ) -> dict[str, Any]:
    """The whole report as plain data (JSON, XLSX and PDF render this one dict)."""
    plan, year = resolve(session, plan_id, year, today)
    source = YearSource(session, today, plan.start_year)
    current = source.figures(year, details=True)
    base_year = plan.start_year - 1
    rows = []
    for indicator in plan.indicators:
        measure = MEASURES[indicator.measure]
        row = _row(plan, indicator, source, year, None)
        typed = indicator.baseline
        baseline = typed if typed is not None else (
            source.actual(measure.key, base_year) if measure.kind != Kind.CUMULATIVE
            else Decimal(0))
        corrected = bool(current["measures"].get(measure.key, {}).get("corrected"))
        row.update(rule=measure.rule, baseline=baseline,
                   baseline_source="typed" if typed is not None else "computed",
                   corrected=corrected, note=indicator.note, dated=measure.dated)
        row["display"]["baseline"] = figure(baseline, measure.unit)
        rows.append(row)
    towns = sorted({t for i in plan.indicators for t in i.town_targets}
                   | {t for m in current["measures"].values() for t in m.get("towns", {})
                      if t != "unknown"})
    by_town = [{"town_code": code, "town_name": town_name(code),
                "rows": [_row(plan, i, source, year, code) for i in plan.indicators]}
               for code in towns]
    trend = [{"year": y, "source": source.figures(y)["source"],
              "as_of": source.figures(y)["as_of"],
              "values": {i.measure: source.actual(i.measure, y) for i in plan.indicators},
              "targets": {i.measure: target_for(i, plan, y, MEASURES[i.measure].kind)
                          for i in plan.indicators}}
             for y in range(plan.start_year, year + 1)]
    funnel = [{**step, "label": STAGE_LABELS[Stage(step["stage"])]}
              for step in current["funnel"]]
    return {
        "plan": {"id": plan.id, "title": plan.title, "document_number": plan.document_number,
                 "start_year": plan.start_year, "end_year": plan.end_year},
        "year": year, "as_of": current["as_of"], "source": current["source"],
        "snapshot": current["snapshot"], "corrections": current["corrections"],
        "rows": rows, "towns": by_town, "trend": trend, "funnel": funnel,
        "cohorts": current["cohorts"],
    }
