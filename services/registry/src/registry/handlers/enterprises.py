"""Use cases on the enterprise record itself: create and update (with derived size class)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.domain.size_class import classify
from registry.domain.towns import DISTRICT_CODE
from registry.handlers.common import check_version
from registry.handlers.common import get_enterprise
from registry.handlers.common import profile_changed
from registry.handlers.journal import Who
from registry.handlers.journal import audit
from registry.handlers.journal import diff
from registry.handlers.journal import jsonable
from registry.handlers.journal import snapshot
from registry.handlers.review_evidence import cite_evidence
from registry.models import AnnualFinancials
from registry.models import Enterprise
from registry.models.enterprise import FLAG_FIELDS
from yumiao_common.web.errors import Conflict

ASSESSMENT_FIELDS = ("digital_level", "quality_items", "hnte_expert", "srdi_dev_score",
                     "srdi_dev_score_prev", "shandong", "reviews")
SIZE_FIELDS = ("employees", "operating_revenue", "total_assets")
AUDITED_FIELDS: tuple[str, ...] = (
    "uscc", "name", "established_on", "division_code", "town_code", "park", "address",
    "industry_code", "hightech_field", "tax_method", "niche_market_years",
    "main_product_fields", "market_share_pct", "market_rank_national",
    "market_rank_provincial", *FLAG_FIELDS, *ASSESSMENT_FIELDS, "size_class",
)


def _flatten(data: dict[str, Any]) -> dict[str, Any]:
    """API shape (nested ``flags`` and ``assessments``) → column values."""
    flat = {k: v for k, v in data.items() if k not in ("flags", "assessments")}
    flat.update(data.get("flags") or {})
    flat.update(data.get("assessments") or {})
    for json_field in ("hnte_expert", "shandong", "reviews"):  # JSON: Decimals, dates → strings
        if flat.get(json_field) is not None:
            flat[json_field] = jsonable(flat[json_field])
    return flat


def refresh_size_class(session: Session, enterprise: Enterprise) -> None:
    """Derive the size class from the latest fiscal year on file (None when unknown)."""
    latest = session.scalars(
        select(AnnualFinancials)
        .where(AnnualFinancials.enterprise_id == enterprise.id)
        .order_by(AnnualFinancials.year.desc())
        .limit(1)
    ).one_or_none()
    figures: dict[str, int | None] = {}
    if latest is not None:
        figures = {f: getattr(latest, f) for f in SIZE_FIELDS}
    size = classify(enterprise.industry_code, figures)
    enterprise.size_class = size.key if size is not None else None


def create_enterprise(session: Session, *, data: dict[str, Any], who: Who) -> Enterprise:
    """Register a new enterprise; its credit code must not be on file yet."""
    exists = session.scalars(select(Enterprise.id).where(Enterprise.uscc == data["uscc"])).first()
    if exists is not None:
        raise Conflict("该统一社会信用代码已登记 / This credit code is already registered",
                       code="duplicate", fields={"uscc": ["已存在 / already exists"]})
    values = _flatten(data)
    if values.get("reviews"):
        values["reviews"] = cite_evidence(session, uscc=data["uscc"], reviews=values["reviews"])
    if not values.get("division_code"):
        town = values.get("town_code")
        values["division_code"] = town[:6] if town else DISTRICT_CODE
    enterprise = Enterprise(**values, version=1, profile_version=0)
    session.add(enterprise)
    session.flush()
    refresh_size_class(session, enterprise)
    changes = diff({}, snapshot(enterprise, AUDITED_FIELDS))
    audit(session, enterprise=enterprise, entity="enterprise", entity_id=enterprise.id,
          action="create", changes=changes, who=who)
    profile_changed(session, enterprise, change="enterprise.created", who=who)
    return enterprise


def update_enterprise(
    session: Session, *, uscc: str, data: dict[str, Any], version: int | None, who: Who
) -> Enterprise:
    """Change some fields (PATCH semantics); a stale ``version`` is refused with 409."""
    enterprise = get_enterprise(session, uscc, lock=True)
    check_version(enterprise.version, version)
    before = snapshot(enterprise, AUDITED_FIELDS)
    values = _flatten(data)
    if values.get("reviews"):
        values["reviews"] = cite_evidence(session, uscc=uscc, reviews=values["reviews"])
    for field, value in values.items():
        setattr(enterprise, field, value)
    if "town_code" in values and "division_code" not in values and values["town_code"]:
        enterprise.division_code = values["town_code"][:6]
    refresh_size_class(session, enterprise)
    changes = diff(before, snapshot(enterprise, AUDITED_FIELDS))
    if not changes:
        return enterprise
    enterprise.version += 1
    audit(session, enterprise=enterprise, entity="enterprise", entity_id=enterprise.id,
          action="update", changes=changes, who=who)
    profile_changed(session, enterprise, change="enterprise.updated", who=who)
    return enterprise
