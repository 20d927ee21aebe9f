"""Schemas of one fiscal year's figures (``PUT /enterprises/{uscc}/financials/{year}``).

Cross-field rules name the field at fault: science or R&D staff above employees, domestic R&D
above total R&D, high-tech revenue above revenue.
"""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError
from marshmallow import fields
from marshmallow import validates_schema

from registry.api.fields import MAX_COUNT
from registry.api.fields import BaseSchema
from registry.api.fields import integer
from registry.api.fields import money
from registry.api.fields import percent
from registry.api.fields import reason_field
from registry.api.fields import version_field
from registry.models.financials import COUNT_FIELDS
from registry.models.financials import MONEY_FIELDS
from registry.models.financials import OTHER_COUNT_FIELDS
from registry.models.financials import SIGNED_MONEY_FIELDS
from yumiao_common.web.fields import UtcDateTime
from yumiao_common.web.pagination import page_schema

_NOT_ABOVE: tuple[tuple[str, str, str], ...] = (
    ("science_staff", "employees",
     "科技人员数不能超过职工总数 / science staff cannot exceed employees"),
    ("rd_staff", "employees", "研发人员数不能超过职工总数 / R&D staff cannot exceed employees"),
    ("rd_expense_domestic", "rd_expense",
     "境内研发费用不能超过研发费用总额 / domestic R&D cannot exceed total R&D"),
)


def _figure_fields(*, output: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in COUNT_FIELDS + OTHER_COUNT_FIELDS:
        out[name] = integer(0, MAX_COUNT, allow_none=True)
    for name in MONEY_FIELDS:
        out[name] = money()
    for name in SIGNED_MONEY_FIELDS:
        out[name] = money(signed=True)
    out["farm_sourced_share_pct"] = percent(output=output)
    return out


class _FiguresBase(BaseSchema):
    @validates_schema
    def _cross_field(self, data: dict[str, Any], **_: Any) -> None:
        errors: dict[str, list[str]] = {}
        for part, whole, message in _NOT_ABOVE:
            if data.get(part) is not None and data.get(whole) is not None:
                if data[part] > data[whole]:
                    errors[part] = [message]
        if errors:
            raise ValidationError(errors)


FinancialsInSchema = _FiguresBase.from_dict(
    {**_figure_fields(), "version": version_field(), "reason": reason_field()},
    name="FinancialsIn",
)

FinancialsSchema = BaseSchema.from_dict(
    {"year": fields.Integer(), **_figure_fields(output=True), "version": fields.Integer(),
     "updated_at": UtcDateTime()},
    name="Financials",
)

FinancialsPageSchema = page_schema(FinancialsSchema, name="FinancialsPage")

#: One year's figures alone, with the same fields and cross-field rules (a firm's yearly report
#: holds them, issue 15: ``api/submissions``).
FiguresSchema = _FiguresBase.from_dict(_figure_fields(), name="Figures")
