"""One year's figures kept per enterprise: what each enterprise adds to every measure, the
funnel and the cohorts, and the sums of it.

The figures are sums over enterprises, and what an enterprise adds depends on its own rows
alone (its certificates, figures, reserve moves, institutions, and its town from its own audit
trail). So a change re-counts the enterprises it touched — the same SQL, as of the same date,
restricted to them — and the sums are corrected by the difference: at 100,000 enterprises the
dashboard's first read after a curator's change re-counts one enterprise instead of the
district. ``rebuild`` counts every enterprise (a new day, a freeze, a bulk import).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from datetime import UTC
from datetime import date
from datetime import datetime
from typing import Any
from typing import NamedTuple

from sqlalchemy.orm import Session

from registry.adapters.sql import statistics as sql
from registry.domain.monitoring import BEIJING
from registry.domain.monitoring import MEASURES
from registry.domain.monitoring import growth_pct
from registry.domain.monitoring import statistics_date
from registry.domain.pipeline import Stage

FUNNEL_STAGES: tuple[str, ...] = (Stage.NOMINATED, Stage.SCREENED, Stage.ADMITTED,
                                  Stage.CULTIVATING, Stage.APPLIED, Stage.CERTIFIED)
GROWTH = "rd_growth"


def as_of_for(year: int, today: date) -> date:
    """The statistics date of ``year``: 31 December, or today while the year runs."""
    return min(statistics_date(year), today)


def beijing_year(at: datetime) -> int:
    """The Beijing calendar year of an instant (a naive one is UTC, as SQLite returns it)."""
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(BEIJING).year


class Firm(NamedTuple):
    """What one enterprise adds to the year's figures."""

    #: (measure, town, how many)
    counts: tuple[tuple[str, str | None, int], ...]
    #: (town, this year's R&D expense, last year's), when it reported both
    growth: tuple[tuple[str | None, int, int], ...]
    #: (stage, its reserve members that reached it)
    funnel: tuple[tuple[str, int], ...]
    #: (cohort year, year of its first high-tech certificate issued since 1 January of it)
    cohorts: tuple[tuple[int, int | None], ...]


def _by_town(values: Counter[Any]) -> list[tuple[str | None, Any]]:
    return sorted(((k, v) for k, v in values.items() if v), key=lambda kv: kv[0] or "~")


class YearFigures:
    """The figures of ``year`` as of its statistics date, kept per enterprise.

    ``details`` adds the reserve funnel (from ``plan_start``, or the year's start) and the
    cohort table (a snapshot keeps both; a trend year needs neither).
    """

    def __init__(self, year: int, today: date, *, plan_start: int | None, details: bool
                 ) -> None:
        self.year, self.today, self.details = year, today, details
        self.as_of = as_of_for(year, today)
        self.funnel_start = date(plan_start or year, 1, 1)
        self._reset()

    def _reset(self) -> None:
        self.firms: dict[int, Firm] = {}
        self.counts: Counter[tuple[str, str | None]] = Counter()
        self.growth: dict[str | None, Counter[str]] = {}
        self.funnel: Counter[str] = Counter()
        self.admitted: Counter[int] = Counter()
        self.certified: dict[int, Counter[int]] = {}

    def rebuild(self, session: Session) -> YearFigures:
        """Count every enterprise."""
        self._reset()
        self._load(session, None)
        return self

    def roll_to(self, session: Session, today: date, limit: int) -> bool:
        """Move the figures to a later day of the same year: as of the new statistics date,
        re-count the enterprises whose figures the dates alone may change (a certificate
        starting or ending, a reserve move dated in between). False when this cannot be done
        (another year — cohorts and towns as of a past date move with it — or more than
        ``limit`` enterprises): count everything instead."""
        if today.year != self.today.year or today < self.today:
            return False
        as_of = as_of_for(self.year, today)
        moved = sql.dated_between(session, self.as_of, as_of) if as_of != self.as_of else set()
        if len(moved) > limit:
            return False
        self.today, self.as_of = today, as_of
        if moved:
            self.recount(session, moved)
        return True

    def recount(self, session: Session, enterprises: Collection[int]) -> None:
        """Count ``enterprises`` again (after a change to them)."""
        for firm_id in enterprises:
            firm = self.firms.pop(firm_id, None)
            if firm is not None:
                self._add(firm, -1)
        self._load(session, enterprises)

    def _load(self, session: Session, only: Collection[int] | None) -> None:
        sql.without_jit(session)
        counts: dict[int, list[Any]] = {}
        growth: dict[int, list[Any]] = {}
        funnel: dict[int, list[Any]] = {}
        cohorts: dict[int, list[Any]] = {}
        for measure, firm_id, town, n in sql.counted_per_firm(session, self.year, self.as_of,
                                                              self.today, only):
            counts.setdefault(firm_id, []).append((measure, town, n))
        for firm_id, town, current, previous in sql.figure_pairs(
                session, "rd_expense", self.year, self.as_of, self.today, only):
            growth.setdefault(firm_id, []).append((town, current, previous))
        if self.details:
            for firm_id, stage, n in sql.funnel_per_firm(session, sql.RESERVE_POOL,
                                                          self.funnel_start, self.as_of, only):
                funnel.setdefault(firm_id, []).append((stage, n))
            self._load_cohorts(session, only, cohorts)
        for firm_id in counts.keys() | growth.keys() | funnel.keys() | cohorts.keys():
            one = Firm(tuple(counts.get(firm_id, ())), tuple(growth.get(firm_id, ())),
                       tuple(funnel.get(firm_id, ())), tuple(cohorts.get(firm_id, ())))
            self.firms[firm_id] = one
            self._add(one, 1)

    def cohort_table(self, session: Session) -> list[dict[str, Any]]:
        """The cohort table alone (the statistics API's), every enterprise counted."""
        self._reset()
        cohorts: dict[int, list[Any]] = {}
        self._load_cohorts(session, None, cohorts)
        for firm_id, rows in cohorts.items():
            one = Firm((), (), (), tuple(rows))
            self.firms[firm_id] = one
            self._add(one, 1)
        return self._cohorts()

    def _load_cohorts(self, session: Session, only: Collection[int] | None,
                      into: dict[int, list[Any]]) -> None:
        """Of year Y's admissions (Beijing year, up to this year): the year each admitted
        enterprise first held a high-tech certificate issued from 1 January of Y."""
        years_of: dict[int, set[int]] = {}
        for firm_id, at in sql.admissions(session, only):
            year = beijing_year(at)
            if year <= self.today.year:
                years_of.setdefault(firm_id, set()).add(year)
        issued: dict[int, list[date]] = {}
        for firm_id, on in sql.hnte_issued(session, only):
            issued.setdefault(firm_id, []).append(on)
        for firm_id, years in years_of.items():
            for year in sorted(years):
                first = min((on for on in issued.get(firm_id, ()) if on >= date(year, 1, 1)),
                            default=None)
                into.setdefault(firm_id, []).append(
                    (year, None if first is None else first.year))

    def _add(self, firm: Firm, sign: int) -> None:
        for measure, town, n in firm.counts:
            self.counts[(measure, town)] += sign * n
        for town, current, previous in firm.growth:
            sums = self.growth.setdefault(town, Counter())
            sums.update({"current": sign * current, "previous": sign * previous,
                         "enterprises": sign})
        for stage, n in firm.funnel:
            self.funnel[stage] += sign * n
        for year, first in firm.cohorts:
            self.admitted[year] += sign
            if first is not None:
                self.certified.setdefault(year, Counter())[first] += sign

    def figures(self) -> dict[str, Any]:
        """The year's figures as a snapshot stores them (every number a decimal string)."""
        return {
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "measures": {key: self._growth() if key == GROWTH else self._counted(key)
                         for key in MEASURES},
            "funnel": ([{"stage": str(stage), "count": self.funnel.get(stage, 0)}
                        for stage in FUNNEL_STAGES] if self.details else []),
            "cohorts": self._cohorts() if self.details else [],
        }

    def _counted(self, measure: str) -> dict[str, Any]:
        towns = Counter({town: n for (m, town), n in self.counts.items() if m == measure})
        return {"value": str(sum(n for _, n in _by_town(towns))),
                "towns": {town or "unknown": str(n) for town, n in _by_town(towns)},
                "extra": {}}

    def _growth(self) -> dict[str, Any]:
        sums = [(town, s) for town, s in sorted(self.growth.items(), key=lambda kv: kv[0] or "~")
                if s["enterprises"]]
        current = sum(s["current"] for _, s in sums)
        previous = sum(s["previous"] for _, s in sums)
        total = growth_pct(current, previous) if sums else None
        towns = {}
        for town, s in sums:
            g = growth_pct(s["current"], s["previous"])
            if g is not None:
                towns[town or "unknown"] = str(g)
        return {"value": None if total is None else str(total), "towns": towns,
                "extra": {"current": current, "previous": previous,
                          "enterprises": sum(s["enterprises"] for _, s in sums)}}

    def _cohorts(self) -> list[dict[str, Any]]:
        rows = []
        for year in sorted(y for y, n in self.admitted.items() if n):
            firsts = self.certified.get(year, Counter())
            rows.append({"cohort_year": year, "admitted": self.admitted[year],
                         "certified_by": {str(by): _upto(firsts, by)
                                          for by in range(year, self.today.year + 1)}})
        return rows


def _upto(firsts: Counter[int], year: int) -> int:
    return sum(n for first, n in firsts.items() if first <= year)

