"""The bureau's review of a submitted yearly report (issue 15 item 3): every field that
differs from the registry (and every new item) is accepted or returned with a reason.

Accepted fields are written at once through the edit API's own handlers, with the reviewer
as actor and the firm named as the source; returned ones go back to the firm, which corrects
them and submits again (what was accepted stays applied and is not offered again). Each review
raises ``registry.submission.reviewed`` for notify to tell the firm.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.domain import submissions as rules
from registry.handlers.common import get_enterprise
from registry.handlers.enterprises import update_enterprise
from registry.handlers.journal import Who
from registry.handlers.journal import audit
from registry.handlers.journal import emit
from registry.handlers.journal import jsonable
from registry.handlers.journal import snapshot
from registry.handlers.records import create_record
from registry.handlers.records import put_financials
from registry.handlers.submissions import KINDS
from registry.handlers.submissions import FiguresLoader
from registry.handlers.submissions import get_submission
from registry.handlers.submissions import registry_view
from registry.models import AnnualFinancials
from registry.models import Enterprise
from registry.models import Submission
from registry.models.financials import FIGURE_FIELDS
from yumiao_common.clock import utcnow
from yumiao_common.contracts.registry import SubmissionReviewed
from yumiao_common.contracts.registry import SubmissionReviewedPayload
from yumiao_common.web.errors import Conflict
from yumiao_common.web.errors import ValidationFailed


def source_reason(found: Submission) -> str:
    """The audit reason of a change a review applies: who filed it, where."""
    return f"企业自报 / submitted by {found.uscc}, submission {found.id}"


def review(session: Session, *, submission_id: int, decisions: list[dict[str, Any]],
           note: str | None, who: Who, load_figures: FiguresLoader) -> Submission:
    """Decide a submitted report; accepted fields enter the registry now."""
    found = get_submission(session, submission_id=submission_id, lock=True)
    enterprise = get_enterprise(session, found.uscc, lock=True)
    if found.status != "submitted":
        raise Conflict(f"自报当前为“{rules.STATUS_WORDS[found.status]}”，不能审核 / "
                       f"A submission that is {found.status} cannot be reviewed",
                       code="illegal_status", details={"status": found.status})
    diffs = rules.differences(found.content, registry_view(session, enterprise, found.year),
                              found.applied)
    errors = rules.decision_errors(diffs, decisions)
    if errors:
        raise ValidationFailed(fields=errors, details={
            "fields_to_decide": [d.field for d in diffs]})
    accepted = [d["field"] for d in decisions if d["outcome"] == "accept"]
    source = Who(actor=who.actor, reason=source_reason(found), request_id=who.request_id)
    _apply(session, found, enterprise, accepted, source, load_figures)
    _record(session, found, enterprise, decisions, note, who)
    return found


def _apply(session: Session, found: Submission, enterprise: Enterprise, accepted: list[str],
           who: Who, load_figures: FiguresLoader) -> None:
    content = found.content
    applied = dict(found.applied)
    figures = [p.partition(".")[2] for p in accepted if p.startswith("financials.")]
    if figures:
        _apply_figures(session, found, enterprise, figures, who, load_figures)
    flags = {p.partition(".")[2]: content["flags"][p.partition(".")[2]]
             for p in accepted if p.startswith("flags.")}
    if flags:
        update_enterprise(session, uscc=found.uscc, data={"flags": flags},
                          version=enterprise.version, who=who)
    for path in accepted:
        item = rules.item_path(path)
        if item is not None:
            section, index = item
            create_record(session, kind=KINDS[section], uscc=found.uscc,
                          data=_item_values(section, content[section][index]), who=who)
    for path in accepted:
        section, _, rest = path.partition(".")
        applied[path] = content[section][int(rest) if rest.isdigit() else rest]
    found.applied = applied


def _apply_figures(session: Session, found: Submission, enterprise: Enterprise,
                   names: list[str], who: Who, load_figures: FiguresLoader) -> None:
    """The year's figures with the accepted ones replaced, checked by the registry's rules
    (e.g. R&D staff not above employees) as a whole, then stored as the edit API stores them."""
    row = session.scalars(select(AnnualFinancials).where(
        AnnualFinancials.enterprise_id == enterprise.id, AnnualFinancials.year == found.year)
    ).one_or_none()
    held = {} if row is None else snapshot(row, FIGURE_FIELDS)
    merged = {k: v for k, v in held.items() if v is not None}
    merged.update({name: found.content["financials"][name] for name in names})
    try:
        values = load_figures(merged)
    except ValidationFailed as exc:
        raise ValidationFailed(
            "采纳后的年度数据不一致 / The figures would not agree with each other once accepted",
            fields={f"financials.{k}": v for k, v in exc.fields.items()}) from None
    put_financials(session, uscc=found.uscc, year=found.year, data=values,
                   version=None if row is None else row.version, who=who)


def _item_values(section: str, item: dict[str, Any]) -> dict[str, Any]:
    values = dict(item)
    for name in rules.DATE_FIELDS.get(section, ()):
        if isinstance(values.get(name), str):
            values[name] = date.fromisoformat(values[name])
    return values


def _record(session: Session, found: Submission, enterprise: Enterprise,
            decisions: list[dict[str, Any]], note: str | None, who: Who) -> None:
    at = utcnow()
    status = rules.review_status(decisions)
    words = {"accept": "accepted", "return": "returned"}
    found.decisions = [*found.decisions, *({
        "field": d["field"], "outcome": words[d["outcome"]], "reason": d.get("reason") or None,
        "reviewer": who.actor, "decided_at": jsonable(at)} for d in decisions)]
    before = found.status
    found.status, found.reviewed_at, found.reviewed_by = status, at, who.actor
    found.review_note = note or None
    if status == "accepted":
        found.open_year = None
    session.flush()
    accepted = [d["field"] for d in decisions if d["outcome"] == "accept"]
    returned = {d["field"]: d["reason"] for d in decisions if d["outcome"] == "return"}
    audit(session, enterprise=enterprise, entity="submission", entity_id=found.id,
          action="review", who=Who(actor=who.actor, reason=note or None,
                                   request_id=who.request_id),
          changes={"status": {"from": before, "to": status}, "accepted": accepted,
                   "returned": sorted(returned)})
    emit(session, SubmissionReviewed(correlation_id=who.request_id, payload=(
        SubmissionReviewedPayload(
            uscc=found.uscc, enterprise_name=enterprise.name, submission_id=found.id,
            year=found.year, status=status,  # type: ignore[arg-type]
            returned_fields=tuple(returned), accepted_fields=tuple(accepted),
            reasons=returned, note=note or None, reviewer=who.actor))))

