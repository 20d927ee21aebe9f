"""Schemas of the dependent records. Each kind has an input schema (create: required fields
required; update: everything optional plus ``version``) and an output schema."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import fields

from registry.api.fields import MAX_COUNT
from registry.api.fields import BaseSchema
from registry.api.fields import any_date
from registry.api.fields import boolean
from registry.api.fields import choice
from registry.api.fields import integer
from registry.api.fields import past_date
from registry.api.fields import reason_field
from registry.api.fields import text
from registry.api.fields import version_field
from registry.api.fields import year
from registry.domain.tiers import CERT_LEVELS
from registry.domain.tiers import TIERS
from registry.models.ip import ACQUIRED_BY
from registry.models.ip import CLASS_I_KINDS
from registry.models.ip import CLASS_II_KINDS
from registry.models.ip import ip_class
from registry.models.recognition import LEVELS
from registry.models.recognition import STANDARD_LEVELS

Fields = dict[str, Any]


def _bool(**kw: Any) -> Any:
    return boolean(**kw)


def ip_fields(req: bool) -> Fields:
    return {
        "kind": choice(sorted(CLASS_I_KINDS | CLASS_II_KINDS), required=req),
        "number": text(64, min_length=1, required=req),
        "title": text(200, allow_none=True),
        "granted_on": past_date(allow_none=True),
        "acquired_by": choice(ACQUIRED_BY, required=req),
        "related_to_main_product": _bool(required=req),
        "high_value": _bool(),
        "in_force": _bool(),
        "used_in_hnte": _bool(allow_none=True, metadata={"description": (
            "Ⅱ类知识产权是否已用于以往高企认定；null 或不填 = 未知 / Whether a Class II item "
            "was already used in an earlier HNTE recognition; null or left out = not known "
            "(it then never counts as unused)")}),
        "in_dispute": _bool(),
    }


def award_fields(req: bool) -> Fields:
    return {
        "level": choice(LEVELS, required=req),
        "year": year(required=req),
        "rank": integer(1, MAX_COUNT, allow_none=True),
        "title": text(200, allow_none=True),
    }


def institution_fields(req: bool) -> Fields:
    return {
        "level": choice(LEVELS, required=req),
        "name": text(200, min_length=1, required=req),
    }


def standard_fields(req: bool) -> Fields:
    return {
        "level": choice(STANDARD_LEVELS, required=req),
        "year": year(required=req),
        "code": text(60, allow_none=True),
        "title": text(200, allow_none=True),
    }


def certification_fields(req: bool) -> Fields:
    return {
        "tier": choice(sorted(TIERS), required=req),
        "level": choice(CERT_LEVELS, allow_none=True),
        "number": text(60, allow_none=True),
        "issuer": text(200, allow_none=True),
        "issued_on": past_date(required=req),
        "expires_on": any_date(allow_none=True),
    }


def schemas(name: str, spec: Callable[[bool], Fields]) -> tuple[type, type, type]:
    """(create, update, output) schema classes for one record kind."""
    create = BaseSchema.from_dict({**spec(True), "reason": reason_field()}, name=f"{name}Create")
    update = BaseSchema.from_dict(
        {**spec(False), "version": version_field(), "reason": reason_field()},
        name=f"{name}Update")
    out_fields: Fields = {"id": fields.Integer(), "version": fields.Integer()}
    for field_name, field in spec(False).items():
        out_fields[field_name] = type(field)(allow_none=True)
    if name == "Ip":
        out_fields["ip_class"] = fields.Function(lambda obj: ip_class(obj.kind))
    output = BaseSchema.from_dict(out_fields, name=name)
    return create, update, output
