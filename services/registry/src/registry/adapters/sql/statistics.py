"""Statistics the registry computes in SQL: counts as of a date, sums of figures, the funnel and
cohort conversion. Grouped and counted by the database, never by paging through lists.

"As of a date" reads history the registry records:

* certificates carry their issue and expiry dates (valid on D: issued ≤ D ≤ expires, or no
  expiry recorded); a deleted certificate is gone from past counts too (deletion is for
  records typed in error; a frozen snapshot keeps what it counted);
* pool stages come from the stage history (the last move made by the end of D, Beijing time);
* an enterprise's town and industry come from the audit log (their changes are recorded
  there): the value it was changed to last by the end of D, else the value it was changed
  from first after D, else the value it has now; its size class is that of its figures of the
  last fiscal year ended by D (``adapters/sql/as_of.py`` per firm, ``adapters/sql/grouping.py``
  joined into a grouped count).
"""

from __future__ import annotations

from collections.abc import Collection
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy import and_
from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import literal
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy import union
from sqlalchemy import union_all
from sqlalchemy.orm import Session
from sqlalchemy.orm import aliased

from registry.adapters.sql.as_of import town_on
from registry.adapters.sql.grouping import grouping
from registry.domain.monitoring import beijing_day_end
from registry.domain.monitoring import beijing_year_bounds
from registry.models import AnnualFinancials
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


def without_jit(session: Session) -> None:
    """Turn PostgreSQL's JIT compiler off for the rest of this transaction.

    The planner prices a town-as-of-a-date lookup (a correlated subquery per firm) or a
    cohort's per-firm certificate search far above ``jit_above_cost``, so at 100,000
    enterprises it compiled each statistics statement first: seconds of compiling (measured:
    9 s of JIT for a 0.4 s query) for statements that run in milliseconds. SQLite has no JIT.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))


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


def _rows(session: Session, stmt: Any) -> Any:
    """Plain rows through the Core connection (per-enterprise reads return tens of thousands of
    rows; the ORM's row handling, meant for entities, took as long as the query)."""
    return session.connection().execute(stmt).all()


def _of(column: Any, only: Collection[int] | None) -> list[ColumnElement[bool]]:
    """No condition (every enterprise), or ``column`` among ``only``."""
    return [] if only is None else [column.in_(sorted(only))]


def _held(measure: str, as_of: date, only: Collection[int] | None) -> Any:
    """(measure, enterprise) for each enterprise holding the measure's title on ``as_of``."""
    return (select(literal(measure).label("measure"), Certification.enterprise_id)
            .where(tier_condition(measure), valid_on(as_of),
                   *_of(Certification.enterprise_id, only)).distinct())


def _new_agri_leaders(year: int, as_of: date, only: Collection[int] | None) -> Any:
    """Enterprises whose first agricultural-leader certificate was issued in ``year``."""
    first = (select(Certification.enterprise_id,
                    func.min(Certification.issued_on).label("first_on"))
             .where(Certification.tier.in_(AGRI_TIERS), *_of(Certification.enterprise_id, only))
             .group_by(Certification.enterprise_id).subquery())
    return (select(literal("agri_leader_new").label("measure"), first.c.enterprise_id)
            .where(first.c.first_on >= date(year, 1, 1), first.c.first_on <= as_of))


def _admitted_in(year: int, as_of: date | None = None, only: Collection[int] | None = None
                 ) -> Any:
    """Enterprises moved to ``admitted`` in the reserve within ``year`` (Beijing time)."""
    start, end = beijing_year_bounds(year)
    if as_of is not None:
        end = min(end, beijing_day_end(as_of))
    return (select(PoolMembership.enterprise_id)
            .join(StageMove, StageMove.membership_id == PoolMembership.id)
            .where(PoolMembership.pool == RESERVE_POOL, StageMove.to_stage == "admitted",
                   StageMove.moved_at >= start, StageMove.moved_at < end,
                   *_of(PoolMembership.enterprise_id, only))
            .distinct().subquery())


#: The measures ``counted_per_firm`` counts (firms, or platforms, of a year).
COUNTED: tuple[str, ...] = ("hnte_held", "srdi_provincial_held", "tech_sme_registered",
                            "agri_leader_new", "reserve_admitted", "innovation_platforms")


def counted_per_firm(session: Session, year: int, as_of: date, today: date,
                     only: Collection[int] | None = None
                     ) -> list[tuple[str, int, str | None, int]]:
    """(measure, enterprise, its town, how many) of every counted measure of ``year``, in one
    statement, for every enterprise that counts (or only those of ``only``):

    * held titles: an enterprise holding one on ``as_of`` counts 1 (however many it holds);
    * ``agri_leader_new``: 1 if its first agricultural-leader certificate was issued in
      ``year`` up to ``as_of``;
    * ``reserve_admitted``: 1 if moved to admitted in the reserve within ``year`` up to the
      end of ``as_of``;
    * ``innovation_platforms``: its municipal-or-above R&D institutions, in its current town
      (their history is not recorded).

    Summed per town these are the year's figures; kept per enterprise, a change re-counts only
    the enterprises it touched (``handlers/live_figures.py``).
    """
    admitted = _admitted_in(year, as_of, only)
    counted = union_all(
        *(_held(m, as_of, only) for m in ("hnte_held", "srdi_provincial_held",
                                           "tech_sme_registered")),
        _new_agri_leaders(year, as_of, only),
        select(literal("reserve_admitted").label("measure"), admitted.c.enterprise_id),
        select(literal("innovation_platforms").label("measure"), RdInstitution.enterprise_id)
        .where(RdInstitution.level.in_(PLATFORM_LEVELS),
               *_of(RdInstitution.enterprise_id, only)),
    ).subquery()
    town = case((counted.c.measure == "innovation_platforms", Enterprise.town_code),
                else_=town_on(as_of, today)).label("town")
    stmt = (select(counted.c.measure, Enterprise.id, town, func.count()).select_from(counted)
            .join(Enterprise, Enterprise.id == counted.c.enterprise_id)
            .group_by(counted.c.measure, Enterprise.id, town))
    return [(measure, int(firm), key, int(n)) for measure, firm, key, n in _rows(session, stmt)]


def figure_pairs(session: Session, figure: str, year: int, as_of: date, today: date,
                 only: Collection[int] | None = None) -> list[tuple[int, str | None, int, int]]:
    """(enterprise, its town, this year's ``figure``, last year's) for every enterprise that
    reported it in both years (or only those of ``only``): the like-for-like growth's terms."""
    cur = aliased(AnnualFinancials)
    prev = aliased(AnnualFinancials)
    cur_col, prev_col = getattr(cur, figure), getattr(prev, figure)
    town = town_on(as_of, today).label("town")
    stmt = (select(Enterprise.id, town, cur_col, prev_col)
            .select_from(cur)
            .join(prev, and_(prev.enterprise_id == cur.enterprise_id, prev.year == year - 1))
            .join(Enterprise, Enterprise.id == cur.enterprise_id)
            .where(cur.year == year, cur_col.is_not(None), prev_col.is_not(None),
                   *_of(cur.enterprise_id, only)))
    return [(int(firm), key, int(c), int(p)) for firm, key, c, p in _rows(session, stmt)]


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
        dims = grouping(by, date(year, 12, 31), today)
        group = dims.column.label("grp")
        stmt = dims.apply(select(group, func.sum(col), func.count(AnnualFinancials.id))
                          .select_from(AnnualFinancials)
                          .join(Enterprise, Enterprise.id == AnnualFinancials.enterprise_id))
        stmt = stmt.where(AnnualFinancials.year == year, col.is_not(None)).group_by(group)
        rows.extend((year, key, int(total or 0), int(n)) for key, total, n in
                    session.execute(stmt))
    return rows


def certifications_held(session: Session, as_of: date, by: str, today: date
                        ) -> list[tuple[str, Any, int]]:
    """(tier, group, enterprises holding it on ``as_of``) for every tier."""
    dims = grouping(by, as_of, today)
    group = dims.column.label("grp")
    holders = (select(Certification.tier, Certification.enterprise_id)
               .where(valid_on(as_of)).distinct().subquery())
    stmt = dims.apply(select(holders.c.tier, group, func.count(Enterprise.id))
                      .select_from(Enterprise)
                      .join(holders, holders.c.enterprise_id == Enterprise.id))
    stmt = stmt.group_by(holders.c.tier, group).order_by(holders.c.tier)
    return [(tier, key, int(n)) for tier, key, n in session.execute(stmt)]


def stages_on(session: Session, as_of: date, by: str, today: date
              ) -> list[tuple[str, str, Any, int]]:
    """(pool, stage, group, members) at the end of ``as_of``: each member's last move by then."""
    cut = beijing_day_end(as_of)
    last = (select(StageMove.membership_id, func.max(StageMove.id).label("move_id"))
            .where(StageMove.moved_at < cut).group_by(StageMove.membership_id).subquery())
    dims = grouping(by, as_of, today)
    group = dims.column.label("grp")
    stmt = dims.apply(select(PoolMembership.pool, StageMove.to_stage, group,
                             func.count(PoolMembership.id))
                      .select_from(PoolMembership)
                      .join(last, last.c.membership_id == PoolMembership.id)
                      .join(StageMove, StageMove.id == last.c.move_id)
                      .join(Enterprise, Enterprise.id == PoolMembership.enterprise_id))
    stmt = stmt.group_by(PoolMembership.pool, StageMove.to_stage, group).order_by(
        PoolMembership.pool)
    return [(pool, stage, key, int(n)) for pool, stage, key, n in session.execute(stmt)]


def funnel_per_firm(session: Session, pool: str, start: date, as_of: date,
                    only: Collection[int] | None = None) -> list[tuple[int, str, int]]:
    """(enterprise, stage, its members of ``pool`` that reached the stage) between ``start``
    and the end of ``as_of``; summed, the pool's funnel."""
    low = beijing_year_bounds(start.year)[0] if start.month == 1 and start.day == 1 else \
        beijing_day_end(start)
    stmt = (select(PoolMembership.enterprise_id, StageMove.to_stage,
                   func.count(func.distinct(StageMove.membership_id)))
            .join(PoolMembership, PoolMembership.id == StageMove.membership_id)
            .where(PoolMembership.pool == pool, StageMove.moved_at >= low,
                   StageMove.moved_at < beijing_day_end(as_of),
                   *_of(PoolMembership.enterprise_id, only))
            .group_by(PoolMembership.enterprise_id, StageMove.to_stage))
    return [(int(firm), stage, int(n)) for firm, stage, n in _rows(session, stmt)]


def admissions(session: Session, only: Collection[int] | None = None
               ) -> list[tuple[int, datetime]]:
    """(enterprise, when) of every move to admitted in the reserve (the cohorts' members)."""
    stmt = (select(PoolMembership.enterprise_id, StageMove.moved_at)
            .join(StageMove, StageMove.membership_id == PoolMembership.id)
            .where(PoolMembership.pool == RESERVE_POOL, StageMove.to_stage == "admitted",
                   *_of(PoolMembership.enterprise_id, only)))
    return [(int(firm), at) for firm, at in _rows(session, stmt)]


def hnte_issued(session: Session, only: Collection[int] | None = None
                ) -> list[tuple[int, date]]:
    """(enterprise, issued on) of the high-tech certificates of enterprises ever admitted to
    the reserve (or only those of ``only``): when a cohort's members were certified."""
    admitted = (select(PoolMembership.enterprise_id)
                .join(StageMove, StageMove.membership_id == PoolMembership.id)
                .where(PoolMembership.pool == RESERVE_POOL, StageMove.to_stage == "admitted"))
    stmt = (select(Certification.enterprise_id, Certification.issued_on)
            .where(Certification.tier == "hnte", Certification.enterprise_id.in_(admitted),
                   *_of(Certification.enterprise_id, only)))
    return [(int(firm), issued) for firm, issued in _rows(session, stmt)]


def dated_between(session: Session, after: date, until: date) -> set[int]:
    """Enterprises whose figures as of ``until`` may differ from those as of ``after`` by the
    dates alone (nothing written in between): a certificate issued after ``after`` up to
    ``until``, or expiring from ``after`` to the day before ``until``; a reserve move made
    between the ends of the two days (Beijing time)."""
    certificates = select(Certification.enterprise_id).where(or_(
        and_(Certification.issued_on > after, Certification.issued_on <= until),
        and_(Certification.expires_on >= after, Certification.expires_on < until)))
    moves = (select(PoolMembership.enterprise_id)
             .join(StageMove, StageMove.membership_id == PoolMembership.id)
             .where(StageMove.moved_at >= beijing_day_end(after),
                    StageMove.moved_at < beijing_day_end(until)))
    return {int(firm) for firm, in _rows(session, union(certificates, moves))}
