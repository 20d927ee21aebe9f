"""Schemas of re-evaluation jobs: the proposal, the job with its impact page."""

from __future__ import annotations

from marshmallow import RAISE
from marshmallow import Schema
from marshmallow import ValidationError
from marshmallow import fields
from marshmallow import validate

from scoring.api.parameters.schemas import parameter_value
from yumiao_common.contracts.profile import TIER_KEYS
from yumiao_common.web.fields import UtcDateTime
from yumiao_common.web.openapi import decimal_string
from yumiao_common.web.pagination import cursor_field
from yumiao_common.web.pagination import limit_field

MAX_PROPOSED = 100  # parameters changed by one proposal (the catalogue has a few dozen)


def _at_most_proposed(value: dict[str, object]) -> None:
    if len(value) > MAX_PROPOSED:
        raise ValidationError(f"一次最多修改{MAX_PROPOSED}个参数 / At most {MAX_PROPOSED} "
                              "parameters per proposal")


class ReevaluationCreate(Schema):
    class Meta:
        unknown = RAISE

    parameters = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=200)), values=parameter_value(),
        load_default=dict, validate=_at_most_proposed,
        metadata={"description": "拟修改的本地参数（null 恢复默认）/ Proposed overrides "
                  "(null restores a default)", "maxProperties": MAX_PROPOSED})
    as_of = fields.Date(load_default=None, metadata={
        "description": "按该日期适用的规则集评价（如新年度规则）/ Evaluate with the rulebooks "
                       "in force on this date (e.g. a new policy year)"})
    tiers = fields.List(fields.String(validate=validate.OneOf(TIER_KEYS)), load_default=None,
                        validate=validate.Length(min=1, max=len(TIER_KEYS)))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class ImpactQuery(Schema):
    class Meta:
        unknown = RAISE

    kind = fields.String(load_default=None, validate=validate.OneOf(("gain", "loss", "change")))
    limit = limit_field()
    cursor = cursor_field()


class ImpactItem(Schema):
    uscc = fields.String()
    tier = fields.String()
    kind = fields.String()
    before = fields.String(allow_none=True)
    after = fields.String()
    score_before = decimal_string(allow_none=True)
    score_after = decimal_string(allow_none=True)
    criteria_met = fields.List(fields.String())
    criteria_lost = fields.List(fields.String())


class ReevaluationOut(Schema):
    id = fields.UUID()
    status = fields.String()
    parameters = fields.Dict()
    as_of = fields.Date(allow_none=True)
    tiers = fields.List(fields.String(), allow_none=True)
    reason = fields.String()
    created_by = fields.String()
    created_at = UtcDateTime()
    activated_by = fields.String(allow_none=True)
    activated_at = UtcDateTime(allow_none=True)
    total = fields.Integer()
    processed = fields.Integer()
    summary = fields.Dict()
    error = fields.String(allow_none=True)
    impact = fields.List(fields.Nested(ImpactItem))
    next_cursor = fields.String(allow_none=True)
