"""Statistics the registry computes in SQL: counts as of a date, sums of figures, the funnel and
cohort conversion. Grouped and counted by the database, never by paging through lists.

"As of a date" reads history the registry records:

* certificates carry their issue and expiry dates (valid on D: issued ≤ D ≤ expires, or no
  expiry recorded); a deleted certificate is gone from past counts too (deletion is for
  records typed in error; a frozen snapshot keeps what it counted);
* pool stages come from the stage history (the last move made by the end of D, Beijing time);
* an enterprise's town comes from the audit log (its town changes are recorded there): the
  town it was moved to last by the end of D, else the town it was moved from first after D,
  else the town it has now. Industry and size class are today's (their history is not kept).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy import and_
from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import literal
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import aliased

from registry.domain.monitoring import beijing_day_end
from registry.domain.monitoring import beijing_year_bounds
from registry.models import AnnualFinancials
from registry.models import AuditEntry
from registry.models import Certification
from registry.models import Enterprise
from registry.models import PoolMembership
from registry.models import RdInstitution
from registry.models import StageMove

#: What a count can be grouped by.
DIMENSIONS: tuple[str, ...] = ("none", "town", "industry", "size_class")
SRDI_LEVELS: tuple[str, ...] = ("provincial", "national")
PLATFORM_LEVELS: tuple[str, ...] = ("national", "provincial", "municipal")
AGRI_TIERS: tuple[str, ...] = ("agri_leader_district", "agri_leader_municipal",
                               "agri_leader_provincial", "agri_leader_national")
RESERVE_POOL = "hnte_reserve"


def town_on(as_of: date, today: date) -> ColumnElement[Any]:
    """The enterprise's town code at the end of ``as_of`` (correlated to ``Enterprise``)."""
    if as_of >= today:
        return Enterprise.town_code.expression
    cut = beijing_day_end(as_of)
    moved_from = AuditEntry.changes[("town_code", "from")].as_string()
    moved_to = AuditEntry.changes[("town_code", "to")].as_string()
    # Only updates: a firm registered after the date and never moved is where it is now; one
    # moved since has its registered town as the "from" of its first move.
    moved = and_(AuditEntry.enterprise_id == Enterprise.id, AuditEntry.entity == "enterprise",
                 AuditEntry.action == "update", func.coalesce(moved_from, moved_to).is_not(None))
    before = (select(moved_to).where(moved, AuditEntry.at < cut)
              .order_by(AuditEntry.id.desc()).limit(1).correlate(Enterprise).scalar_subquery())
    after = (select(moved_from).where(moved, AuditEntry.at >= cut)
             .order_by(AuditEntry.id).limit(1).correlate(Enterprise).scalar_subquery())
    return func.coalesce(before, after, Enterprise.town_code)


def dimension_column(by: str, as_of: date, today: date) -> ColumnElement[Any]:
    """The grouping column of ``by`` (industry: the GB/T 4754 division, e.g. C34)."""
    if by == "town":
        return town_on(as_of, today)
    if by == "industry":
        return func.substr(Enterprise.industry_code, 1, 3)
    if by == "size_class":
        return Enterprise.size_class.expression
    return literal("all")


def valid_on(as_of: date) -> ColumnElement[bool]:
    """A certificate valid on ``as_of``: issued by then, expiring then or later (or never)."""
    return and_(Certification.issued_on <= as_of,
                or_(Certification.expires_on.is_(None), Certification.expires_on >= as_of))


def tier_condition(measure: str) -> ColumnElement[bool]:
    """Which certificates a held-title measure counts."""
    if measure == "hnte_held":
        return Certification.tier == "hnte"
    if measure == "tech_sme_registered":
        return Certification.tier == "tech_sme"
    # provincial-or-above SRDI: a provincial/national SRDI SME title (no level: provincial),
    # or a little giant
    return or_(Certification.tier == "little_giant",
               and_(Certification.tier == "srdi_sme",
                    or_(Certification.level.is_(None), Certification.level.in_(SRDI_LEVELS))))


def _grouped(session: Session, stmt: Any) -> dict[str | None, int]:
    return {key: int(count) for key, count in session.execute(stmt)}


def held_by_town(session: Session, measure: str, as_of: date, today: date
                 ) -> dict[str | None, int]:
    """Enterprises holding the measure's title on ``as_of``, per town (each enterprise once)."""
    town = town_on(as_of, today).label("town")
    holders = (select(Certification.enterprise_id)
               .where(tier_condition(measure), valid_on(as_of)).distinct().subquery())
    stmt = (select(town, func.count(Enterprise.id)).select_from(Enterprise)
            .join(holders, holders.c.enterprise_id == Enterprise.id).group_by(town))
    return _grouped(session, stmt)


def new_agri_leaders_by_town(session: Session, year: int, as_of: date, today: date
                             ) -> dict[str | None, int]:
    """Enterprises whose first agricultural-leader certificate was issued in ``year``."""
    first = (select(Certification.enterprise_id,
                    func.min(Certification.issued_on).label("first_on"))
             .where(Certification.tier.in_(AGRI_TIERS)).group_by(Certification.enterprise_id)
             .subquery())
    town = town_on(as_of, today).label("town")
    stmt = (select(town, func.count(Enterprise.id)).select_from(Enterprise)
            .join(first, first.c.enterprise_id == Enterprise.id)
            .where(first.c.first_on >= date(year, 1, 1), first.c.first_on <= as_of)
            .group_by(town))
    return _grouped(session, stmt)


def _admitted_in(year: int, as_of: date | None = None) -> Any:
    """Enterprises moved to ``admitted`` in the reserve within ``year`` (Beijing time)."""
    start, end = beijing_year_bounds(year)
    if as_of is not None:
        end = min(end, beijing_day_end(as_of))
    return (select(PoolMembership.enterprise_id)
            .join(StageMove, StageMove.membership_id == PoolMembership.id)
            .where(PoolMembership.pool == RESERVE_POOL, StageMove.to_stage == "admitted",
                   StageMove.moved_at >= start, StageMove.moved_at < end)
            .distinct().subquery())


def reserve_admitted_by_town(session: Session, year: int, as_of: date, today: date
                             ) -> dict[str | None, int]:
    admitted = _admitted_in(year, as_of)
    town = town_on(as_of, today).label("town")
    stmt = (select(town, func.count(Enterprise.id)).select_from(Enterprise)
            .join(admitted, admitted.c.enterprise_id == Enterprise.id).group_by(town))
    return _grouped(session, stmt)


def platforms_by_town(session: Session) -> dict[str | None, int]:
    """Municipal-or-above R&D institutions per (current) town."""
    stmt = (select(Enterprise.town_code, func.count(RdInstitution.id))
            .join(Enterprise, Enterprise.id == RdInstitution.enterprise_id)
            .where(RdInstitution.level.in_(PLATFORM_LEVELS)).group_by(Enterprise.town_code))
    return _grouped(session, stmt)


@dataclass(frozen=True)
class FigureSums:
    """Sums of one figure over the enterprises reporting it in both years (like for like)."""

    current: int
    previous: int
    enterprises: int


def like_for_like_by_town(session: Session, figure: str, year: int, as_of: date, today: date
                          ) -> dict[str | None, FigureSums]:
    """Per town: this year's and last year's sums of ``figure`` over firms reporting both."""
    cur = aliased(AnnualFinancials)
    prev = aliased(AnnualFinancials)
    cur_col, prev_col = getattr(cur, figure), getattr(prev, figure)
    town = town_on(as_of, today).label("town")
    stmt = (select(town, func.sum(cur_col), func.sum(prev_col), func.count(Enterprise.id))
            .select_from(Enterprise)
            .join(cur, and_(cur.enterprise_id == Enterprise.id, cur.year == year))
            .join(prev, and_(prev.enterprise_id == Enterprise.id, prev.year == year - 1))
            .where(cur_col.is_not(None), prev_col.is_not(None)).group_by(town))
    return {key: FigureSums(int(c or 0), int(p or 0), int(n))
            for key, c, p, n in session.execute(stmt)}


def figure_totals(session: Session, figure: str, years: Iterable[int], by: str, today: date
                  ) -> list[tuple[int, Any, int, int]]:
    """(year, group, sum, enterprises reporting) of ``figure`` for each year."""
    rows: list[tuple[int, Any, int, int]] = []
    col = getattr(AnnualFinancials, figure)
    for year in years:
        group = dimension_column(by, date(year, 12, 31), today).label("grp")
        stmt = (select(group, func.sum(col), func.count(AnnualFinancials.id))
                .join(Enterprise, Enterprise.id == AnnualFinancials.enterprise_id)
                .where(AnnualFinancials.year == year, col.is_not(None)).group_by(group))
        rows.extend((year, key, int(total or 0), int(n)) for key, total, n in
                    session.execute(stmt))
    return rows


def certifications_held(session: Session, as_of: date, by: str, today: date
                        ) -> list[tuple[str, Any, int]]:
    """(tier, group, enterprises holding it on ``as_of``) for every tier."""
    group = dimension_column(by, as_of, today).label("grp")
    holders = (select(Certification.tier, Certification.enterprise_id)
               .where(valid_on(as_of)).distinct().subquery())
    stmt = (select(holders.c.tier, group, func.count(Enterprise.id)).select_from(Enterprise)
            .join(holders, holders.c.enterprise_id == Enterprise.id)
            .group_by(holders.c.tier, group).order_by(holders.c.tier))
    return [(tier, key, int(n)) for tier, key, n in session.execute(stmt)]


def stages_on(session: Session, as_of: date, by: str, today: date
              ) -> list[tuple[str, str, Any, int]]:
    """(pool, stage, group, members) at the end of ``as_of``: each member's last move by then."""
    cut = beijing_day_end(as_of)
    last = (select(StageMove.membership_id, func.max(StageMove.id).label("move_id"))
            .where(StageMove.moved_at < cut).group_by(StageMove.membership_id).subquery())
    group = dimension_column(by, as_of, today).label("grp")
    stmt = (select(PoolMembership.pool, StageMove.to_stage, group, func.count(PoolMembership.id))
            .select_from(PoolMembership)
            .join(last, last.c.membership_id == PoolMembership.id)
            .join(StageMove, StageMove.id == last.c.move_id)
            .join(Enterprise, Enterprise.id == PoolMembership.enterprise_id)
            .group_by(PoolMembership.pool, StageMove.to_stage, group)
            .order_by(PoolMembership.pool))
    return [(pool, stage, key, int(n)) for pool, stage, key, n in session.execute(stmt)]


def funnel(session: Session, pool: str, start: date, as_of: date) -> dict[str, int]:
    """Members of ``pool`` that reached each stage between ``start`` and the end of ``as_of``."""
    low = beijing_year_bounds(start.year)[0] if start.month == 1 and start.day == 1 else \
        beijing_day_end(start)
    stmt = (select(StageMove.to_stage, func.count(func.distinct(StageMove.membership_id)))
            .join(PoolMembership, PoolMembership.id == StageMove.membership_id)
            .where(PoolMembership.pool == pool, StageMove.moved_at >= low,
                   StageMove.moved_at < beijing_day_end(as_of))
            .group_by(StageMove.to_stage))
    return {stage: int(n) for stage, n in session.execute(stmt)}


def admission_years(session: Session) -> list[int]:
    """Years (UTC year of the move; checked per Beijing year by ``cohort``) with admissions."""
    stmt = (select(func.min(StageMove.moved_at), func.max(StageMove.moved_at))
            .join(PoolMembership, PoolMembership.id == StageMove.membership_id)
            .where(PoolMembership.pool == RESERVE_POOL, StageMove.to_stage == "admitted"))
    low, high = session.execute(stmt).one()
    if low is None or high is None:
        return []
    return list(range(low.year, high.year + 2))


def cohort(session: Session, year: int, last_year: int) -> tuple[int, list[int]]:
    """Of the reserve admitted in ``year``: how many, and how many held a high-tech
    certificate issued from 1 January of ``year`` up to 31 December of each year to
    ``last_year``."""
    admitted = _admitted_in(year)
    first = (select(Certification.enterprise_id,
                    func.min(Certification.issued_on).label("first_on"))
             .where(Certification.tier == "hnte", Certification.issued_on >= date(year, 1, 1))
             .group_by(Certification.enterprise_id).subquery())
    columns: list[Any] = [func.count(admitted.c.enterprise_id)]
    columns += [func.sum(case((first.c.first_on <= date(by, 12, 31), 1), else_=0))
                for by in range(year, last_year + 1)]
    stmt = (select(*columns).select_from(admitted)
            .outerjoin(first, first.c.enterprise_id == admitted.c.enterprise_id))
    row = session.execute(stmt).one()
    return int(row[0]), [int(v or 0) for v in row[1:]]
