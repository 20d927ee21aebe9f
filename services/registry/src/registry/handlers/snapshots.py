"""Year-end snapshots: freeze a year's figures (the bureau, or automatically once the year has
ended), and record corrections to a frozen figure with who and why.

A snapshot is never recomputed: a second freeze of the same year is a 409. A correction leaves
the frozen figures as they are and is applied by the report, which shows it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.domain.monitoring import MEASURES
from registry.domain.monitoring import statistics_date
from registry.domain.towns import is_town_code
from registry.handlers.figures import year_figures
from registry.handlers.journal import Who
from registry.handlers.plans import journal
from registry.models import SnapshotCorrection
from registry.models import YearSnapshot
from yumiao_common.web.errors import Conflict
from yumiao_common.web.errors import NotFound
from yumiao_common.web.errors import ValidationFailed


def list_snapshots(session: Session) -> list[YearSnapshot]:
    return list(session.scalars(select(YearSnapshot).order_by(YearSnapshot.year)))


def find_snapshot(session: Session, year: int) -> YearSnapshot | None:
    if not 1900 <= year <= 2100:  # a path parameter beyond any column's range finds nothing
        return None
    return session.scalars(select(YearSnapshot).where(YearSnapshot.year == year)).one_or_none()


def get_snapshot(session: Session, year: int) -> YearSnapshot:
    snapshot = find_snapshot(session, year)
    if snapshot is None:
        raise NotFound("该年度尚未冻结快照 / No snapshot of this year",
                       details={"year": year}, code="snapshot_not_found")
    return snapshot


def freeze_year(session: Session, *, year: int, today: date, who: Who) -> YearSnapshot:
    """Freeze ``year``'s figures as of 31 December (or as of today while the year runs)."""
    if year > today.year:
        raise ValidationFailed(fields={"year": ["不能冻结未来年度 / Cannot freeze a future "
                                                "year."]})
    if find_snapshot(session, year) is not None:
        raise Conflict("该年度快照已冻结，请以更正记录修改 / This year is frozen already; "
                       "record a correction instead", details={"year": year},
                       code="snapshot_exists")
    figures = year_figures(session, year, today)
    snapshot = YearSnapshot(year=year, as_of=date.fromisoformat(figures["as_of"]),
                            taken_by=who.actor, reason=who.reason, figures=figures)
    session.add(snapshot)
    session.flush()
    journal(session, entity="year_snapshot", entity_id=snapshot.id, action="freeze",
            changes={"year": year, "as_of": figures["as_of"]}, who=who)
    return snapshot


def freeze_ended_years(session: Session, *, years: list[int], today: date, who: Who
                       ) -> list[YearSnapshot]:
    """The automatic year-end run: freeze each of ``years`` that has ended and is not frozen."""
    taken = []
    for year in years:
        if statistics_date(year) < today and find_snapshot(session, year) is None:
            taken.append(freeze_year(session, year=year, today=today, who=who))
    return taken


def correct(session: Session, *, year: int, measure: str, town_code: str | None, value: str,
            who: Who) -> SnapshotCorrection:
    """Record that a frozen figure should read ``value`` (the frozen one stays as it was)."""
    snapshot = get_snapshot(session, year)
    if measure not in MEASURES:
        raise ValidationFailed(fields={"measure": ["未知指标 / Unknown measure."]})
    if town_code is not None and not is_town_code(town_code):
        raise ValidationFailed(fields={"town_code": ["未知镇街 / Unknown town."]})
    frozen: dict[str, Any] = snapshot.figures["measures"].get(measure, {})
    before = frozen.get("value") if town_code is None else frozen.get("towns", {}).get(town_code)
    for earlier in reversed(snapshot.corrections):
        if earlier.measure == measure and earlier.town_code == town_code:
            before = earlier.to_value
            break
    row = SnapshotCorrection(snapshot_id=snapshot.id, measure=measure, town_code=town_code,
                             from_value=before, to_value=value, actor=who.actor,
                             reason=who.reason or "")
    session.add(row)
    session.flush()
    snapshot.corrections.append(row)
    journal(session, entity="snapshot_correction", entity_id=row.id, action="correct",
            changes={"year": year, "measure": measure, "town_code": town_code,
                     "from": before, "to": value}, who=who)
    return row


def corrected_figures(snapshot: YearSnapshot) -> dict[str, Any]:
    """The frozen figures with every correction applied (the latest per figure wins)."""
    figures: dict[str, Any] = {**snapshot.figures,
                               "measures": {k: {**v, "towns": dict(v.get("towns", {}))}
                                            for k, v in snapshot.figures["measures"].items()}}
    for row in snapshot.corrections:
        entry = figures["measures"].setdefault(row.measure, {"value": None, "towns": {},
                                                             "extra": {}})
        if row.town_code is None:
            entry["value"] = row.to_value
        else:
            entry["towns"][row.town_code] = row.to_value
        entry["corrected"] = True
    return figures
