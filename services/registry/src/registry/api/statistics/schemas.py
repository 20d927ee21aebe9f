"""Query arguments and answers of ``/statistics``."""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import fields
from marshmallow import validate

from registry.adapters.sql.statistics import DIMENSIONS
from registry.api.fields import MESSAGES
from registry.api.fields import BaseSchema
from registry.api.fields import any_date
from registry.api.fields import choice


def query_integer(low: int, high: int, **kw: Any) -> Any:
    """An integer in a query string (text "2024" is the only way it can come) in [low, high]."""
    return fields.Integer(validate=validate.Range(low, high), error_messages=MESSAGES, **kw)


FIRST_DAY, LAST_DAY = date(1949, 1, 1), date(2100, 12, 31)


class AsOfArgs(BaseSchema):
    as_of = any_date(
        validate=validate.Range(FIRST_DAY, LAST_DAY, error=(
            f"须在 {FIRST_DAY} 至 {LAST_DAY} 之间 / Must be between {FIRST_DAY} and "
            f"{LAST_DAY}.")),
        metadata={"description": "统计日（默认今天）/ Date counted (default today)"})
    by = choice(DIMENSIONS, load_default="none",
                metadata={"description": (
                    "分组（均为统计日当时的值）/ Group by, each as it was on the date: none; "
                    "town, industry (from the audit log); size_class (that year's figures: "
                    "the last fiscal year ended by the date, 300号 table; none on file: "
                    "unknown)")})


class YearsArgs(BaseSchema):
    year_from = query_integer(2000, 2100)
    year_to = query_integer(2000, 2100)
    by = choice(DIMENSIONS, load_default="none", metadata={"description": (
        "分组（各年按当年12月31日的值）/ Group by, each year as it was on its 31 December: "
        "none, town, industry, size_class")})


class TierCountSchema(BaseSchema):
    tier = fields.String()
    tier_label = fields.String()
    group = fields.String(allow_none=True)
    group_label = fields.String()
    enterprises = fields.Integer()


class StageCountSchema(BaseSchema):
    pool = fields.String()
    stage = fields.String()
    stage_label = fields.String()
    group = fields.String(allow_none=True)
    group_label = fields.String()
    members = fields.Integer()


class FigureYearSchema(BaseSchema):
    year = fields.Integer()
    group = fields.String(allow_none=True)
    group_label = fields.String()
    rd_expense = fields.Integer(allow_none=True)
    rd_expense_enterprises = fields.Integer()
    hightech_revenue = fields.Integer(allow_none=True)
    hightech_revenue_enterprises = fields.Integer()
    rd_growth_pct = fields.Decimal(places=2, as_string=True, allow_none=True)
    hightech_growth_pct = fields.Decimal(places=2, as_string=True, allow_none=True)


class CohortSchema(BaseSchema):
    cohort_year = fields.Integer()
    admitted = fields.Integer()
    certified_by = fields.Dict(keys=fields.String(), values=fields.Integer())
