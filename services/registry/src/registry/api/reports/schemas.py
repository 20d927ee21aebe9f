"""Schemas of ``/reports``: the progress table, snapshots and corrections."""

from __future__ import annotations

from marshmallow import fields

from registry.api.fields import BaseSchema
from registry.api.fields import choice
from registry.api.fields import integer
from registry.api.fields import reason_field
from registry.api.fields import text
from registry.api.plans.schemas import target
from registry.api.statistics.schemas import query_integer
from registry.domain.monitoring import MEASURES
from yumiao_common.web.fields import UtcDateTime
from yumiao_common.web.pagination import page_schema


def _dec() -> fields.Decimal:
    return fields.Decimal(places=2, as_string=True, allow_none=True)


class ProgressArgs(BaseSchema):
    plan = query_integer(1, 2**31 - 1, metadata={"description": "规划 id（默认现行规划）/ Plan id "
                                                          "(default: the plan in force)"})
    year = query_integer(2000, 2100, metadata={"description": "年度（默认规划最近一年）/ Year "
                                                        "(default: the plan's latest year)"})
    view = choice(("full", "dashboard"), load_default="full", metadata={
        "description": "dashboard：看板所用，不含储备漏斗与批次转化 / the dashboard's view, "
                       "without the reserve funnel and cohort table (JSON only)"})


class ProgressDisplaySchema(BaseSchema):
    baseline = fields.String()
    target = fields.String()
    actual = fields.String()
    completion = fields.String()


class ProgressRowSchema(BaseSchema):
    measure = fields.String()
    name = fields.String()
    unit = fields.String()
    kind = fields.String()
    rule = fields.String()
    note = fields.String(allow_none=True)
    dated = fields.Boolean()
    baseline = _dec()
    baseline_source = fields.String()
    target = _dec()
    actual = _dec()
    completion_pct = _dec()
    met = fields.Boolean(allow_none=True)
    corrected = fields.Boolean()
    display = fields.Nested(ProgressDisplaySchema)


class TownDisplaySchema(BaseSchema):
    target = fields.String()
    actual = fields.String()
    completion = fields.String()


class TownRowSchema(BaseSchema):
    measure = fields.String()
    name = fields.String()
    unit = fields.String()
    kind = fields.String()
    target = _dec()
    actual = _dec()
    completion_pct = _dec()
    met = fields.Boolean(allow_none=True)
    display = fields.Nested(TownDisplaySchema)


class ProgressTownSchema(BaseSchema):
    town_code = fields.String()
    town_name = fields.String()
    rows = fields.List(fields.Nested(TownRowSchema))


class ProgressTrendSchema(BaseSchema):
    year = fields.Integer()
    source = fields.String()
    as_of = fields.String()
    values = fields.Dict(keys=fields.String(), values=_dec())
    targets = fields.Dict(keys=fields.String(), values=_dec())


class ProgressFunnelSchema(BaseSchema):
    stage = fields.String()
    label = fields.String()
    count = fields.Integer()


class CohortRowSchema(BaseSchema):
    cohort_year = fields.Integer()
    admitted = fields.Integer()
    certified_by = fields.Dict(keys=fields.String(), values=fields.Integer())


class SnapshotRefSchema(BaseSchema):
    year = fields.Integer()
    as_of = fields.String()
    taken_at = fields.String()
    taken_by = fields.String()


class CorrectionSchema(BaseSchema):
    measure = fields.String()
    town_code = fields.String(allow_none=True)
    from_value = fields.String(allow_none=True)
    to_value = fields.String()
    actor = fields.String()
    reason = fields.String()
    at = fields.Raw()


class PlanRefSchema(BaseSchema):
    id = fields.Integer()
    title = fields.String()
    document_number = fields.String(allow_none=True)
    start_year = fields.Integer()
    end_year = fields.Integer()


class ProgressSchema(BaseSchema):
    plan = fields.Nested(PlanRefSchema)
    year = fields.Integer()
    as_of = fields.String()
    source = fields.String(metadata={"description": "snapshot（冻结快照）或 live（实时计算）"})
    snapshot = fields.Nested(SnapshotRefSchema, allow_none=True)
    corrections = fields.List(fields.Nested(CorrectionSchema))
    rows = fields.List(fields.Nested(ProgressRowSchema))
    towns = fields.List(fields.Nested(ProgressTownSchema))
    trend = fields.List(fields.Nested(ProgressTrendSchema))
    funnel = fields.List(fields.Nested(ProgressFunnelSchema))
    cohorts = fields.List(fields.Nested(CohortRowSchema))


class FreezeSchema(BaseSchema):
    """Freeze a year's figures (as of 31 December; as of today while the year runs)."""

    year = integer(2000, 2100, required=True)
    reason = reason_field()


class CorrectSchema(BaseSchema):
    """Correct one frozen figure: the district total (no town) or one town's."""

    measure = choice(sorted(MEASURES), required=True)
    town_code = text(9, allow_none=True)
    value = target(required=True)
    reason = reason_field(required=True)


class SnapshotCorrectionSchema(BaseSchema):
    id = fields.Integer()
    measure = fields.String()
    town_code = fields.String(allow_none=True)
    from_value = fields.String(allow_none=True)
    to_value = fields.String()
    actor = fields.String()
    reason = fields.String()
    at = UtcDateTime()


class YearSnapshotSchema(BaseSchema):
    id = fields.Integer()
    year = fields.Integer()
    as_of = fields.Date()
    taken_at = UtcDateTime()
    taken_by = fields.String()
    reason = fields.String(allow_none=True)
    figures = fields.Dict()
    corrections = fields.List(fields.Nested(SnapshotCorrectionSchema))


YearSnapshotPageSchema = page_schema(YearSnapshotSchema, name="YearSnapshotPage")
