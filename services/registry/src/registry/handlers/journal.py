"""What every write handler leaves beside its change: an audit row and outbox events.

Handlers call these inside the caller's transaction, so the change, its audit row and its
events commit or roll back together. ``Who`` carries the acting principal and the request id
(the events' correlation id) without handlers importing Flask.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from registry.models import AuditEntry
from registry.models import Enterprise
from registry.models.base import outbox_table
from yumiao_common.contracts.base import Event
from yumiao_common.messaging.outbox import add_event


@dataclass(frozen=True)
class Who:
    """The acting principal of a change, the reason given, and the request it came in."""

    actor: str
    reason: str | None = None
    request_id: str | None = None


def jsonable(value: Any) -> Any:
    """A JSON-safe rendering for diffs: dates ISO, Decimals as strings (never floats)."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    return value


def snapshot(record: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """The named attributes of ``record`` as JSON-safe values."""
    return {f: jsonable(getattr(record, f)) for f in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``{"field": {"from": old, "to": new}}`` for every field whose value changed."""
    keys = list(dict.fromkeys([*before, *after]))
    return {
        k: {"from": before.get(k), "to": after.get(k)}
        for k in keys
        if before.get(k) != after.get(k)
    }


def audit(
    session: Session,
    *,
    enterprise: Enterprise,
    entity: str,
    entity_id: int | None,
    action: str,
    changes: dict[str, Any],
    who: Who,
) -> AuditEntry:
    """Append one audit row (flushed with the change; never committed here)."""
    entry = AuditEntry(
        enterprise_id=enterprise.id,
        entity=entity,
        entity_id=entity_id,
        action=action,
        actor=who.actor,
        changes=changes,
        reason=who.reason,
        request_id=who.request_id,
    )
    session.add(entry)
    return entry


def emit(session: Session, event: Event) -> None:
    """Write ``event`` to the outbox in the current transaction."""
    add_event(session, outbox_table, event)
