"""Reading a filtered enterprise list for export: Core queries streamed in id order.

The filter is the list endpoint's own (``registry.adapters.sql.enterprise_list.filtered``),
applied as an id subquery, so an export always holds exactly what the same filters list on
screen. Rows come through ``yield_per`` (server-side cursor on PostgreSQL) rather than ORM
objects. Building the export is a use case of its own (read-only: no audit, no event).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import Select
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.adapters.files.columns import ENTERPRISE_SCOPE_KEYS
from registry.adapters.files.export_workbook import ExportBook
from registry.adapters.sql.enterprise_list import EnterpriseFilter
from registry.adapters.sql.enterprise_list import filtered
from registry.adapters.sql.enterprise_list import held_on
from registry.domain.pipeline import POOLS
from registry.domain.pipeline import STAGE_LABELS
from registry.domain.tiers import TIERS
from registry.domain.towns import TOWNS_BY_CODE
from registry.models import AnnualFinancials
from registry.models import Certification
from registry.models import Enterprise
from registry.models import PoolMembership
from registry.models.financials import FIGURE_FIELDS
from yumiao_common.vocabulary.hightech_fields import field_label
from yumiao_common.vocabulary.industries import industry_label

BATCH = 2000
#: Size classes (``SizeClass.key``, 工信部联企业〔2011〕300号) as the list sheet names them.
SIZE_NAMES: dict[str, str | None] = {"large": "大型", "medium": "中型", "small": "小型",
                                     "micro": "微型"}
_ENT_COLUMNS = [getattr(Enterprise, k) for k in ENTERPRISE_SCOPE_KEYS]  # flags too
_STAGE_NAMES = {stage.value: label.split(" / ")[0] for stage, label in STAGE_LABELS.items()}


def _ids(flt: EnterpriseFilter) -> Select[Any]:
    return filtered(flt).with_only_columns(Enterprise.id)


def _titles(session: Session, ids: Select[Any], today: date) -> dict[int, list[str]]:
    stmt = (select(Certification.enterprise_id, Certification.tier)
            .where(Certification.enterprise_id.in_(ids), held_on(today))
            .order_by(Certification.enterprise_id, Certification.tier))
    out: dict[int, list[str]] = defaultdict(list)
    for eid, tier in session.execute(stmt):
        out[eid].append(TIERS[tier].label.split(" / ")[0] if tier in TIERS else tier)
    return out


def _stages(session: Session, ids: Select[Any]) -> dict[int, list[str]]:
    stmt = (select(PoolMembership.enterprise_id, PoolMembership.pool, PoolMembership.stage)
            .where(PoolMembership.enterprise_id.in_(ids))
            .order_by(PoolMembership.enterprise_id, PoolMembership.pool))
    out: dict[int, list[str]] = defaultdict(list)
    for eid, pool, stage in session.execute(stmt):
        pool_name = POOLS[pool].label.split(" / ")[0] if pool in POOLS else pool
        out[eid].append(f"{pool_name}：{_STAGE_NAMES.get(stage, stage)}")
    return out


def _figures(session: Session, ids: Select[Any], year: int | None
             ) -> Iterator[tuple[Any, ...]]:
    stmt = (select(Enterprise.id, *_ENT_COLUMNS, AnnualFinancials.year,
                   *(getattr(AnnualFinancials, f) for f in FIGURE_FIELDS))
            .join(AnnualFinancials, AnnualFinancials.enterprise_id == Enterprise.id)
            .where(Enterprise.id.in_(ids))
            .order_by(Enterprise.id, AnnualFinancials.year)
            .execution_options(yield_per=BATCH))
    if year is not None:
        stmt = stmt.where(AnnualFinancials.year == year)
    yield from session.execute(stmt)


def count(session: Session, flt: EnterpriseFilter) -> int:
    """How many enterprises an export of ``flt`` holds (known before its first byte)."""
    return int(session.scalar(select(func.count()).select_from(_ids(flt).subquery())) or 0)


def fill(book: ExportBook, session: Session, flt: EnterpriseFilter, today: date, *,
         year: int | None = None) -> int:
    """Write every enterprise the filter selects; returns how many. With ``year`` only that
    fiscal year's figures are written (the list's figure columns show that year)."""
    *_, written = 0, *fill_steps(book, session, flt, today, year=year)
    return written


def fill_steps(book: ExportBook, session: Session, flt: EnterpriseFilter, today: date, *,
               year: int | None = None, every: int = BATCH) -> Iterator[int]:
    """``fill`` one step at a time: yields (enterprises written so far) every ``every`` rows,
    so a streamed download sends what is ready between steps; the last value is the count."""
    ids = _ids(flt)
    keys = ("id", *ENTERPRISE_SCOPE_KEYS, "year", *FIGURE_FIELDS)
    latest: dict[int, dict[str, Any]] = {}
    for n, row in enumerate(_figures(session, ids, year), 1):
        values = dict(zip(keys, row, strict=True))
        book.add_year(values)
        latest[values["id"]] = values
        if n % every == 0:
            yield 0
    titles, stages = _titles(session, ids, today), _stages(session, ids)
    count = 0
    stmt = (select(Enterprise.id, Enterprise.uscc, Enterprise.name, Enterprise.town_code,
                   Enterprise.industry_code, Enterprise.size_class, Enterprise.established_on,
                   Enterprise.hightech_field)
            .where(Enterprise.id.in_(ids)).order_by(Enterprise.id)
            .execution_options(yield_per=BATCH))
    for eid, uscc, name, town, industry, size, established, field in session.execute(stmt):
        last = latest.get(eid, {})
        town_name = TOWNS_BY_CODE[town].name if town in TOWNS_BY_CODE else None
        book.add_enterprise([
            uscc, name, town_name, town, industry_label(industry) if industry else None,
            SIZE_NAMES.get(size or "", size), established, field_label(field) if field else None,
            "；".join(titles.get(eid, [])), "；".join(stages.get(eid, [])),
            last.get("year"), last.get("employees"), last.get("operating_revenue"),
            last.get("rd_expense"),
        ])
        count += 1
        if count % every == 0:
            yield count
    yield count
