"""Schemas of plans and their indicators (targets as decimal strings; never float)."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError
from marshmallow import fields
from marshmallow import validate

from registry.api.fields import MESSAGES
from registry.api.fields import BaseSchema
from registry.api.fields import DecimalInput
from registry.api.fields import choice
from registry.api.fields import integer
from registry.api.fields import reason_field
from registry.api.fields import text
from registry.api.fields import version_field
from registry.domain.monitoring import MEASURES
from registry.domain.towns import is_town_code
from yumiao_common.web.fields import UtcDateTime
from yumiao_common.web.pagination import page_schema

MAX_TARGET = 10**15


def target(**kw: Any) -> Any:
    """A baseline or target: a decimal (number or string), two places, may be negative."""
    def _bounded(value: Any) -> None:
        if not -MAX_TARGET <= value <= MAX_TARGET:
            raise ValidationError(f"绝对值不能超过 {MAX_TARGET} / Must be within ±{MAX_TARGET}.")
    return DecimalInput(places=2, as_string=True, allow_nan=False, allow_none=True,
                        validate=_bounded, error_messages=MESSAGES,
                        metadata={"minimum": -MAX_TARGET, "maximum": MAX_TARGET,
                                  "accepts_number": True}, **kw)


def _year_keys(value: dict[str, Any]) -> None:
    bad = [k for k in value if not (k.isdigit() and len(k) == 4)]
    if bad:
        raise ValidationError("键须为四位年份 / Keys must be four-digit years.")


def _town_keys(value: dict[str, Any]) -> None:
    if any(not is_town_code(k) for k in value):
        raise ValidationError("键须为本区镇街代码 / Keys must be the district's town codes.")


class IndicatorSchema(BaseSchema):
    measure = choice(sorted(MEASURES), required=True, metadata={
        "description": "计数规则 / Counting rule: " + ", ".join(sorted(MEASURES))})
    baseline = target()
    final_target = target()
    yearly_targets = fields.Dict(keys=fields.String(validate=validate.Length(equal=4)),
                                 values=target(), validate=[_year_keys, validate.Length(max=30)])
    town_targets = fields.Dict(keys=fields.String(validate=validate.Length(equal=9)),
                               values=target(), validate=[_town_keys, validate.Length(max=40)])
    note = text(500, allow_none=True)


class PlanInSchema(BaseSchema):
    title = text(300, required=True, min_length=1)
    document_number = text(100, allow_none=True)
    start_year = integer(2000, 2100, required=True)
    end_year = integer(2000, 2100, required=True)
    indicators = fields.List(fields.Nested(IndicatorSchema), required=True,
                             validate=validate.Length(min=1, max=len(MEASURES)))
    reason = reason_field()


class PlanReplaceSchema(PlanInSchema):
    version = version_field()


class IndicatorOutSchema(BaseSchema):
    measure = fields.String()
    name = fields.Function(lambda i: MEASURES[i.measure].name)
    unit = fields.Function(lambda i: MEASURES[i.measure].unit)
    kind = fields.Function(lambda i: str(MEASURES[i.measure].kind))
    rule = fields.Function(lambda i: MEASURES[i.measure].rule)
    baseline = fields.Decimal(places=2, as_string=True, allow_none=True)
    final_target = fields.Decimal(places=2, as_string=True, allow_none=True)
    yearly_targets = fields.Dict(keys=fields.String(), values=fields.String())
    town_targets = fields.Dict(keys=fields.String(), values=fields.String())
    note = fields.String(allow_none=True)


class PlanSchema(BaseSchema):
    id = fields.Integer()
    title = fields.String()
    document_number = fields.String(allow_none=True)
    start_year = fields.Integer()
    end_year = fields.Integer()
    created_by = fields.String()
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
    version = fields.Integer()
    indicators = fields.List(fields.Nested(IndicatorOutSchema))


class MeasureSchema(BaseSchema):
    key = fields.String()
    name = fields.String()
    unit = fields.String()
    kind = fields.String()
    rule = fields.String()
    dated = fields.Boolean()


class PlanJournalEntrySchema(BaseSchema):
    """One change to a plan: who made it, when and why (``changes``: the plan before and
    after)."""

    id = fields.Integer()
    action = fields.String(metadata={"description": "create, update"})
    actor = fields.String()
    at = UtcDateTime()
    reason = fields.String(allow_none=True)
    changes = fields.Dict()


PlanPageSchema = page_schema(PlanSchema, name="PlanPage")
PlanJournalPageSchema = page_schema(PlanJournalEntrySchema, name="PlanJournalPage")
MeasurePageSchema = page_schema(MeasureSchema, name="MeasurePage")
