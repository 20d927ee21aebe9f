"""The progress table (完成情况表) of a plan for a year: indicator, counting rule, baseline,
target, actual, completion and statistics date, overall and per town; the trend over the plan's
years; the reserve funnel and cohort conversion.

A year with a frozen snapshot is read from it (corrections applied and listed); any other year
is computed live. The baseline is the bureau's when typed, else the figure of the year before
the plan (computed, and so marked).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from datetime import date
from decimal import Decimal
from threading import Lock
from typing import Any

from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

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
from registry.handlers.live_figures import YearFigures
from registry.handlers.plans import get_plan
from registry.handlers.plans import plan_in_force
from registry.handlers.plans import target_for
from registry.handlers.snapshots import corrected_figures
from registry.handlers.snapshots import find_snapshot
from registry.models import AuditEntry
from registry.models import Plan
from yumiao_common.web.errors import DomainError
from yumiao_common.web.errors import ValidationFailed

#: Live figures of a year kept per process, per enterprise (``live_figures``): every change the
#: registry accepts writes an audit row naming its enterprise, so the audit rows added since
#: the last read name the enterprises to count again, and only those are.
_LIVE: OrderedDict[tuple[Any, ...], LiveYear] = OrderedDict()
_LIVE_SIZE = 6  # the dashboard's year, and the few unfrozen years a report reads
_LIVE_LOCK = Lock()
#: Past this many changed enterprises (a bulk import) counting all of them again is cheaper.
RECOUNT_LIMIT = 500
#: An audit id below the newest that is not there yet may belong to a write still committing
#: (ids are taken before commit); it is looked for again on each read for this long, then
#: taken for a rolled-back write (a sequence never fills such a gap).
GAP_SECONDS = 600.0


class LiveYear:
    """One live year's figures and which audit rows they have seen."""

    def __init__(self, figures: YearFigures) -> None:
        self.figures = figures
        self.lock = Lock()
        self.built = False
        self.seen = 0  # the newest audit id the figures have counted
        self.gaps: dict[int, float] = {}  # audit ids below ``seen`` not yet seen: since when

    def watch_from(self, session: Session) -> None:
        """Before a full count: the newest audit id, and the recent ids not committed yet."""
        self.seen = session.scalar(select(func.max(AuditEntry.id))) or 0
        recent = set(session.scalars(select(AuditEntry.id).where(
            AuditEntry.id > self.seen - RECOUNT_LIMIT)))
        now = time.monotonic()
        self.gaps = {i: now for i in range(max(1, self.seen - RECOUNT_LIMIT + 1), self.seen)
                     if i not in recent}

    def changed(self, session: Session) -> set[int] | None:
        """The enterprises audited since the last read (None: too many to count one by one)."""
        now = time.monotonic()
        self.gaps = {i: t for i, t in self.gaps.items() if now - t < GAP_SECONDS}
        newer = AuditEntry.id > self.seen
        rows = session.execute(
            select(AuditEntry.id, AuditEntry.enterprise_id).where(
                or_(newer, AuditEntry.id.in_(sorted(self.gaps))) if self.gaps else newer)
            .order_by(AuditEntry.id).limit(RECOUNT_LIMIT + 1)).all()
        if len(rows) > RECOUNT_LIMIT:
            return None
        ids = {row[0] for row in rows}
        for i in ids:
            self.gaps.pop(i, None)
        newest = max(ids | {self.seen})
        self.gaps.update({i: now for i in range(self.seen + 1, newest) if i not in ids})
        self.seen = newest
        return {row[1] for row in rows}


def live_year_figures(session: Session, year: int, today: date, plan_start: int,
                      details: bool) -> dict[str, Any]:
    """``year_figures``, kept: counted once per process, then corrected per change and per
    new day (the enterprises whose certificates start or end, or whose reserve moves fall,
    between the two days)."""
    key = (str(getattr(session.get_bind(), "url", "")), year, plan_start, details)
    with _LIVE_LOCK:
        live = _LIVE.get(key)
        if live is None:
            live = _LIVE[key] = LiveYear(YearFigures(year, today, plan_start=plan_start,
                                                     details=details))
            while len(_LIVE) > _LIVE_SIZE:
                _LIVE.popitem(last=False)
        else:
            _LIVE.move_to_end(key)
    with live.lock:
        try:
            if live.built and live.figures.today != today \
                    and not live.figures.roll_to(session, today, RECOUNT_LIMIT):
                live.built = False
            enterprises = live.changed(session) if live.built else None
            if enterprises is None:
                live.built = False
                live.figures = YearFigures(year, today, plan_start=plan_start, details=details)
                live.watch_from(session)
                live.figures.rebuild(session)
                live.built = True
            elif enterprises:
                live.figures.recount(session, enterprises)
        except BaseException:
            live.built = False  # half counted: count everything on the next read
            raise
        return live.figures.figures()


def town_name(code: str) -> str:
    town = TOWNS_BY_CODE.get(code)
    return f"{town.name} / {town.name_en}" if town else "未填镇街 / Town not recorded"


class YearSource:
    """Figures of each year, read once: frozen where a snapshot exists, else live."""

    def __init__(self, session: Session, today: date, plan_start: int,
                 live: dict[tuple[int, bool], dict[str, Any]] | None = None) -> None:
        self.session, self.today, self.plan_start = session, today, plan_start
        self._cache: dict[int, dict[str, Any]] = {}
        #: The live figures read, by (year, details): with the plan and the snapshots, all a
        #: report is computed from (``report_cache`` keeps the report while they stay equal).
        self.live = {} if live is None else live

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
                self.live[(year, details)] = dict(figures)
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


def progress_report(session: Session, *, plan_id: int | None, year: int | None, today: date,
                    live: dict[tuple[int, bool], dict[str, Any]] | None = None,
                    details: bool = True) -> dict[str, Any]:
    """The whole report as plain data (JSON, XLSX and PDF render this one dict); ``live``
    receives the live figures it was computed from. Without ``details`` (the dashboard's view)
    the reserve funnel and the cohort table are left out and not counted."""
    plan, year = resolve(session, plan_id, year, today)
    source = YearSource(session, today, plan.start_year, live)
    current = source.figures(year, details=details)
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
              for step in current["funnel"]] if details else []
    return {
        "plan": {"id": plan.id, "title": plan.title, "document_number": plan.document_number,
                 "start_year": plan.start_year, "end_year": plan.end_year},
        "year": year, "as_of": current["as_of"], "source": current["source"],
        "snapshot": current["snapshot"], "corrections": current["corrections"],
        "rows": rows, "towns": by_town, "trend": trend, "funnel": funnel,
        "cohorts": current["cohorts"] if details else [],
    }


def warm(sessions: sessionmaker[Session], today: date) -> bool:
    """Count the running year of the plan in force before anyone asks: a worker that has just
    started (a deploy, or gunicorn recycling it after ``max_requests``) would otherwise make
    the first dashboard read wait for a count of every enterprise. The dashboard's view first,
    then the full report's (its funnel and cohorts). False without a plan in force (nothing to
    count)."""
    with sessions() as session:
        try:
            for details in (False, True):
                progress_report(session, plan_id=None, year=None, today=today, details=details)
        except DomainError:
            return False
        return True
