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

from datetime import date
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

ENTERPRISE_FIELDS: tuple[str, ...] = (
    "uscc", "name", "established_on", "division_code", "industry_code", "hightech_field",
    "tax_method", "niche_market_years", "main_product_fields", "market_share_pct",
    "market_rank_national", "market_rank_provincial",
)
IP_FIELDS: tuple[str, ...] = (
    "kind", "number", "granted_on", "acquired_by", "related_to_main_product", "high_value",
    "in_force", "used_in_hnte", "in_dispute",
)


def _rows(session: Session, model: Any, enterprise_id: int, order: Any) -> list[Any]:
    stmt = select(model).where(model.enterprise_id == enterprise_id).order_by(order)
    return list(session.scalars(stmt))


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


def _certifications(session: Session, ent: Enterprise) -> list[dict[str, Any]]:
    certs = _rows(session, Certification, ent.id, Certification.issued_on)
    return [
        _pick(c, ("tier", "issued_on", "expires_on", "number"))
        for c in certs
        if c.tier not in REGISTRY_ONLY_TIERS
    ]


def build_profile(session: Session, ent: Enterprise, as_of: date | None = None) -> dict[str, Any]:
    """The profile.md JSON of ``ent`` as of ``as_of`` (default today)."""
    eid, day = ent.id, as_of or date.today()
    return {
        "as_of": day.isoformat(),
        "enterprise": _without_unknown(enterprise_block(ent), "main_product_fields"),
        "financials": [  # a year after as_of's year had not happened yet on that date
            {"year": f.year, **_pick(f, FIGURE_FIELDS)}
            for f in _rows(session, AnnualFinancials, eid, AnnualFinancials.year)
            if f.year <= day.year
        ],
        "ip": [_pick(i, IP_FIELDS) for i in _rows(session, IpAsset, eid, IpAsset.id)],
        "awards": [
            _pick(a, ("level", "year", "rank")) for a in _rows(session, Award, eid, Award.id)
        ],
        "rd_institutions": [
            _pick(r, ("level", "name"))
            for r in _rows(session, RdInstitution, eid, RdInstitution.id)
        ],
        "standards_led": [
            _pick(s, ("level", "year")) for s in _rows(session, StandardLed, eid, StandardLed.id)
        ],
        "certifications": _certifications(session, ent),
        "assessments": _without_unknown(assessments_block(ent), "quality_items"),
    }
