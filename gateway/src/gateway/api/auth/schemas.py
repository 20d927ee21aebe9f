"""Request and response bodies of /api/v1/auth (unknown fields are refused)."""

from __future__ import annotations

from marshmallow import Schema
from marshmallow import fields
from marshmallow import validate

from gateway.api.common import PrincipalOut
from yumiao_common.web.fields import UtcDateTime


class LoginIn(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64),
                             metadata={"description": "用户名；企业账户为统一社会信用代码"})
    password = fields.String(required=True, load_only=True,
                             validate=validate.Length(min=1, max=256))


class RefreshIn(Schema):
    refresh_token = fields.String(required=True, validate=validate.Length(min=10, max=200))


class TokensOut(Schema):
    access_token = fields.String()
    refresh_token = fields.String()
    token_type = fields.String(dump_default="Bearer")
    expires_in = fields.Integer(metadata={"description": "访问令牌有效秒数 / seconds"})
    principal = fields.Nested(PrincipalOut)


class SessionOut(Schema):
    principal = fields.Nested(PrincipalOut)
    csrf_token = fields.String(
        metadata={"description": "非安全方法须在 X-CSRF-Token 头或 csrf_token 表单字段回传"})
    expires_at = UtcDateTime(allow_none=True)


class PasswordChangeIn(Schema):
    current_password = fields.String(required=True, load_only=True)
    new_password = fields.String(required=True, load_only=True,
                                 validate=validate.Length(min=1, max=256))
