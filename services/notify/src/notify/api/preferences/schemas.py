"""Preference schemas; the webhook secret is write-only (never echoed back).

The webhook URL is checked by ``notify.handlers.preferences`` (where it may point), not here: the
answer names the field and says why in zh-CN and English.
"""

from __future__ import annotations

from marshmallow import Schema
from marshmallow import ValidationError
from marshmallow import fields
from marshmallow import validate
from marshmallow import validates_schema

from notify.api.fields import version_field
from notify.models.preference import CHANNELS
from notify.models.preference import LANGUAGES
from yumiao_common.web.fields import UtcDateTime
from yumiao_common.web.pagination import PageQuerySchema
from yumiao_common.web.pagination import page_schema


class PreferenceIn(Schema):
    language = fields.String(required=True, validate=validate.OneOf(LANGUAGES))
    channels = fields.List(fields.String(validate=validate.OneOf(CHANNELS)), required=True)
    enterprise_name = fields.String(allow_none=True, validate=validate.Length(max=200))
    email = fields.Email(allow_none=True)
    webhook_url = fields.String(
        allow_none=True, validate=validate.Length(min=1, max=500),
        metadata={"description": "http(s) 公网地址，端口 80/443；所有者以外只见主机名 / a public "
                                 "http(s) URL on port 80/443; shown as host only to all but "
                                 "the owner"},
    )
    webhook_secret = fields.String(allow_none=True, load_only=True,
                                   validate=validate.Length(min=16, max=200))
    version = version_field(
        minimum=0, metadata={"description": "更新时必填 / required to update"}
    )
    reason = fields.String(
        allow_none=True, load_only=True, validate=validate.Length(min=2, max=1000),
        metadata={"description": "变更原因（可选，记入审计）/ why (optional, audited)"},
    )

    @validates_schema
    def _addressable(self, data: dict[str, object], **_: object) -> None:
        channels = data.get("channels") or []
        assert isinstance(channels, list)
        if "email" in channels and not data.get("email"):
            raise ValidationError("选择邮件须填写邮箱 / e-mail channel needs an address", "email")
        if "webhook" in channels and not data.get("webhook_url"):
            raise ValidationError("选择Webhook须填写地址 / webhook channel needs a URL",
                                  "webhook_url")


class PreferenceOut(Schema):
    uscc = fields.String()
    language = fields.String()
    channels = fields.List(fields.String())
    enterprise_name = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    webhook_url = fields.String(allow_none=True, metadata={
        "description": "所有者可见完整地址，其他人仅见主机 / full URL for the owner, "
                       "https://host/… for everyone else"})
    webhook_secret_set = fields.Boolean()
    version = fields.Integer()
    updated_by = fields.String(allow_none=True)
    updated_at = UtcDateTime(allow_none=True)


class PreferenceAuditOut(Schema):
    id = fields.UUID()
    action = fields.String(metadata={"description": "create | update"})
    actor = fields.String()
    reason = fields.String(allow_none=True)
    version = fields.Integer()
    changes = fields.Dict(metadata={"description": "{field: {before, after}}，密钥已隐去 / "
                                                  "secrets redacted"})
    before = fields.Dict(allow_none=True)
    after = fields.Dict()
    at = UtcDateTime()


class PreferenceAuditArgs(PageQuerySchema):
    """``limit`` and ``cursor`` of the preference audit trail (it grows with every save)."""


PreferenceAuditPage = page_schema(PreferenceAuditOut, name="PreferenceAuditPage")
