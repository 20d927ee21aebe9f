"""Schemas of an enterprise's contacts: a mainland mobile number is normalised on input
(``+86 138-0013-8000`` → ``13800138000``); anything else is a 422 naming ``mobile``."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError
from marshmallow import fields
from marshmallow import validate

from registry.api.fields import MESSAGES
from registry.api.fields import BaseSchema
from registry.api.fields import boolean
from registry.api.fields import reason_field
from registry.api.fields import text
from registry.api.fields import version_field
from yumiao_common.personal_data import MOBILE_RULE
from yumiao_common.personal_data import normalise_mobile
from yumiao_common.web.pagination import page_schema


class MobileField(fields.String):
    """A mainland China mobile number, stored and answered as its 11 digits."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        raw = super()._deserialize(value, attr, data, **kwargs)
        if len(raw) > 20:
            raise ValidationError(MOBILE_RULE)
        mobile = normalise_mobile(raw)
        if mobile is None:
            raise ValidationError(MOBILE_RULE)
        return mobile


def _email(**kw: Any) -> Any:
    return fields.Email(validate=validate.Length(max=254), error_messages={
        **MESSAGES, "invalid": "电子邮箱格式错误 / Not a valid e-mail address."}, **kw)


def contact_fields(req: bool) -> dict[str, Any]:
    return {
        "name": text(100, min_length=1, required=req),
        "role": text(100, allow_none=True,
                     metadata={"description": "职务 / Role, e.g. 财务负责人"}),
        "mobile": MobileField(allow_none=True, error_messages=MESSAGES, metadata={
            "description": "中国大陆手机号，可带 +86 / Mainland China mobile, +86 optional",
            "example": "13800138000"}),
        "email": _email(allow_none=True),
        "sms_consent": boolean(metadata={"description": "同意接收短信 / agreed to SMS"}),
        "sms_opt_out": boolean(metadata={"description": "已退订短信 / opted out of SMS"}),
        "email_consent": boolean(metadata={"description": "同意接收邮件 / agreed to e-mail"}),
        "email_opt_out": boolean(metadata={"description": "已退订邮件 / opted out of e-mail"}),
    }


ContactCreateSchema = BaseSchema.from_dict(
    {**contact_fields(True), "reason": reason_field()}, name="ContactCreate")
ContactUpdateSchema = BaseSchema.from_dict(
    {**contact_fields(False), "version": version_field(), "reason": reason_field()},
    name="ContactUpdate")


class ContactSchema(BaseSchema):
    id = fields.Integer()
    version = fields.Integer()
    name = fields.String()
    role = fields.String(allow_none=True)
    mobile = fields.String(allow_none=True, metadata={
        "description": "浏览者角色看到的是掩码 138****1234 / viewers see it masked"})
    email = fields.String(allow_none=True, metadata={
        "description": "浏览者角色看到的是掩码 a***@example.com / viewers see it masked"})
    sms_consent = fields.Boolean()
    sms_opt_out = fields.Boolean()
    email_consent = fields.Boolean()
    email_opt_out = fields.Boolean()


ContactPageSchema = page_schema(ContactSchema, name="ContactPage")
