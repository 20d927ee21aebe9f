"""A curator's worklist: my firms, overdue follow-ups, firms that became eligible or near since
my last visit, certificates expiring, open problems (issue 12 item 5).

A curator is responsible for tens of firms, not thousands, so the firms are read first and each
section is one query restricted to them (``IN`` over their ids); every section is capped at
``limit`` rows with its ``total`` counted, most urgent first.

``unassigned`` is the district's, not the curator's: pool members (admitted and on) nobody is
responsible for. They can be thousands, so that section pages by enterprise id (keyset, in
SQL) and its total is a ``COUNT`` in SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

from sqlalchemy import exists
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.domain.cultivation import EXPIRY_HORIZON_DAYS
from registry.domain.cultivation import MEMBER_STAGES
from registry.domain.cultivation import WATCHED_VERDICTS
from registry.models import Certification
from registry.models import Curatorship
from registry.models import Enterprise
from registry.models import PoolMembership
from registry.models import Problem
from registry.models import Readiness
from registry.models import ServiceRecord


@dataclass(frozen=True)
class Firm:
    id: int
    uscc: str
    name: str


def _section(items: Sequence[Any], limit: int) -> dict[str, Any]:
    return {"items": list(items[:limit]), "total": len(items)}


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def unassigned(session: Session, *, after: int, limit: int) -> dict[str, Any]:
    """Pool members without a responsible curator, by enterprise id after ``after``: each
    firm once, with the pools it is a member of; ``last_id`` is set when more follow."""
    member = select(PoolMembership.enterprise_id).where(
        PoolMembership.stage.in_(MEMBER_STAGES))
    nobody = ~exists().where(Curatorship.enterprise_id == Enterprise.id)
    # Counted over the memberships (thousands), not the enterprises (100,000): 8 ms, not 50.
    total = session.scalar(
        select(func.count(PoolMembership.enterprise_id.distinct()))
        .where(PoolMembership.stage.in_(MEMBER_STAGES),
               ~exists().where(Curatorship.enterprise_id == PoolMembership.enterprise_id)))
    rows = session.execute(
        select(Enterprise.id, Enterprise.uscc, Enterprise.name)
        .where(Enterprise.id.in_(member), nobody, Enterprise.id > after)
        .order_by(Enterprise.id).limit(limit + 1)).all()
    page = rows[:limit]
    pools: dict[int, list[dict[str, str]]] = {r.id: [] for r in page}
    for eid, pool, stage in session.execute(
            select(PoolMembership.enterprise_id, PoolMembership.pool, PoolMembership.stage)
            .where(PoolMembership.enterprise_id.in_(list(pools)),
                   PoolMembership.stage.in_(MEMBER_STAGES))
            .order_by(PoolMembership.enterprise_id, PoolMembership.pool)):
        pools[eid].append({"pool": pool, "stage": stage})
    return {"items": [{"uscc": r.uscc, "name": r.name, "pools": pools[r.id]} for r in page],
            "total": total or 0, "last_id": page[-1].id if len(rows) > limit else None}


def worklist(session: Session, *, curator: str, today: date, limit: int,
             unassigned_after: int = 0) -> dict[str, Any]:
    """Every section of ``curator``'s worklist as of ``today``."""
    firms = [Firm(*row) for row in session.execute(
        select(Enterprise.id, Enterprise.uscc, Enterprise.name)
        .join(Curatorship, Curatorship.enterprise_id == Enterprise.id)
        .where(Curatorship.curator == curator).order_by(Enterprise.uscc))]
    by_id = {f.id: f for f in firms}
    ids = list(by_id)
    last_service = dict(session.execute(
        select(ServiceRecord.enterprise_id, func.max(ServiceRecord.served_on))
        .where(ServiceRecord.enterprise_id.in_(ids)).group_by(ServiceRecord.enterprise_id)).all())
    last_visit = dict(session.execute(
        select(ServiceRecord.enterprise_id, func.max(ServiceRecord.served_on))
        .where(ServiceRecord.enterprise_id.in_(ids), ServiceRecord.kind == "visit")
        .group_by(ServiceRecord.enterprise_id)).all())
    open_counts = dict(session.execute(
        select(Problem.enterprise_id, func.count())
        .where(Problem.enterprise_id.in_(ids), Problem.status != "resolved")
        .group_by(Problem.enterprise_id)).all())

    def firm(fid: int) -> dict[str, Any]:
        return {"uscc": by_id[fid].uscc, "name": by_id[fid].name}

    my_firms = [{**firm(f.id), "last_service_on": last_service.get(f.id),
                 "last_visit_on": last_visit.get(f.id), "open_problems": open_counts.get(f.id, 0)}
                for f in firms]
    overdue = [
        {**firm(r.enterprise_id), "service_id": r.id, "kind": r.kind, "served_on": r.served_on,
         "follow_up": r.follow_up, "follow_up_due": r.follow_up_due,
         "days_overdue": (today - r.follow_up_due).days}
        for r in session.scalars(
            select(ServiceRecord).where(ServiceRecord.enterprise_id.in_(ids),
                                        ServiceRecord.follow_up_done_on.is_(None),
                                        ServiceRecord.follow_up_due < today)
            .order_by(ServiceRecord.follow_up_due, ServiceRecord.id))
        if r.follow_up_due is not None
    ]
    usccs = {f.uscc: f.id for f in firms}
    readiness = []
    for row in session.scalars(
            select(Readiness).where(Readiness.uscc.in_(list(usccs)),
                                    Readiness.verdict.in_(WATCHED_VERDICTS))
            .order_by(Readiness.changed_at.desc(), Readiness.id)):
        fid = usccs[row.uscc]
        visited = last_visit.get(fid)
        changed = _aware(row.changed_at)
        if visited is None or changed >= datetime.combine(visited + timedelta(days=1),
                                                          datetime.min.time(), tzinfo=UTC):
            readiness.append({**firm(fid), "tier": row.tier, "verdict": row.verdict,
                              "score": row.score, "changed_at": changed,
                              "last_visit_on": visited})
    horizon = today + timedelta(days=EXPIRY_HORIZON_DAYS)
    expiring = [
        {**firm(c.enterprise_id), "certification_id": c.id, "tier": c.tier,
         "number": c.number, "expires_on": c.expires_on,
         "days_left": (c.expires_on - today).days if c.expires_on else None}
        for c in session.scalars(
            select(Certification).where(Certification.enterprise_id.in_(ids),
                                        Certification.expires_on >= today,
                                        Certification.expires_on <= horizon)
            .order_by(Certification.expires_on, Certification.id))
    ]
    problems = [
        {**firm(p.enterprise_id), "problem_id": p.id, "title": p.title, "status": p.status,
         "raised_on": p.raised_on, "days_open": (today - p.raised_on).days}
        for p in session.scalars(
            select(Problem).where(Problem.enterprise_id.in_(ids), Problem.status != "resolved")
            .order_by(Problem.raised_on, Problem.id))
    ]
    return {"curator": curator, "as_of": today,
            "firms": _section(my_firms, limit),
            "overdue_follow_ups": _section(overdue, limit),
            "readiness_changes": _section(readiness, limit),
            "expiring_certificates": _section(expiring, limit),
            "open_problems": _section(problems, limit),
            "unassigned": unassigned(session, after=unassigned_after, limit=limit)}
