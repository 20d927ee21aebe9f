"""The dependent-record kinds of an enterprise and their cross-field rules."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from registry.domain.tiers import default_expiry
from registry.handlers.journal import Who
from registry.handlers.records import RecordKind
from registry.handlers.titles import reconcile_titles
from registry.models import Award
from registry.models import Certification
from registry.models import Enterprise
from registry.models import IpAsset
from registry.models import RdInstitution
from registry.models import StandardLed
from yumiao_common.clock import beijing_today
from yumiao_common.web.errors import ValidationFailed


def _certification_defaults(values: dict[str, Any]) -> dict[str, Any]:
    """Fill the usual expiry (high-tech 3 years, tech SME 1 year, …) when none is given."""
    if values.get("expires_on") is None and values.get("issued_on") is not None:
        values["expires_on"] = default_expiry(values["tier"], values["issued_on"])
    return values


def _certification_rules(values: dict[str, Any]) -> None:
    issued, expires = values.get("issued_on"), values.get("expires_on")
    if issued is not None and issued > beijing_today():
        raise ValidationFailed(fields={"issued_on": ["发证日期不能晚于今天 / "
                                                      "issue date cannot be in the future"]})
    if issued is not None and expires is not None and expires <= issued:
        raise ValidationFailed(fields={"expires_on": ["有效期须晚于发证日期 / "
                                                       "must be after the issue date"]})


def _certification_changed(
    session: Session, enterprise: Enterprise, record: Certification | None, who: Who
) -> None:
    """A recorded, corrected or revoked (deleted) certificate moves the pipeline along."""
    reconcile_titles(session, enterprise=enterprise, who=who, certificate=record)


def _ip_rules(values: dict[str, Any]) -> None:
    granted = values.get("granted_on")
    if granted is not None and granted > beijing_today():
        raise ValidationFailed(fields={"granted_on": ["授权日期不能晚于今天 / "
                                                       "grant date cannot be in the future"]})


IP = RecordKind(
    "ip_asset", IpAsset,
    ("kind", "number", "title", "granted_on", "acquired_by", "related_to_main_product",
     "high_value", "in_force", "used_in_hnte", "in_dispute"),
    validate=_ip_rules,
)
AWARDS = RecordKind("award", Award, ("level", "year", "rank", "title"))
INSTITUTIONS = RecordKind("rd_institution", RdInstitution, ("level", "name"))
STANDARDS = RecordKind("standard_led", StandardLed, ("level", "year", "code", "title"))
CERTIFICATIONS = RecordKind(
    "certification", Certification,
    ("tier", "level", "number", "issuer", "issued_on", "expires_on"),
    validate=_certification_rules,
    prepare=_certification_defaults,
    after_change=_certification_changed,
)
