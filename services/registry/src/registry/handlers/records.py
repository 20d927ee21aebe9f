"""Use cases on an enterprise's dependent records: annual figures, IP, awards, institutions,
standards and certifications.

They share one shape (create / update with version / delete with version, audit, snapshot
event), so one set of handlers serves them all, parameterised by a ``RecordKind``.
Cross-field rules that need the merged record (e.g. a certificate expiring before it was
issued) run on the values as they will be stored, so a PATCH cannot slip past them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.handlers.common import MAX_ID
from registry.handlers.common import check_version
from registry.handlers.common import get_enterprise
from registry.handlers.common import profile_changed
from registry.handlers.enterprises import refresh_size_class
from registry.handlers.journal import Who
from registry.handlers.journal import audit
from registry.handlers.journal import diff
from registry.handlers.journal import snapshot
from registry.models import AnnualFinancials
from registry.models import Enterprise
from registry.models.financials import FIGURE_FIELDS
from yumiao_common.web.errors import NotFound

YEAR_FIELDS = ("year", *FIGURE_FIELDS)

Validator = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class RecordKind:
    """One kind of dependent record: its model, the fields a client may set, its rules."""

    entity: str
    model: Any
    fields: tuple[str, ...]
    validate: Validator | None = None
    prepare: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    #: Runs after every create, update and delete (certificates: keep the pipeline in step).
    after_change: Callable[[Session, Enterprise, Any, Who], None] | None = None


def _not_found(kind: RecordKind, record_id: int) -> NotFound:
    return NotFound("记录不存在 / Record not found", details={"entity": kind.entity,
                                                          "id": record_id})


def _load(session: Session, kind: RecordKind, enterprise: Enterprise, record_id: int) -> Any:
    if not 0 < record_id <= MAX_ID:
        raise _not_found(kind, record_id)
    record = session.scalars(
        select(kind.model).where(kind.model.id == record_id,
                                 kind.model.enterprise_id == enterprise.id)
    ).one_or_none()
    if record is None:
        raise _not_found(kind, record_id)
    return record


def checked_values(kind: RecordKind, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` as they will be stored (defaults filled), or ``ValidationFailed`` naming the
    field a cross-field rule refuses; the bulk import runs the same rules through this."""
    if kind.prepare is not None:
        values = kind.prepare(values)
    if kind.validate is not None:
        kind.validate(values)
    return values




def get_record(session: Session, *, kind: RecordKind, uscc: str, record_id: int) -> Any:
    return _load(session, kind, get_enterprise(session, uscc), record_id)


def create_record(
    session: Session, *, kind: RecordKind, uscc: str, data: dict[str, Any], who: Who
) -> Any:
    """Add one record to the enterprise's profile."""
    enterprise = get_enterprise(session, uscc, lock=True)
    values = checked_values(kind, dict(data))
    record = kind.model(enterprise_id=enterprise.id, **values)
    session.add(record)
    session.flush()
    audit(session, enterprise=enterprise, entity=kind.entity, entity_id=record.id,
          action="create", changes=diff({}, snapshot(record, kind.fields)), who=who)
    profile_changed(session, enterprise, change=f"{kind.entity}.created", who=who)
    if kind.after_change is not None:
        kind.after_change(session, enterprise, record, who)
    return record


def update_record(
    session: Session, *, kind: RecordKind, uscc: str, record_id: int, data: dict[str, Any],
    version: int | None, who: Who,
) -> Any:
    """Change some fields of one record; a stale ``version`` is refused with 409."""
    enterprise = get_enterprise(session, uscc, lock=True)
    record = _load(session, kind, enterprise, record_id)
    check_version(record.version, version)
    before = snapshot(record, kind.fields)
    merged = checked_values(kind, {f: getattr(record, f) for f in kind.fields} | dict(data))
    for field in kind.fields:
        setattr(record, field, merged[field])
    changes = diff(before, snapshot(record, kind.fields))
    if changes:
        session.flush()
        audit(session, enterprise=enterprise, entity=kind.entity, entity_id=record.id,
              action="update", changes=changes, who=who)
        profile_changed(session, enterprise, change=f"{kind.entity}.updated", who=who)
        if kind.after_change is not None:
            kind.after_change(session, enterprise, record, who)
    return record


def delete_record(
    session: Session, *, kind: RecordKind, uscc: str, record_id: int, version: int | None,
    who: Who,
) -> None:
    """Remove one record; the audit row keeps what it held."""
    enterprise = get_enterprise(session, uscc, lock=True)
    record = _load(session, kind, enterprise, record_id)
    check_version(record.version, version)
    changes = diff(snapshot(record, kind.fields), {})
    session.delete(record)
    session.flush()
    audit(session, enterprise=enterprise, entity=kind.entity, entity_id=record_id,
          action="delete", changes=changes, who=who)
    profile_changed(session, enterprise, change=f"{kind.entity}.deleted", who=who)
    if kind.after_change is not None:
        kind.after_change(session, enterprise, None, who)


def _financials(session: Session, enterprise: Enterprise, year: int) -> AnnualFinancials | None:
    return session.scalars(
        select(AnnualFinancials).where(AnnualFinancials.enterprise_id == enterprise.id,
                                       AnnualFinancials.year == year)
    ).one_or_none()


def get_financials(session: Session, *, uscc: str, year: int) -> AnnualFinancials:
    row = _financials(session, get_enterprise(session, uscc), year)
    if row is None:
        raise NotFound("该年度数据不存在 / No figures for this year", details={"year": year})
    return row


def put_financials(
    session: Session, *, uscc: str, year: int, data: dict[str, Any], version: int | None,
    who: Who,
) -> tuple[AnnualFinancials, bool]:
    """Replace one fiscal year's figures (absent figures become unknown); create it if new.

    Returns the row and whether it was created. Replacing an existing year needs its version.
    """
    enterprise = get_enterprise(session, uscc, lock=True)
    row = _financials(session, enterprise, year)
    created = row is None
    if row is None:
        row = AnnualFinancials(enterprise_id=enterprise.id, year=year)
        session.add(row)
        before: dict[str, Any] = {}
    else:
        check_version(row.version, version)
        before = snapshot(row, YEAR_FIELDS)
    for field in FIGURE_FIELDS:
        setattr(row, field, data.get(field))
    session.flush()
    changes = diff(before, snapshot(row, YEAR_FIELDS))
    if created or changes:
        refresh_size_class(session, enterprise)
        audit(session, enterprise=enterprise, entity="annual_financials", entity_id=row.id,
              action="create" if created else "update", changes=changes, who=who)
        profile_changed(session, enterprise, change="financials.updated", who=who)
    return row, created


def delete_financials(
    session: Session, *, uscc: str, year: int, version: int | None, who: Who
) -> None:
    """Remove one fiscal year (it becomes unknown again)."""
    enterprise = get_enterprise(session, uscc, lock=True)
    row = _financials(session, enterprise, year)
    if row is None:
        raise NotFound("该年度数据不存在 / No figures for this year", details={"year": year})
    check_version(row.version, version)
    changes = diff(snapshot(row, YEAR_FIELDS), {})
    row_id = row.id
    session.delete(row)
    session.flush()
    refresh_size_class(session, enterprise)
    audit(session, enterprise=enterprise, entity="annual_financials", entity_id=row_id,
          action="delete", changes=changes, who=who)
    profile_changed(session, enterprise, change="financials.deleted", who=who)
