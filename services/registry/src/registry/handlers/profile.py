"""The enterprise profile (shared/reference/profile.md) built from the registry's tables.

One builder serves ``GET /enterprises/{uscc}/profile`` and the ``registry.enterprise.changed``
snapshot, so what scoring evaluates is exactly what a curator sees. Money goes out as integer
yuan, shares as decimal strings; absent figures stay null (unknown, never zero).
Missing is not empty (profile.md): ``main_product_fields`` and ``quality_items`` never
recorded (null columns) are left out of the profile, which reads them as unknown; a list
recorded as none goes out as ``[]``.
Certifications of registry-only tiers (district agricultural leader, listed) are left out:
the shared Profile contract and scoring do not know them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from collections.abc import Sequence
from datetime import date
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.domain.tiers import REGISTRY_ONLY_TIERS
from registry.handlers.journal import jsonable
from registry.models import AnnualFinancials
from registry.models import Award
from registry.models import Certification
from registry.models import Enterprise
from registry.models import IpAsset
from registry.models import RdInstitution
from registry.models import StandardLed
from registry.models.enterprise import FLAG_FIELDS
from registry.models.financials import FIGURE_FIELDS
from yumiao_common.clock import beijing_today

ENTERPRISE_FIELDS: tuple[str, ...] = (
    "uscc", "name", "established_on", "division_code", "industry_code", "hightech_field",
    "tax_method", "niche_market_years", "main_product_fields", "market_share_pct",
    "market_rank_national", "market_rank_provincial",
)
#: The order of each child table's rows in the profile.
_ORDER: dict[Any, Any] = {
    AnnualFinancials: AnnualFinancials.year, IpAsset: IpAsset.id, Award: Award.id,
    RdInstitution: RdInstitution.id, StandardLed: StandardLed.id,
    Certification: Certification.issued_on,
}
IP_FIELDS: tuple[str, ...] = (
    "kind", "number", "granted_on", "acquired_by", "related_to_main_product", "high_value",
    "in_force", "used_in_hnte", "in_dispute",
)


#: Reads one enterprise's rows of a child table: (model, enterprise id, order) → rows.
RowSource = Callable[[Any, int, Any], list[Any]]


def _rows(session: Session, model: Any, enterprise_id: int, order: Any) -> list[Any]:
    stmt = select(model).where(model.enterprise_id == enterprise_id).order_by(order)
    return list(session.scalars(stmt))


def prefetch_rows(session: Session, enterprise_ids: Sequence[int]) -> RowSource:
    """The child rows of many enterprises, read with one query per table (and 5,000 ids),
    for building many profiles at once (a bulk import): the same rows in the same order as
    ``build_profile`` reads one enterprise at a time, without six queries per firm."""
    tables: dict[Any, dict[int, list[Any]]] = {}
    models: tuple[Any, ...] = (AnnualFinancials, IpAsset, Award, RdInstitution, StandardLed,
                               Certification)
    for model in models:
        grouped: dict[int, list[Any]] = defaultdict(list)
        order = _ORDER[model]
        for start in range(0, len(enterprise_ids), 5000):
            chunk = list(enterprise_ids[start:start + 5000])
            for row in session.scalars(select(model).where(model.enterprise_id.in_(chunk))
                                       .order_by(model.enterprise_id, order)):
                grouped[row.enterprise_id].append(row)
        tables[model] = grouped
    return lambda model, enterprise_id, _order: list(tables[model].get(enterprise_id, ()))


def _pick(record: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: jsonable(getattr(record, f)) for f in fields}


def _known_list(values: list[str] | None) -> list[str] | None:
    return None if values is None else list(values)


def _without_unknown(block: dict[str, Any], name: str) -> dict[str, Any]:
    """``block`` without the list ``name`` when it is unknown (None): left out = unknown."""
    if block.get(name) is None:
        block.pop(name, None)
    return block


def enterprise_block(ent: Enterprise) -> dict[str, Any]:
    """The profile's ``enterprise`` block; ``main_product_fields`` None when never recorded."""
    block = _pick(ent, ENTERPRISE_FIELDS)
    block["main_product_fields"] = _known_list(ent.main_product_fields)
    block["flags"] = {f: getattr(ent, f) for f in FLAG_FIELDS}
    return block


def assessments_block(ent: Enterprise) -> dict[str, Any]:
    """The ``assessments`` block as the API shows it (``quality_items`` None = not recorded)."""
    block = {
        "digital_level": ent.digital_level,
        "quality_items": _known_list(ent.quality_items),
        "hnte_expert": jsonable(ent.hnte_expert),
        "srdi_dev_score": jsonable(ent.srdi_dev_score),
        "srdi_dev_score_prev": jsonable(ent.srdi_dev_score_prev),
        "shandong": jsonable(ent.shandong),
    }
    if ent.reviews:  # only when recorded: snapshots of firms without reviews stay unchanged
        block["reviews"] = jsonable(ent.reviews)
    return block


def _certifications(read: RowSource, ent: Enterprise) -> list[dict[str, Any]]:
    certs = read(Certification, ent.id, _ORDER[Certification])
    return [
        _pick(c, ("tier", "issued_on", "expires_on", "number"))
        for c in certs
        if c.tier not in REGISTRY_ONLY_TIERS
    ]


def build_profile(session: Session, ent: Enterprise, as_of: date | None = None, *,
                  rows: RowSource | None = None) -> dict[str, Any]:
    """The profile.md JSON of ``ent`` as of ``as_of`` (default today); ``rows`` reads the
    child tables (default: from ``session``, one query each; ``prefetch_rows`` for many)."""
    eid, day = ent.id, as_of or beijing_today()
    read = rows or partial(_rows, session)
    return {
        "as_of": day.isoformat(),
        "enterprise": _without_unknown(enterprise_block(ent), "main_product_fields"),
        "financials": [  # a year after as_of's year had not happened yet on that date
            {"year": f.year, **_pick(f, FIGURE_FIELDS)}
            for f in read(AnnualFinancials, eid, AnnualFinancials.year)
            if f.year <= day.year
        ],
        "ip": [_pick(i, IP_FIELDS) for i in read(IpAsset, eid, IpAsset.id)],
        "awards": [
            _pick(a, ("level", "year", "rank")) for a in read(Award, eid, Award.id)
        ],
        "rd_institutions": [
            _pick(r, ("level", "name"))
            for r in read(RdInstitution, eid, RdInstitution.id)
        ],
        "standards_led": [
            _pick(s, ("level", "year")) for s in read(StandardLed, eid, StandardLed.id)
        ],
        "certifications": _certifications(read, ent),
        "assessments": _without_unknown(assessments_block(ent), "quality_items"),
    }
