"""marshmallow schemas of the policy catalogue (unknown fields are refused: 422)."""

from __future__ import annotations

from marshmallow import Schema
from marshmallow import ValidationError
from marshmallow import fields
from marshmallow import validate
from marshmallow import validates_schema

from notify.api.fields import MAX_YUAN
from notify.api.fields import version_field
from yumiao_common.web.fields import UtcDateTime
from yumiao_common.web.pagination import PageQuerySchema
from yumiao_common.web.pagination import page_schema

TRIGGERS = ("eligible", "admitted", "renewal")
_TEXT = validate.Length(min=1, max=2000)
_REASON = fields.String(required=True, validate=validate.Length(min=2, max=1000),
                        metadata={"description": "变更原因 / why (audited)"})


class PolicyFields(Schema):
    name_zh = fields.String(validate=validate.Length(min=1, max=200))
    name_en = fields.String(validate=validate.Length(min=1, max=200))
    summary_zh = fields.String(validate=_TEXT)
    summary_en = fields.String(validate=_TEXT)
    trigger = fields.String(validate=validate.OneOf(TRIGGERS))
    tier = fields.String(allow_none=True, validate=validate.Length(max=40))
    pool = fields.String(allow_none=True, validate=validate.Length(max=40))
    condition_zh = fields.String(allow_none=True, validate=_TEXT)
    condition_en = fields.String(allow_none=True, validate=_TEXT)
    benefit_zh = fields.String(validate=_TEXT)
    benefit_en = fields.String(validate=_TEXT)
    amount_yuan = fields.Integer(
        allow_none=True, strict=True, validate=validate.Range(min=0, max=MAX_YUAN),
        metadata={"description": "整数元；未知为 null / yuan, null = unknown"},
    )
    amount_note = fields.String(allow_none=True, validate=validate.Length(max=200))
    window_opens = fields.Date(allow_none=True)
    window_closes = fields.Date(allow_none=True, metadata={"description": "申报截止 / deadline"})
    contact = fields.String(allow_none=True, validate=validate.Length(max=200))
    source_document = fields.String(validate=validate.Length(min=1, max=300))
    source_mark = fields.String(allow_none=True, validate=validate.Length(max=60))

    @validates_schema
    def _consistent(self, data: dict[str, object], **_: object) -> None:
        opens, closes = data.get("window_opens"), data.get("window_closes")
        if opens and closes and closes < opens:  # type: ignore[operator]
            raise ValidationError("截止早于开始 / closes before it opens", "window_closes")
        trigger = data.get("trigger")
        if trigger in ("eligible", "renewal") and "tier" in data and not data["tier"]:
            raise ValidationError("须指定梯度 / a tier is required", "tier")
        if trigger == "admitted" and "pool" in data and not data["pool"]:
            raise ValidationError("须指定库 / a pool is required", "pool")


class PolicyCreate(PolicyFields):
    code = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9][a-z0-9-]{1,79}$"))
    reason = _REASON

    class Meta:
        fields_required = ("name_zh", "name_en", "summary_zh", "summary_en", "trigger",
                           "benefit_zh", "benefit_en", "source_document")

    @validates_schema
    def _required(self, data: dict[str, object], **_: object) -> None:
        missing = [f for f in self.Meta.fields_required if f not in data]
        if missing:
            raise ValidationError({f: ["必填 / required"] for f in missing})
        if data["trigger"] in ("eligible", "renewal") and not data.get("tier"):
            raise ValidationError("须指定梯度 / a tier is required", "tier")
        if data["trigger"] == "admitted" and not data.get("pool"):
            raise ValidationError("须指定库 / a pool is required", "pool")


class PolicyUpdate(PolicyFields):
    version = version_field(required=True)
    reason = _REASON


class PolicyRetire(Schema):
    version = version_field(required=True)
    reason = _REASON


class PolicyOut(PolicyFields):
    id = fields.UUID()
    code = fields.String()
    status = fields.String()
    version = fields.Integer()
    amount_known = fields.Boolean()
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class PolicyListArgs(PageQuerySchema):
    status = fields.String(validate=validate.OneOf(("active", "retired")))
    tier = fields.String(validate=validate.Length(min=1, max=40))
    trigger = fields.String(validate=validate.OneOf(TRIGGERS))


class AuditOut(Schema):
    id = fields.UUID()
    action = fields.String()
    actor = fields.String()
    reason = fields.String()
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)
    at = UtcDateTime()


PolicyPage = page_schema(PolicyOut, name="PolicyPage")
