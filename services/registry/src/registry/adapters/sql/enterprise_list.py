"""Read-side queries: the filtered, keyset-paginated enterprise list (also used by exports).

Who holds a title on a day (``held_on``) is decided here once for the list filter, the
pipeline's prerequisites and the exports: a certificate with an expiry is held through that
day; one without is held for the validity its tier's rules give — the table scoring reads too
(``yumiao_common.contracts.validity``; issue 8 item 4) — never forever. A certificate whose
standing cannot be told (no rule, or an agricultural title past its monitoring window) is not
counted as held.

Pagination is keyset on the primary key (the cursor carries the last id served, ascending;
``yumiao_common.web.pagination``): stable while rows are added or changed, and constant cost per
page however deep the client pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy import Select
from sqlalchemy import and_
from sqlalchemy import false
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.models import Certification
from registry.models import Enterprise
from registry.models import PoolMembership
from yumiao_common.clock import beijing_today
from yumiao_common.contracts.validity import VALIDITY
from yumiao_common.contracts.validity import earliest_issue_held


@dataclass(frozen=True)
class EnterpriseFilter:
    """What a curator can filter the enterprise list on (all optional, combined with AND)."""

    town: str | None = None
    industry: str | None = None
    pool: str | None = None
    stage: str | None = None
    tier: str | None = None
    size_class: str | None = None
    q: str | None = None


def held_on(day: date) -> ColumnElement[bool]:
    """Certificates held on ``day``: issued by then, and expiring on or after it — or, without
    an expiry, issued within the validity their tier's rules give (``VALIDITY``)."""
    undated = [
        and_(Certification.tier == tier, Certification.issued_on >= bound)
        for tier in VALIDITY
        if (bound := earliest_issue_held(tier, day)) is not None
    ]
    return and_(
        Certification.issued_on <= day,
        or_(Certification.expires_on >= day,
            and_(Certification.expires_on.is_(None), or_(false(), *undated))),
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _membership_clause(flt: EnterpriseFilter) -> Select[Any]:
    stmt = select(PoolMembership.enterprise_id)
    if flt.pool:
        stmt = stmt.where(PoolMembership.pool == flt.pool)
    if flt.stage:
        stmt = stmt.where(PoolMembership.stage == flt.stage)
    return stmt


def filtered(flt: EnterpriseFilter, *, today: date | None = None) -> Select[Any]:
    """``SELECT enterprise`` with every filter applied (no ordering, no paging)."""
    stmt = select(Enterprise)
    if flt.town:
        stmt = stmt.where(Enterprise.town_code == flt.town)
    if flt.industry:
        stmt = stmt.where(Enterprise.industry_code.like(_escape_like(flt.industry) + "%",
                                                        escape="\\"))
    if flt.size_class:
        stmt = stmt.where(Enterprise.size_class == flt.size_class)
    if flt.pool or flt.stage:
        stmt = stmt.where(Enterprise.id.in_(_membership_clause(flt)))
    if flt.tier:
        valid_on = today or beijing_today()
        held = select(Certification.enterprise_id).where(
            Certification.tier == flt.tier, held_on(valid_on))
        stmt = stmt.where(Enterprise.id.in_(held))
    if flt.q:
        pattern = "%" + _escape_like(flt.q) + "%"
        stmt = stmt.where(or_(Enterprise.name.ilike(pattern, escape="\\"),
                              Enterprise.uscc.like(_escape_like(flt.q.upper()) + "%",
                                                   escape="\\")))
    return stmt


def page_enterprises(
    session: Session, flt: EnterpriseFilter, *, after: int, limit: int
) -> tuple[list[Enterprise], int | None, int]:
    """One page: the enterprises, the last id of this page if more follow, the total."""
    base = filtered(flt)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows: list[Enterprise] = list(session.scalars(
        base.where(Enterprise.id > after).order_by(Enterprise.id).limit(limit + 1)
    ))
    next_after = rows[limit - 1].id if len(rows) > limit else None
    return rows[:limit], next_after, total
