"""Schemas of the local parameters: the catalogue entry, the override and its history."""

from __future__ import annotations

from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

from marshmallow import RAISE
from marshmallow import Schema
from marshmallow import ValidationError
from marshmallow import fields
from marshmallow import validate

from yumiao_common.web.fields import UtcDateTime
from yumiao_common.web.pagination import page_schema

MAX_PARAMETER = 10**15  # as the registry's MAX_MONEY: far above any threshold or count
MAX_PARAMETER_TEXT = 200
MAX_VERSION = 2**31 - 1
#: What a parameter value can be on the wire (the parameter's kind narrows it further).
PARAMETER_VALUE_DOC: dict[str, Any] = {
    "nullable": True,
    "anyOf": [{"type": "boolean"}, {"type": "number", "minimum": 0, "maximum": MAX_PARAMETER},
              {"type": "string", "minLength": 1, "maxLength": MAX_PARAMETER_TEXT}],
}
_OUT_OF_RANGE = (f"须为是/否、0至{MAX_PARAMETER}之间的数或不超过{MAX_PARAMETER_TEXT}字的文本 / "
                 f"must be true/false, a number from 0 to {MAX_PARAMETER} or text of at most "
                 f"{MAX_PARAMETER_TEXT} characters")


def bounded_parameter_value(value: Any) -> None:
    """Refuse values no parameter can take before any arithmetic sees them (e.g. 1E+999999)."""
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, str):
        if not 1 <= len(value) <= MAX_PARAMETER_TEXT or "\x00" in value:
            raise ValidationError(_OUT_OF_RANGE)
        number = _as_decimal(value)
        if number is None or (number.is_finite() and abs(number) <= MAX_PARAMETER):
            return
        raise ValidationError(_OUT_OF_RANGE)
    if isinstance(value, int | float):
        number = _as_decimal(str(value)) if not isinstance(value, int) or \
            abs(value) <= MAX_PARAMETER else None
        if number is not None and number.is_finite() and abs(number) <= MAX_PARAMETER:
            return
    raise ValidationError(_OUT_OF_RANGE)


def _as_decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None


def parameter_value(**kw: Any) -> Any:
    return fields.Raw(allow_none=True, validate=bounded_parameter_value,
                      metadata={"description": "新值；null 恢复规则集默认值 / New value; null "
                                               "restores the default", **PARAMETER_VALUE_DOC},
                      **kw)


class ParameterPut(Schema):
    class Meta:
        unknown = RAISE

    value = parameter_value(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    version = fields.Integer(load_default=None, validate=validate.Range(min=0, max=MAX_VERSION),
                             metadata={"description": "乐观锁：当前版本（无覆盖时为 0）/ "
                                                      "Expected version (0 when unset)"})


class AuditEntry(Schema):
    old_value = fields.Raw(allow_none=True)
    new_value = fields.Raw(allow_none=True)
    actor = fields.String()
    reason = fields.String()
    reevaluation_id = fields.UUID(allow_none=True)
    at = UtcDateTime()


class ParameterOut(Schema):
    id = fields.String()
    definition = fields.Dict(metadata={"description": "规则集中的定义 / Rulebook definition"})
    default = fields.Raw(allow_none=True)
    value = fields.Raw(allow_none=True, metadata={"description": "生效值 / Value in force"})
    overridden = fields.Boolean()
    version = fields.Integer()
    updated_by = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    updated_at = UtcDateTime(allow_none=True)
    history = fields.List(fields.Nested(AuditEntry))
    reevaluation_id = fields.UUID(allow_none=True)


#: The catalogue in the shared list shape (a few dozen entries: one page at the default limit).
ParameterList = page_schema(ParameterOut, name="ParameterList")
