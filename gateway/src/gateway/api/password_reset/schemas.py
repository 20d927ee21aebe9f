"""Bodies of /api/v1/auth/password-reset (unknown fields are refused)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema
from marshmallow import ValidationError
from marshmallow import fields
from marshmallow import validate
from marshmallow import validates_schema


class ResetRequestIn(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64),
                             metadata={"description": "企业账户的统一社会信用代码 / credit code"})
    channel = fields.String(load_default="sms", validate=validate.OneOf(("sms", "email")),
                            metadata={"description": "sms: 验证码 / a code; email: 链接 / a link"})


class ResetAnswer(Schema):
    message = fields.String()


class ResetCompleteIn(Schema):
    token = fields.String(validate=validate.Length(min=16, max=200),
                          metadata={"description": "邮件或邀请链接中的 token / from the link"})
    username = fields.String(validate=validate.Length(min=1, max=64))
    code = fields.String(validate=validate.Regexp(r"^\s*[0-9]{6}\s*$"),
                         metadata={"description": "短信验证码 / the SMS code"})
    new_password = fields.String(required=True, load_only=True,
                                 validate=validate.Length(min=1, max=256))

    @validates_schema
    def _token_or_code(self, data: dict[str, Any], **_: Any) -> None:
        if "token" in data:
            if "code" in data or "username" in data:
                raise ValidationError("链接与验证码二选一 / a token or a code, not both",
                                      field_name="token")
        elif "code" not in data or "username" not in data:
            raise ValidationError("需要 token，或 username 与 code / needs a token, or a "
                                  "username and a code", field_name="token")


class ResetDone(Schema):
    username = fields.String()
    message = fields.String()
