"""Write a validated batch in the caller's transaction: new enterprises in bulk, others updated.

New enterprises (the bulk of any first import) go in with ``bulk_insert`` (COPY on
PostgreSQL): enterprise rows with ids reserved from the sequence, their annual figures, one
audit row each and one ``registry.enterprise.changed`` outbox row each, all four as bulk
writes at the end. Enterprises already on file are updated through ``import_updates`` (ORM, one at a
time, with the same audit and event handling as the API). Nothing here commits.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection
from sqlalchemy import Table
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy.orm import Session

from registry.adapters.files.columns import ENTERPRISE_KEYS
from registry.adapters.files.columns import ENTERPRISE_SCOPE_KEYS
from registry.adapters.files.columns import FLAG_KEYS
from registry.adapters.files.row_validation import Batch
from registry.adapters.sql.bulk import bulk_insert
from registry.adapters.sql.bulk import is_postgres
from registry.adapters.sql.bulk import raw_json
from registry.adapters.sql.bulk import reserve_ids
from registry.domain.size_class import classify
from registry.domain.towns import DISTRICT_CODE
from registry.handlers import import_snapshots as snapshot
from registry.handlers.import_snapshots import YEAR_KEYS
from registry.handlers.import_updates import update_existing
from registry.handlers.journal import Who
from registry.models import AnnualFinancials
from registry.models import AuditEntry
from registry.models import Enterprise
from registry.models.base import outbox_table
from yumiao_common.clock import beijing_today
from yumiao_common.clock import utcnow

ENT: Table = Enterprise.__table__  # type: ignore[assignment]
FIN: Table = AnnualFinancials.__table__  # type: ignore[assignment]
AUDIT: Table = AuditEntry.__table__  # type: ignore[assignment]
ENT_COLUMNS = ("id", *ENTERPRISE_KEYS, *FLAG_KEYS, "division_code", "quality_items", "size_class",
               "version", "profile_version", "created_at", "updated_at")
FIN_COLUMNS = ("enterprise_id", *YEAR_KEYS, "version", "updated_at")
_YEAR = itemgetter("year")
AUDIT_COLUMNS = ("enterprise_id", "entity", "entity_id", "action", "actor", "at", "changes",
                 "reason", "request_id")
OUTBOX_COLUMNS = ("id", "type", "payload", "correlation_id", "created_at", "published_at",
                  "attempts", "last_error", "next_attempt_at")


@dataclass(frozen=True)
class WriteResult:
    created: int
    updated: int


def write_batch(
    session: Session, batch: Batch, *, who: Who, today: date | None = None
) -> WriteResult:
    """Write every accepted record of ``batch``; raises (and the caller rolls back) on refusal."""
    conn = session.connection()
    by_code: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for figures in batch.financials:
        by_code[figures["uscc"]].append(figures)
    existing = existing_codes(conn, list(batch.enterprises))
    new_codes = [code for code in batch.enterprises if code not in existing]
    if new_codes:
        _insert_new(conn, batch, new_codes, by_code, who, today or beijing_today())
    updated = update_existing(session, batch, existing, by_code, who=who) if existing else 0
    return WriteResult(created=len(new_codes), updated=updated)


def existing_codes(conn: Connection, codes: list[str]) -> set[str]:
    """Which of ``codes`` are on file; one array parameter on PostgreSQL (a 5,000-item IN list
    costs more to send than to answer)."""
    if is_postgres(conn):
        found_pg = conn.execute(text("SELECT uscc FROM enterprise WHERE uscc = ANY(:codes)"),
                                {"codes": codes})
        return {row[0] for row in found_pg}
    found: set[str] = set()
    for start in range(0, len(codes), 5000):
        chunk = codes[start:start + 5000]
        found.update(conn.scalars(select(ENT.c.uscc).where(ENT.c.uscc.in_(chunk))))
    return found


def _enterprise_values(record: dict[str, Any], latest: dict[str, Any] | None) -> dict[str, Any]:
    values = {k: record.get(k) for k in ENTERPRISE_SCOPE_KEYS}  # a blank flag: unknown
    values["main_product_fields"] = values["main_product_fields"] or None  # blank: unknown
    town = values.get("town_code")
    values["division_code"] = town[:6] if town else DISTRICT_CODE
    size = classify(values.get("industry_code"), latest or {})
    values["size_class"] = size.key if size is not None else None
    return values


def _insert_enterprises(
    conn: Connection, codes: list[str], rows: list[tuple[Any, ...]]
) -> list[int]:
    """Insert the enterprise rows; their ids, in ``codes`` order.

    PostgreSQL: ids reserved from the sequence first, so COPY can carry them. Elsewhere the
    database assigns them and they are read back by credit code (unique).
    """
    if is_postgres(conn):
        ids = reserve_ids(conn, ENT, len(codes))
        bulk_insert(conn, ENT, ENT_COLUMNS, [(i, *row) for i, row in zip(ids, rows, strict=True)])
        return ids
    bulk_insert(conn, ENT, ENT_COLUMNS[1:], rows)
    by_code: dict[str, int] = {}
    for start in range(0, len(codes), 5000):
        chunk = codes[start:start + 5000]
        result = conn.execute(select(ENT.c.uscc, ENT.c.id).where(ENT.c.uscc.in_(chunk)))
        by_code.update((code, eid) for code, eid in result)
    return [by_code[code] for code in codes]


def _insert_new(
    conn: Connection, batch: Batch, codes: list[str],
    by_code: dict[str, list[dict[str, Any]]], who: Who, today: date,
) -> None:
    """Enterprises first (their ids are needed), then figures, audit rows and events.

    The last three are fed to COPY by generators, so each row is built while PostgreSQL is
    still digesting the previous ones: client and server work overlap instead of alternating.
    """
    now = utcnow()
    as_json = raw_json(conn)
    values = [_enterprise_values(batch.enterprises[code], _latest(by_code[code]))
              for code in codes]
    ids = _insert_enterprises(conn, codes, [_enterprise_row(v, now, as_json) for v in values])
    years = [[tuple(map(f.get, YEAR_KEYS)) for f in sorted(by_code[code], key=_YEAR)]
             for code in codes]
    bulk_insert(conn, FIN, FIN_COLUMNS,
                ((eid, *year, 1, now) for eid, rows in zip(ids, years, strict=True)
                 for year in rows))
    texts: list[str] = []  # each enterprise block, rendered once for audit and event
    bulk_insert(conn, AUDIT, AUDIT_COLUMNS, _audit_rows(ids, values, years, texts, who, now,
                                                        as_json))
    towns = [v.get("town_code") for v in values]
    bulk_insert(conn, outbox_table, OUTBOX_COLUMNS, _outbox_rows(texts, years, towns, who, now,
                                                                 today, as_json))


def _latest(years: list[dict[str, Any]]) -> dict[str, Any] | None:
    return max(years, key=_YEAR) if years else None


def _enterprise_row(values: dict[str, Any], now: datetime, as_json: Any) -> tuple[Any, ...]:
    return (*(values[k] for k in ENTERPRISE_KEYS[:-1]),
            _names(values["main_product_fields"], as_json), *(values[k] for k in FLAG_KEYS),
            values["division_code"], None, values["size_class"], 1, 1, now, now)


def _names(names: list[str] | None, as_json: Any) -> Any:
    """A list column: null when the import did not give it (unknown, not "none")."""
    return None if names is None else as_json(snapshot.names_json(names))


def _audit_rows(
    ids: list[int], values: list[dict[str, Any]], years: list[list[tuple[Any, ...]]],
    texts: list[str], who: Who, now: datetime, as_json: Any,
) -> Iterator[tuple[Any, ...]]:
    reason = who.reason or "批量导入 / bulk import"
    for eid, ent, rows in zip(ids, values, years, strict=True):
        text_ = snapshot.enterprise_json(ent)
        texts.append(text_)
        yield (eid, "enterprise", eid, "import", who.actor, now,
               as_json(snapshot.audit_json(text_, [int(y[0]) for y in rows])), reason,
               who.request_id)


def _outbox_rows(
    texts: list[str], years: list[list[tuple[Any, ...]]], towns: list[str | None], who: Who,
    now: datetime, today: date, as_json: Any,
) -> Iterator[tuple[Any, ...]]:
    """One event per new enterprise (no pool yet, so ``pools`` stays empty)."""
    template = snapshot.EnvelopeTemplate(who.request_id)
    for text_, rows, town in zip(texts, years, towns, strict=True):
        profile = snapshot.profile_json(today, text_, snapshot.years_json(rows))
        event_id = uuid.uuid4()
        envelope = template.render(event_id, profile, town)
        yield (event_id, "registry.enterprise.changed", as_json(envelope), who.request_id, now,
               None, 0, None, None)
