"""Use cases of cultivation (issue 12 item 5): a firm's responsible curator, its service
records and the problems it raised. Each change writes an audit row (who, why) and a
``registry.cultivation.changed`` event (what changed, never the note's text) beside it.

Service notes are the bureau's; ``shared_with_firm`` is the one switch that lets the firm see
a note (the gateway's ``/me/services`` reads ``/shared-services``, which serves only those).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.domain.cultivation import ADMISSION_REASON
from registry.domain.cultivation import PROBLEM_MOVES
from registry.domain.cultivation import is_bureau_account
from registry.handlers.common import MAX_ID
from registry.handlers.common import check_version
from registry.handlers.common import get_enterprise
from registry.handlers.journal import Who
from registry.handlers.journal import audit
from registry.handlers.journal import diff
from registry.handlers.journal import emit
from registry.handlers.journal import snapshot
from registry.models import Curatorship
from registry.models import Enterprise
from registry.models import Problem
from registry.models import ServiceRecord
from yumiao_common.clock import beijing_today
from yumiao_common.clock import utcnow
from yumiao_common.contracts.registry import CultivationChanged
from yumiao_common.contracts.registry import CultivationChangedPayload
from yumiao_common.web.errors import Conflict
from yumiao_common.web.errors import NotFound
from yumiao_common.web.errors import ValidationFailed

SERVICE_FIELDS = ("kind", "served_on", "served_by", "summary", "follow_up", "follow_up_due",
                  "follow_up_done_on", "shared_with_firm")
PROBLEM_FIELDS = ("title", "detail", "status", "raised_on", "due_on", "resolved_on",
                  "resolution", "shared_with_firm")


def _event(
    session: Session, enterprise: Enterprise, *, record: str, record_id: int, action: str,
    who: Who, **extra: Any,
) -> None:
    """``registry.cultivation.changed``: what changed and who did it, never the note's text;
    ``curator`` is the firm's responsible curator (the one to tell)."""
    curator = session.scalar(select(Curatorship.curator).where(
        Curatorship.enterprise_id == enterprise.id))
    emit(session, CultivationChanged(correlation_id=who.request_id, payload=(
        CultivationChangedPayload(
            uscc=enterprise.uscc, enterprise_name=enterprise.name,
            record=record, record_id=record_id, action=action,  # type: ignore[arg-type]
            actor=who.actor, at=utcnow(), curator=curator, **extra))))


def get_curator(session: Session, *, uscc: str) -> Curatorship:
    enterprise = get_enterprise(session, uscc)
    found = session.scalars(select(Curatorship).where(
        Curatorship.enterprise_id == enterprise.id)).one_or_none()
    if found is None:
        raise NotFound("尚未指定服务专员 / No curator assigned yet", code="no_curator",
                       details={"uscc": uscc})
    return found


def assign_curator(
    session: Session, *, uscc: str, curator: str, version: int | None, who: Who
) -> tuple[Curatorship, bool]:
    """Make ``curator`` responsible for the firm (包联); a change of curator needs the
    version read (409 when stale). Returns (row, created)."""
    enterprise = get_enterprise(session, uscc, lock=True)
    found = session.scalars(select(Curatorship).where(
        Curatorship.enterprise_id == enterprise.id)).one_or_none()
    if found is not None:
        check_version(found.version, version)
    return _set_curator(session, enterprise, found, curator, who), found is None


def _set_curator(
    session: Session, enterprise: Enterprise, found: Curatorship | None, curator: str, who: Who
) -> Curatorship:
    """Write the curatorship (new or changed), its audit row and its event."""
    before = None if found is None else found.curator
    if found is None:
        found = Curatorship(enterprise_id=enterprise.id, curator=curator,
                            assigned_by=who.actor)
        session.add(found)
    else:
        found.curator, found.assigned_by = curator, who.actor
    session.flush()
    if before != curator:
        action = "create" if before is None else "update"
        audit(session, enterprise=enterprise, entity="curatorship", entity_id=found.id,
              action=action, changes={"curator": {"from": before, "to": curator}}, who=who)
        _event(session, enterprise, record="curator", record_id=found.id, action=action,
               who=who)
    return found


def curator_on_admission(session: Session, enterprise: Enterprise, who: Who) -> None:
    """Every member has a responsible curator: a firm admitted to a pool (one move or a
    round's batch) with nobody responsible yet gets the bureau user who admitted it, audited
    with why (the admission's reason beside) and evented as an assignment is. A firm that has
    a curator keeps them; an admission by a process (not a bureau user) assigns nobody."""
    if not is_bureau_account(who.actor):
        return
    found = session.scalars(select(Curatorship).where(
        Curatorship.enterprise_id == enterprise.id)).one_or_none()
    if found is None:
        reason = ADMISSION_REASON + (f"（{who.reason}）" if who.reason else "")
        _set_curator(session, enterprise, None, who.actor, replace(who, reason=reason))


def _load(session: Session, model: Any, enterprise: Enterprise, record_id: int) -> Any:
    found = None
    if 0 < record_id <= MAX_ID:
        found = session.scalars(select(model).where(
            model.id == record_id, model.enterprise_id == enterprise.id)).one_or_none()
    if found is None:
        raise NotFound("记录不存在 / Record not found",
                       details={"entity": model.__tablename__, "id": record_id})
    return found


def _check_follow_up(values: dict[str, Any]) -> None:
    due, served = values.get("follow_up_due"), values.get("served_on")
    if due is not None and served is not None and due < served:
        raise ValidationFailed(fields={"follow_up_due": [
            "跟进期限不能早于服务日期 / cannot be before the service date"]})


def add_service(session: Session, *, uscc: str, data: dict[str, Any], who: Who) -> ServiceRecord:
    """Record one service given to the firm (who served defaults to the one recording)."""
    enterprise = get_enterprise(session, uscc, lock=True)
    values = {"served_by": who.actor, "shared_with_firm": False, **data}
    _check_follow_up(values)
    record = ServiceRecord(enterprise_id=enterprise.id, created_by=who.actor, **values)
    session.add(record)
    session.flush()
    audit(session, enterprise=enterprise, entity="service_record", entity_id=record.id,
          action="create", changes=diff({}, snapshot(record, SERVICE_FIELDS)), who=who)
    _event(session, enterprise, record="service", record_id=record.id, action="create",
           who=who, kind=record.kind, shared_with_firm=record.shared_with_firm)
    return record


def get_service(session: Session, *, uscc: str, record_id: int) -> ServiceRecord:
    return _load(session, ServiceRecord, get_enterprise(session, uscc), record_id)  # type: ignore[no-any-return]


def update_service(
    session: Session, *, uscc: str, record_id: int, data: dict[str, Any], version: int | None,
    who: Who,
) -> ServiceRecord:
    """Correct a service record, mark its follow-up done, or share it with the firm."""
    enterprise = get_enterprise(session, uscc, lock=True)
    record: ServiceRecord = _load(session, ServiceRecord, enterprise, record_id)
    check_version(record.version, version)
    before = snapshot(record, SERVICE_FIELDS)
    _check_follow_up({"served_on": data.get("served_on", record.served_on),
                      "follow_up_due": data.get("follow_up_due", record.follow_up_due)})
    for key, value in data.items():
        setattr(record, key, value)
    changes = diff(before, snapshot(record, SERVICE_FIELDS))
    if changes:
        session.flush()
        audit(session, enterprise=enterprise, entity="service_record", entity_id=record.id,
              action="update", changes=changes, who=who)
        _event(session, enterprise, record="service", record_id=record.id, action="update",
               who=who, kind=record.kind, shared_with_firm=record.shared_with_firm)
    return record


def _check_due(raised_on: date | None, due_on: date | None) -> None:
    if due_on is not None and raised_on is not None and due_on < raised_on:
        raise ValidationFailed(fields={"due_on": [
            "答复期限不能早于提出日期 / cannot be before the day it was raised"]})


def raise_problem(session: Session, *, uscc: str, data: dict[str, Any], who: Who) -> Problem:
    """Put a problem the firm raised on its list (问题清单), open."""
    _check_due(data.get("raised_on"), data.get("due_on"))
    enterprise = get_enterprise(session, uscc, lock=True)
    problem = Problem(enterprise_id=enterprise.id, status="open", raised_by=who.actor,
                      shared_with_firm=data.pop("shared_with_firm", False), **data)
    session.add(problem)
    session.flush()
    audit(session, enterprise=enterprise, entity="problem", entity_id=problem.id,
          action="create", changes=diff({}, snapshot(problem, PROBLEM_FIELDS)), who=who)
    _event(session, enterprise, record="problem", record_id=problem.id, action="create",
           who=who, status=problem.status, shared_with_firm=problem.shared_with_firm)
    return problem


def get_problem(session: Session, *, uscc: str, record_id: int) -> Problem:
    return _load(session, Problem, get_enterprise(session, uscc), record_id)  # type: ignore[no-any-return]


def update_problem(
    session: Session, *, uscc: str, record_id: int, data: dict[str, Any], version: int | None,
    who: Who, today: date | None = None,
) -> Problem:
    """Follow a problem up: change its status (resolving needs a resolution), its text."""
    enterprise = get_enterprise(session, uscc, lock=True)
    problem: Problem = _load(session, Problem, enterprise, record_id)
    check_version(problem.version, version)
    _check_due(problem.raised_on, data.get("due_on"))
    before = snapshot(problem, PROBLEM_FIELDS)
    status = data.get("status")
    if status is not None and status != problem.status:
        if status not in PROBLEM_MOVES[problem.status]:
            raise Conflict(f"问题状态不能从“{problem.status}”变为“{status}” / "
                           f"A problem cannot go from {problem.status} to {status}",
                           code="illegal_status",
                           details={"allowed": sorted(PROBLEM_MOVES[problem.status])})
        if status == "resolved" and not (data.get("resolution") or problem.resolution):
            raise ValidationFailed(fields={"resolution": [
                "解决问题须写明处理结果 / resolving needs a resolution"]})
        problem.resolved_on = (today or beijing_today()) if status == "resolved" else None
    for key, value in data.items():
        setattr(problem, key, value)
    changes = diff(before, snapshot(problem, PROBLEM_FIELDS))
    if changes:
        session.flush()
        audit(session, enterprise=enterprise, entity="problem", entity_id=problem.id,
              action="update", changes=changes, who=who)
        _event(session, enterprise, record="problem", record_id=problem.id, action="update",
               who=who, status=problem.status, shared_with_firm=problem.shared_with_firm)
    return problem
