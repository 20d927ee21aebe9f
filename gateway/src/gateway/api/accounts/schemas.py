"""Bodies of /api/v1/accounts; passwords and key secrets are write-only or shown once."""

from __future__ import annotations

from marshmallow import Schema
from marshmallow import fields
from marshmallow import validate

from yumiao_common.web.fields import UtcDateTime
from yumiao_common.web.pagination import PageQuerySchema
from yumiao_common.web.pagination import page_schema

ROLES = ("admin", "curator", "viewer", "enterprise")
BUREAU_ROLES = ("admin", "curator", "viewer")


class AccountOut(Schema):
    id = fields.UUID()
    username = fields.String()
    display_name = fields.String()
    role = fields.String()
    uscc = fields.String(allow_none=True)
    is_active = fields.Boolean()
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
    version = fields.Integer()


class AccountCreate(Schema):
    username = fields.String(validate=validate.Length(min=1, max=64),
                             metadata={"description": "企业账户可省略（取信用代码）"})
    password = fields.String(required=True, load_only=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    uscc = fields.String(allow_none=True, validate=validate.Length(equal=18))
    display_name = fields.String(load_default="", validate=validate.Length(max=200))


class AccountPatch(Schema):
    version = fields.Integer(required=True, strict=True,
                             validate=validate.Range(min=1, max=2**31 - 1),
                             metadata={"description": "乐观锁版本 / version"})
    display_name = fields.String(validate=validate.Length(max=200))
    role = fields.String(validate=validate.OneOf(ROLES))
    is_active = fields.Boolean()
    password = fields.String(load_only=True)


class AccountQuery(PageQuerySchema):
    """Filters and the shared page arguments; pages in user-name order."""

    role = fields.String(validate=validate.OneOf(ROLES))


class ApiKeyCreate(Schema):
    name = fields.String(required=True,
                         validate=validate.Regexp(r"^[a-z0-9][a-z0-9._-]{1,63}$"))
    role = fields.String(load_default="viewer", validate=validate.OneOf(BUREAU_ROLES))


class ApiKeyOut(Schema):
    id = fields.UUID()
    name = fields.String()
    prefix = fields.String()
    role = fields.String()
    created_by = fields.String()
    created_at = UtcDateTime()
    revoked_at = UtcDateTime(allow_none=True)


class ApiKeyCreated(ApiKeyOut):
    key = fields.String(metadata={"description": "仅此一次显示 / shown only once"})


AccountPage = page_schema(AccountOut, name="AccountPage")
ApiKeyPage = page_schema(ApiKeyOut, name="ApiKeyPage")
