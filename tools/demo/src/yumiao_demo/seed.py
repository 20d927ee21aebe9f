"""Load the demo firms into the registry fast and idempotently (``seed-demo``, ``cli.py``).

Everything goes in with bulk writes (COPY on PostgreSQL, Core executemany on SQLite), never
the ORM unit of work: enterprises, figures, IP, recognitions, certifications, pool
memberships with their legal stage history, one audit row and one ``registry.enterprise
.changed`` event per firm (so scoring builds its read model from the demo too). Firms whose
credit code is already on file are skipped, so a second run changes nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection
from sqlalchemy import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.adapters.sql.bulk import bulk_insert
from registry.adapters.sql.bulk import is_postgres
from registry.adapters.sql.bulk import raw_json
from registry.adapters.sql.bulk import reserve_ids
from registry.domain.size_class import classify
from registry.handlers.import_snapshots import EnvelopeTemplate
from registry.handlers.import_snapshots import dumps
from registry.models import AnnualFinancials
from registry.models import AuditEntry
from registry.models import Award
from registry.models import Certification
from registry.models import Enterprise
from registry.models import IpAsset
from registry.models import PoolMembership
from registry.models import RdInstitution
from registry.models import StageMove
from registry.models import StandardLed
from registry.models.base import outbox_table
from registry.models.financials import FIGURE_FIELDS
from yumiao_common.clock import beijing_today
from yumiao_common.clock import utcnow
from yumiao_demo.firms.generator import DemoFirm
from yumiao_demo.firms.generator import generate_demo
from yumiao_demo.firms.snapshot import demo_profile

ACTOR = "demo-seed"
REASON = "演示数据（合成） / Demo data (synthetic)"
_FLAGS = ("major_safety_incident", "major_quality_incident", "serious_environmental_violation",
          "research_misconduct", "abnormal_operations_list", "serious_dishonesty_list",
          "tax_evasion", "restricted_products")
_ENT_COLS = ("uscc", "name", "established_on", "division_code", "town_code", "industry_code",
             "hightech_field", "tax_method", "niche_market_years", "main_product_fields",
             *_FLAGS, "digital_level", "quality_items", "hnte_expert", "size_class", "version",
             "profile_version", "created_at", "updated_at")


def table(model: Any) -> Table:
    result: Table = model.__table__
    return result


@dataclass(frozen=True)
class SeedResult:
    inserted: int
    skipped: int


def seed_demo(session: Session, *, n: int = 3000, seed: int | None = None) -> SeedResult:
    """Insert the demo firms not yet on file; the caller commits."""
    firms = generate_demo(n) if seed is None else generate_demo(n, seed)
    conn = session.connection()
    codes = [f.profile["enterprise"]["uscc"] for f in firms]
    on_file = set(conn.scalars(select(Enterprise.uscc).where(Enterprise.uscc.in_(codes))))
    todo = [f for f in firms if f.profile["enterprise"]["uscc"] not in on_file]
    if todo:
        _insert(conn, todo)
    return SeedResult(inserted=len(todo), skipped=len(firms) - len(todo))


def _ids(conn: Connection, tbl: Table, rows: list[tuple[Any, ...]], columns: tuple[str, ...],
         key: tuple[str, ...]) -> list[int]:
    """Insert ``rows``; their new ids in order (reserved on PostgreSQL, read back elsewhere)."""
    if is_postgres(conn):
        ids = reserve_ids(conn, tbl, len(rows))
        bulk_insert(conn, tbl, ("id", *columns), [(i, *r) for i, r in zip(ids, rows, strict=True)])
        return ids
    bulk_insert(conn, tbl, columns, rows)
    at = [columns.index(k) for k in key]
    found = {tuple(r[1:]): r[0] for r in conn.execute(
        select(tbl.c.id, *(tbl.c[k] for k in key)))}
    return [found[tuple(r[i] for i in at)] for r in rows]


def _insert(conn: Connection, firms: list[DemoFirm]) -> None:
    now = utcnow()
    as_json = raw_json(conn)
    ent_rows = [_enterprise_row(f, now, as_json) for f in firms]
    ids = _ids(conn, table(Enterprise), ent_rows, _ENT_COLS, ("uscc",))
    rows: dict[str, list[tuple[Any, ...]]] = {k: [] for k in (
        "fin", "ip", "award", "inst", "std", "cert", "audit", "outbox")}
    template = EnvelopeTemplate(None)
    today = beijing_today()
    for eid, firm in zip(ids, firms, strict=True):
        _children(rows, eid, firm, now)
        profile = dumps(demo_profile(firm, today))
        rows["audit"].append((eid, "enterprise", eid, "create", ACTOR, now,
                              as_json('{"demo":{"from":null,"to":true}}'), REASON, None))
        event_id = uuid.uuid4()
        pools = tuple(sorted(m["pool"] for m in firm.memberships
                             if m["stage"] not in ("rejected", "withdrawn")))
        envelope = template.render(event_id, profile, firm.town_code, pools)
        rows["outbox"].append((event_id, "registry.enterprise.changed", as_json(envelope), None,
                               now, None, 0, None, None))
    _write_children(conn, rows)
    _memberships(conn, ids, firms, now)


def _enterprise_row(firm: DemoFirm, now: datetime, as_json: Any) -> tuple[Any, ...]:
    e, a = firm.profile["enterprise"], firm.profile["assessments"]
    fin = firm.profile["financials"]
    size = classify(e["industry_code"], fin[-1]) if fin else None
    return (e["uscc"], e["name"], date.fromisoformat(e["established_on"]), e["division_code"],
            firm.town_code, e["industry_code"], e["hightech_field"], e["tax_method"],
            e["niche_market_years"], as_json(dumps(e["main_product_fields"])),
            *(e["flags"][f] for f in _FLAGS), a.get("digital_level"),
            as_json(dumps(a.get("quality_items", []))),
            as_json(dumps(a.get("hnte_expert"))) if a.get("hnte_expert") else None,
            size.key if size is not None else None, 1, 1, now, now)


def _children(rows: dict[str, list[tuple[Any, ...]]], eid: int, firm: DemoFirm,
              now: datetime) -> None:
    p = firm.profile
    for f in p["financials"]:
        share = f.get("farm_sourced_share_pct")  # a decimal string in the profile
        figures = {**f, "farm_sourced_share_pct": Decimal(share) if share else None}
        rows["fin"].append((eid, f["year"], *(figures.get(k) for k in FIGURE_FIELDS), 1, now))
    for i in p["ip"]:
        rows["ip"].append((eid, i["kind"], i["number"], date.fromisoformat(i["granted_on"]),
                           i["acquired_by"], i["related_to_main_product"], i["high_value"],
                           i["in_force"], i["used_in_hnte"], i["in_dispute"], 1))
    for a in p["awards"]:
        rows["award"].append((eid, a["level"], a["year"], a.get("rank"), 1))
    for r in p["rd_institutions"]:
        rows["inst"].append((eid, r["level"], r["name"], 1))
    for s in p["standards_led"]:
        rows["std"].append((eid, s["level"], s["year"], 1))
    for c in [*p["certifications"], *firm.extra_certifications]:
        expires = date.fromisoformat(c["expires_on"]) if c.get("expires_on") else None
        rows["cert"].append((eid, c["tier"], c.get("number"), date.fromisoformat(c["issued_on"]),
                             expires, 1))


def _write_children(conn: Connection, rows: dict[str, list[tuple[Any, ...]]]) -> None:
    bulk_insert(conn, table(AnnualFinancials),
                ("enterprise_id", "year", *FIGURE_FIELDS, "version", "updated_at"), rows["fin"])
    bulk_insert(conn, table(IpAsset),
                ("enterprise_id", "kind", "number", "granted_on", "acquired_by",
                 "related_to_main_product", "high_value", "in_force", "used_in_hnte",
                 "in_dispute", "version"), rows["ip"])
    bulk_insert(conn, table(Award), ("enterprise_id", "level", "year", "rank", "version"),
                rows["award"])
    bulk_insert(conn, table(RdInstitution), ("enterprise_id", "level", "name", "version"),
                rows["inst"])
    bulk_insert(conn, table(StandardLed), ("enterprise_id", "level", "year", "version"),
                rows["std"])
    bulk_insert(conn, table(Certification),
                ("enterprise_id", "tier", "number", "issued_on", "expires_on", "version"),
                rows["cert"])
    bulk_insert(conn, table(AuditEntry),
                ("enterprise_id", "entity", "entity_id", "action", "actor", "at", "changes",
                 "reason", "request_id"), rows["audit"])
    bulk_insert(conn, outbox_table,
                ("id", "type", "payload", "correlation_id", "created_at", "published_at",
                 "attempts", "last_error", "next_attempt_at"), rows["outbox"])


def _memberships(conn: Connection, ids: list[int], firms: list[DemoFirm], now: datetime) -> None:
    """Memberships, then each one's path of legal moves from nomination to its stage."""
    plan = [(eid, m) for eid, firm in zip(ids, firms, strict=True) for m in firm.memberships]
    cols = ("enterprise_id", "pool", "stage", "cohort_year", "nominated_by", "nominated_at",
            "stage_changed_at", "version")
    rows = []
    for eid, m in plan:
        since = datetime.combine(date.fromisoformat(m["since"]), time(9), tzinfo=UTC)
        rows.append((eid, m["pool"], m["stage"], since.year, ACTOR, since, since, 1))
    member_ids = _ids(conn, table(PoolMembership), rows, cols, ("enterprise_id", "pool"))
    moves = []
    for mid, (_, m), row in zip(member_ids, plan, rows, strict=True):
        previous = None
        for stage in m["path"]:
            reason = m["reason"] if stage in ("rejected", "withdrawn") else REASON
            moves.append((mid, previous, stage, ACTOR, reason or REASON, row[5]))
            previous = stage
    bulk_insert(conn, table(StageMove),
                ("membership_id", "from_stage", "to_stage", "actor", "reason", "moved_at"),
                moves)
