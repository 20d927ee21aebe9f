"""Plans as data: list, read, create and replace a plan with its indicators (admin only at the
gateway), each change journaled in ``monitoring_audit`` with who and why."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.handlers.common import check_version
from registry.handlers.journal import Who
from registry.handlers.journal import jsonable
from registry.models import MonitoringAuditEntry
from registry.models import Plan
from registry.models import PlanIndicator
from yumiao_common.clock import utcnow
from yumiao_common.web.errors import NotFound
from yumiao_common.web.errors import ValidationFailed

PLAN_FIELDS: tuple[str, ...] = ("title", "document_number", "start_year", "end_year")


def journal(session: Session, *, entity: str, entity_id: int | None, action: str,
            changes: dict[str, Any], who: Who) -> None:
    """Append one row to the monitoring journal (never committed here)."""
    session.add(MonitoringAuditEntry(entity=entity, entity_id=entity_id, action=action,
                                     actor=who.actor, changes=jsonable(changes),
                                     reason=who.reason, request_id=who.request_id))


def list_plans(session: Session) -> list[Plan]:
    return list(session.scalars(select(Plan).order_by(Plan.start_year.desc(), Plan.id.desc())))


def get_plan(session: Session, plan_id: int) -> Plan:
    plan = session.get(Plan, plan_id) if 0 < plan_id < 2**31 else None
    if plan is None:
        raise NotFound("规划不存在 / Plan not found", details={"plan": plan_id},
                       code="plan_not_found")
    return plan


def plan_journal(session: Session, plan_id: int, *, after: int, limit: int
                 ) -> list[MonitoringAuditEntry]:
    """The plan's journal (who changed it, when, why), oldest first, ``limit + 1`` rows after
    the entry ``after`` (a page and whether more follow)."""
    get_plan(session, plan_id)
    return list(session.scalars(
        select(MonitoringAuditEntry)
        .where(MonitoringAuditEntry.entity == "plan", MonitoringAuditEntry.entity_id == plan_id,
               MonitoringAuditEntry.id > after)
        .order_by(MonitoringAuditEntry.id).limit(limit + 1)))


def plan_in_force(session: Session, today: date) -> Plan:
    """The plan covering today's year; else the latest plan begun before it."""
    plans = list_plans(session)
    for plan in plans:
        if plan.start_year <= today.year <= plan.end_year:
            return plan
    for plan in plans:
        if plan.start_year <= today.year:
            return plan
    raise NotFound("尚无规划 / No plan recorded", code="plan_not_found")


def _check_period(data: dict[str, Any]) -> None:
    if data["end_year"] < data["start_year"]:
        raise ValidationFailed(fields={"end_year": ["不能早于起始年 / Cannot be before "
                                                    "start_year."]})


def _indicators(data: dict[str, Any]) -> list[PlanIndicator]:
    seen: set[str] = set()
    rows = []
    for position, item in enumerate(data["indicators"]):
        if item["measure"] in seen:
            raise ValidationFailed(fields={f"indicators.{position}.measure": [
                "同一指标不能重复 / An indicator appears once per plan."]})
        seen.add(item["measure"])
        years = item.get("yearly_targets") or {}
        bad = [y for y in years if not data["start_year"] <= int(y) <= data["end_year"]]
        if bad:
            raise ValidationFailed(fields={f"indicators.{position}.yearly_targets": [
                f"年份须在规划期内 / Years must lie within the plan period: {', '.join(bad)}"]})
        rows.append(PlanIndicator(
            position=position, measure=item["measure"], baseline=item.get("baseline"),
            final_target=item.get("final_target"),
            yearly_targets={y: str(v) for y, v in years.items() if v is not None},
            town_targets={t: str(v) for t, v in (item.get("town_targets") or {}).items()
                          if v is not None},
            note=item.get("note")))
    return rows


def describe(plan: Plan) -> dict[str, Any]:
    """A plan as plain data (the journal's before/after)."""
    return {**{f: getattr(plan, f) for f in PLAN_FIELDS},
            "indicators": [{"measure": i.measure, "baseline": i.baseline,
                            "final_target": i.final_target, "yearly_targets": i.yearly_targets,
                            "town_targets": i.town_targets, "note": i.note}
                           for i in plan.indicators]}


def create_plan(session: Session, *, data: dict[str, Any], who: Who) -> Plan:
    _check_period(data)
    plan = Plan(**{f: data.get(f) for f in PLAN_FIELDS}, created_by=who.actor,
                indicators=_indicators(data))
    session.add(plan)
    session.flush()
    journal(session, entity="plan", entity_id=plan.id, action="create",
            changes={"to": describe(plan)}, who=who)
    return plan


def replace_plan(session: Session, *, plan_id: int, data: dict[str, Any], version: int | None,
                 who: Who) -> Plan:
    plan = get_plan(session, plan_id)
    check_version(plan.version, version)
    _check_period(data)
    before = describe(plan)
    for f in PLAN_FIELDS:
        setattr(plan, f, data.get(f))
    # the plan's row is updated (its version moves) even when only indicators changed, so a
    # form loaded before this save is refused as stale
    plan.updated_at = utcnow()
    plan.indicators.clear()
    session.flush()
    plan.indicators.extend(_indicators(data))
    session.flush()
    journal(session, entity="plan", entity_id=plan.id, action="update",
            changes={"from": before, "to": describe(plan)}, who=who)
    return plan


def target_for(indicator: PlanIndicator, plan: Plan, year: int, kind: str) -> Decimal | None:
    """The target of ``year``: the yearly one set, else the final one in the final year (every
    year for a yearly flow or growth rate)."""
    typed = indicator.yearly_targets.get(str(year))
    if typed not in (None, ""):
        return Decimal(str(typed))
    if year == plan.end_year or kind in ("flow", "growth"):
        return indicator.final_target
    return None
