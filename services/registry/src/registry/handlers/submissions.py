"""Use cases of a firm's yearly report (企业自报, issue 15): the firm opens a draft pre-filled
from the registry, saves it, attaches evidence and submits; the bureau reviews it field by
field. Each step writes an audit row on the ``submission`` entity; submitting and reviewing
raise ``registry.submission.submitted`` / ``registry.submission.reviewed``.

Accepted fields enter the registry through the handlers the edit API uses
(``put_financials``, ``update_enterprise``, ``create_record``), so their audit rows and
``registry.enterprise.changed`` events are the usual ones: the actor is the reviewer and the
reason names the firm and the submission ("submitted by <uscc>, submission <id>").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.domain import submissions as rules
from registry.handlers.common import MAX_ID
from registry.handlers.common import check_version
from registry.handlers.common import get_enterprise
from registry.handlers.journal import Who
from registry.handlers.journal import audit
from registry.handlers.journal import emit
from registry.handlers.journal import jsonable
from registry.handlers.journal import snapshot
from registry.handlers.kinds import AWARDS
from registry.handlers.kinds import INSTITUTIONS
from registry.handlers.kinds import IP
from registry.handlers.kinds import STANDARDS
from registry.handlers.records import RecordKind
from registry.models import AnnualFinancials
from registry.models import Enterprise
from registry.models import Submission
from registry.models import SubmissionEvidence
from registry.models.enterprise import FLAG_FIELDS
from registry.models.financials import FIGURE_FIELDS
from yumiao_common.clock import beijing_today
from yumiao_common.clock import utcnow
from yumiao_common.contracts.registry import SubmissionSubmitted
from yumiao_common.contracts.registry import SubmissionSubmittedPayload
from yumiao_common.web.errors import Conflict
from yumiao_common.web.errors import NotFound
from yumiao_common.web.errors import ValidationFailed

KINDS: dict[str, RecordKind] = {"ip": IP, "awards": AWARDS, "institutions": INSTITUTIONS,
                                "standards": STANDARDS}
#: Turns a year's merged figures into stored values, or raises ``ValidationFailed`` (the
#: route passes the registry's own figures schema).
FiguresLoader = Callable[[dict[str, Any]], dict[str, Any]]


def not_found(submission_id: int) -> NotFound:
    return NotFound("自报不存在 / Submission not found", code="submission_not_found",
                    details={"id": submission_id})


def _state_conflict(found: Submission, action_zh: str, action_en: str) -> Conflict:
    return Conflict(
        f"自报当前为“{rules.STATUS_WORDS[found.status]}”，不能{action_zh} / "
        f"A submission that is {found.status} cannot be {action_en}",
        code="illegal_status", details={"status": found.status})


def _audit(session: Session, found: Submission, enterprise: Enterprise, action: str,
           changes: dict[str, Any], who: Who) -> None:
    audit(session, enterprise=enterprise, entity="submission", entity_id=found.id,
          action=action, changes=changes, who=who)


def registry_view(session: Session, enterprise: Enterprise, year: int) -> dict[str, Any]:
    """What the registry holds of the year: its figures and the firm's flags (JSON values)."""
    row = session.scalars(select(AnnualFinancials).where(
        AnnualFinancials.enterprise_id == enterprise.id, AnnualFinancials.year == year)
    ).one_or_none()
    return {"financials": {} if row is None else snapshot(row, FIGURE_FIELDS),
            "flags": snapshot(enterprise, FLAG_FIELDS)}


def create_submission(session: Session, *, uscc: str, year: int, who: Who,
                      today: date | None = None) -> Submission:
    """Open a draft for ``year``, pre-filled from the registry; one open report a year."""
    this_year = (today or beijing_today()).year
    if not 2000 <= year <= this_year:
        raise ValidationFailed(fields={"year": [
            f"年度须在2000至{this_year}之间 / year must be between 2000 and {this_year}"]})
    enterprise = get_enterprise(session, uscc, lock=True)
    open_one = session.scalars(select(Submission).where(
        Submission.enterprise_id == enterprise.id, Submission.open_year == year)).first()
    if open_one is not None:
        raise Conflict("该年度已有未完成的自报 / An open submission for this year exists",
                       code="duplicate", details={"id": open_one.id, "status": open_one.status})
    view = registry_view(session, enterprise, year)
    found = Submission(enterprise_id=enterprise.id, uscc=enterprise.uscc, year=year,
                       open_year=year, status="draft", created_by=who.actor,
                       content=rules.prefilled(view["financials"], view["flags"]),
                       decisions=[], applied={})
    session.add(found)
    session.flush()
    _audit(session, found, enterprise, "create", {"year": {"from": None, "to": year}}, who)
    return found


def list_for_firm(session: Session, *, uscc: str, before: int | None, limit: int
                  ) -> list[Submission]:
    """The firm's submissions, newest first, ``limit`` of them below id ``before``."""
    enterprise = get_enterprise(session, uscc)
    stmt = select(Submission).where(Submission.enterprise_id == enterprise.id)
    if before is not None:
        stmt = stmt.where(Submission.id < before)
    return list(session.scalars(stmt.order_by(Submission.id.desc()).limit(limit)))


def count_for_firm(session: Session, *, uscc: str) -> int:
    enterprise = get_enterprise(session, uscc)
    return int(session.scalar(select(func.count()).where(
        Submission.enterprise_id == enterprise.id)) or 0)


def get_submission(session: Session, *, submission_id: int, uscc: str | None = None,
                   lock: bool = False) -> Submission:
    """One submission; with ``uscc`` only that firm's (another firm's is not found)."""
    if uscc is not None:
        get_enterprise(session, uscc)
    found = None
    if 0 < submission_id <= MAX_ID:
        stmt = select(Submission).where(Submission.id == submission_id)
        if uscc is not None:
            stmt = stmt.where(Submission.uscc == uscc)
        if lock:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        found = session.scalars(stmt).one_or_none()
    if found is None:
        raise not_found(submission_id)
    return found


def evidence_of(session: Session, found: Submission) -> list[SubmissionEvidence]:
    return list(session.scalars(select(SubmissionEvidence).where(
        SubmissionEvidence.submission_id == found.id).order_by(SubmissionEvidence.id)))


def open_for_change(session: Session, uscc: str, submission_id: int, version: int | None,
              action: tuple[str, str], *, versioned: bool = True) -> tuple[Submission, Enterprise]:
    enterprise = get_enterprise(session, uscc, lock=True)
    found = get_submission(session, submission_id=submission_id, uscc=uscc, lock=True)
    if found.status not in rules.EDITABLE_STATUSES:
        raise _state_conflict(found, *action)
    if versioned:
        check_version(found.version, version)
    return found, enterprise


def save_draft(session: Session, *, uscc: str, submission_id: int, content: dict[str, Any],
               version: int | None, who: Who) -> Submission:
    """Replace the sections of ``content`` given (others stay); draft or returned only."""
    found, enterprise = open_for_change(session, uscc, submission_id, version, ("修改", "changed"))
    merged = {**found.content, **jsonable(content)}
    changed = [s for s in rules.SECTIONS if merged.get(s) != found.content.get(s)]
    if changed:
        found.content = merged
        session.flush()
        _audit(session, found, enterprise, "update", {"sections": changed}, who)
    return found


def submit(session: Session, *, uscc: str, submission_id: int, invalid: dict[str, list[str]],
           who: Who) -> Submission:
    """Hand the report to the bureau: it must be complete (``invalid`` are the field errors
    the registry's schemas found in the content; the rules add what is missing)."""
    found, enterprise = open_for_change(session, uscc, submission_id, None, ("提交", "submitted"),
                                  versioned=False)
    evidence = [(e.item, e.kind) for e in evidence_of(session, found)]
    problems = {**invalid, **rules.missing_for_submit(found.content, evidence)}
    if problems:
        raise ValidationFailed("自报尚不完整 / The submission is not complete yet",
                               code="incomplete", fields=problems)
    before = found.status
    found.status, found.submitted_at = "submitted", utcnow()
    session.flush()
    _audit(session, found, enterprise, "submit", {"status": {"from": before, "to": "submitted"}},
           who)
    emit(session, SubmissionSubmitted(correlation_id=who.request_id, payload=(
        SubmissionSubmittedPayload(uscc=found.uscc, enterprise_name=enterprise.name,
                                   submission_id=found.id, year=found.year))))
    return found


def differences(session: Session, found: Submission) -> list[rules.Difference]:
    enterprise = session.get(Enterprise, found.enterprise_id)
    assert enterprise is not None  # the foreign key cascades
    return rules.differences(found.content, registry_view(session, enterprise, found.year),
                             found.applied)


def queue(session: Session, *, status: str, year: int | None, town: str | None,
          after: tuple[datetime | None, int] | None, limit: int) -> tuple[list[Submission], int]:
    """The bureau's list: submissions in ``status``, oldest submitted first (drafts by id),
    and how many there are."""
    order = Submission.submitted_at if status != "draft" else None
    stmt = select(Submission).where(Submission.status == status)
    if year is not None:
        stmt = stmt.where(Submission.year == year)
    if town is not None:
        stmt = stmt.join(Enterprise, Enterprise.id == Submission.enterprise_id).where(
            Enterprise.town_code == town)
    total = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    if after is not None:
        at, last = after
        if order is not None and at is not None:
            stmt = stmt.where((order > at) | ((order == at) & (Submission.id > last)))
        else:
            stmt = stmt.where(Submission.id > last)
    keys = [order, Submission.id] if order is not None else [Submission.id]
    return list(session.scalars(stmt.order_by(*keys).limit(limit))), total
