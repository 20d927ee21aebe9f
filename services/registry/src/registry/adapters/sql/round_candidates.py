"""Candidates of a reserve round: the readiness ranking without holders and members.

One statement over the registry's own tables: the readiness read model (scoring's verdicts,
fed by its events) joined to the enterprise, leaving out firms that hold the pool's title
today and firms that are live members of the pool, filtered by town and industry. Ordered
eligible first, then near; by score, highest first; then by id — the keyset the cursor holds
(``{"r": rank, "s": score, "id": readiness id}``), so every page is an index range, not an
offset.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_
from sqlalchemy import case
from sqlalchemy import exists
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.adapters.sql.enterprise_list import held_on
from registry.domain.pipeline import CLOSED_STAGES
from registry.models import Certification
from registry.models import Enterprise
from registry.models import PoolMembership
from registry.models import Readiness

#: A score below every real one, standing in for "no score" in the order and the cursor.
NO_SCORE = Decimal("-1")


@dataclass(frozen=True)
class CandidateFilter:
    pool: str
    tier: str
    verdicts: tuple[str, ...]
    min_score: Decimal | None = None
    town: str | None = None
    industry: str | None = None


def candidates(
    session: Session, flt: CandidateFilter, *, today: date, after: dict[str, Any] | None,
    limit: int,
) -> list[dict[str, Any]]:
    """Up to ``limit`` candidates after the keyset position ``after`` (first page: None)."""
    rank = case((Readiness.verdict == "eligible", 0), else_=1)
    score = func.coalesce(Readiness.score, NO_SCORE)
    holder = exists().where(Certification.enterprise_id == Enterprise.id,
                            Certification.tier == flt.tier, held_on(today))
    member = exists().where(PoolMembership.enterprise_id == Enterprise.id,
                            PoolMembership.pool == flt.pool,
                            PoolMembership.stage.not_in([s.value for s in CLOSED_STAGES]))
    stmt = (
        select(Readiness, Enterprise, rank.label("rank"), score.label("sort_score"))
        .join(Enterprise, Enterprise.uscc == Readiness.uscc)
        .where(Readiness.tier == flt.tier, Readiness.verdict.in_(flt.verdicts),
               ~holder, ~member)
    )
    if flt.min_score is not None:
        stmt = stmt.where(Readiness.score >= flt.min_score)
    if flt.town:
        stmt = stmt.where(Enterprise.town_code == flt.town)
    if flt.industry:
        stmt = stmt.where(Enterprise.industry_code.startswith(flt.industry, autoescape=True))
    if after is not None:
        r, s, last = int(after["r"]), Decimal(str(after["s"])), int(after["id"])
        stmt = stmt.where(or_(rank > r, and_(rank == r, score < s),
                              and_(rank == r, score == s, Readiness.id > last)))
    rows = session.execute(
        stmt.order_by(rank, score.desc(), Readiness.id).limit(limit)).all()
    return [
        {"uscc": ent.uscc, "name": ent.name, "town_code": ent.town_code,
         "industry_code": ent.industry_code, "verdict": ready.verdict, "score": ready.score,
         "rulebook_version": ready.rulebook_version, "as_of": ready.as_of,
         "changed_at": ready.changed_at,
         "_key": {"r": int(r), "s": str(Decimal(s).quantize(Decimal("0.01"))), "id": ready.id}}
        for ready, ent, r, s in rows
    ]
