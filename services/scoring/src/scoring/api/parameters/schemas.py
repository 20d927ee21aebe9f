"""Schemas of the local parameters: the catalogue entry, the override and its history."""

from __future__ import annotations

from marshmallow import RAISE
from marshmallow import Schema
from marshmallow import fields
from marshmallow import validate

from yumiao_common.pagination import page_schema


class ParameterPut(Schema):
    class Meta:
        unknown = RAISE

    value = fields.Raw(required=True, allow_none=True, metadata={
        "description": "新值；null 恢复规则集默认值 / New value; null restores the default"})
    reason = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    version = fields.Integer(load_default=None, validate=validate.Range(min=0), metadata={
        "description": "乐观锁：当前版本（无覆盖时为 0）/ Expected version (0 when unset)"})


class AuditEntry(Schema):
    old_value = fields.Raw(allow_none=True)
    new_value = fields.Raw(allow_none=True)
    actor = fields.String()
    reason = fields.String()
    reevaluation_id = fields.UUID(allow_none=True)
    at = fields.DateTime()


class ParameterOut(Schema):
    id = fields.String()
    definition = fields.Dict(metadata={"description": "规则集中的定义 / Rulebook definition"})
    default = fields.Raw(allow_none=True)
    value = fields.Raw(allow_none=True, metadata={"description": "生效值 / Value in force"})
    overridden = fields.Boolean()
    version = fields.Integer()
    updated_by = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    updated_at = fields.DateTime(allow_none=True)
    history = fields.List(fields.Nested(AuditEntry))
    reevaluation_id = fields.UUID(allow_none=True)


#: The whole catalogue in one page of the shared list shape (it is a few dozen entries).
ParameterList = page_schema(ParameterOut, name="ParameterList")
