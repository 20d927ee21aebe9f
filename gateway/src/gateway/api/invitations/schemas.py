"""Bodies of /api/v1/accounts/invitations and of the sign-in history."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema
from marshmallow import ValidationError
from marshmallow import fields
from marshmallow import validate
from marshmallow import validates_schema

from gateway.handlers.admin_actions import MAX_REASON
from yumiao_common.web.fields import UtcDateTime
from yumiao_common.web.pagination import PageQuerySchema
from yumiao_common.web.pagination import page_schema

CHANNELS = ("auto", "email", "sms")
STATES = ("sent", "expired", "accepted", "no_contact", "send_failed")
_CHANNEL_DOC = {"description": "auto: 有同意接收邮件的联系人则发邮件，否则短信 / "
                               "auto: e-mail to a consenting contact, else SMS"}


class InvitationFilter(Schema):
    """The registry's enterprise-list filters (a pool is one of them); at least one."""

    pool = fields.String(validate=validate.Regexp(r"^[a-z0-9_]{1,40}$"))
    stage = fields.String(validate=validate.Regexp(r"^[a-z_]{1,20}$"))
    tier = fields.String(validate=validate.Regexp(r"^[a-z0-9_]{1,40}$"))
    town = fields.String(validate=validate.Regexp(r"^[0-9]{1,9}$"))
    industry = fields.String(validate=validate.Regexp(r"^[A-T]([0-9]{1,4})?$"))
    size_class = fields.String(validate=validate.Regexp(r"^[a-z_]{1,20}$"))
    q = fields.String(validate=validate.Length(min=1, max=100))

    @validates_schema
    def _not_empty(self, data: dict[str, Any], **_: Any) -> None:
        if not data:
            raise ValidationError("至少一个筛选条件（如 pool） / at least one filter (e.g. pool)")


class InvitationCreate(Schema):
    filter = fields.Nested(InvitationFilter, required=True)
    channel = fields.String(load_default="auto", validate=validate.OneOf(CHANNELS),
                            metadata=_CHANNEL_DOC)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=MAX_REASON))


class InvitationResend(Schema):
    channel = fields.String(load_default="auto", validate=validate.OneOf(CHANNELS),
                            metadata=_CHANNEL_DOC)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=MAX_REASON))


class InvitationOut(Schema):
    id = fields.UUID()
    account_id = fields.UUID()
    uscc = fields.String()
    enterprise_name = fields.String()
    state = fields.String(metadata={"description": " | ".join(STATES)})
    channel = fields.String(allow_none=True)
    sent_to = fields.String(allow_none=True, metadata={"description": "已打码 / masked"})
    sends = fields.Integer()
    expires_at = UtcDateTime(allow_none=True)
    accepted_at = UtcDateTime(allow_none=True)
    created_by = fields.String()
    reason = fields.String()
    created_at = UtcDateTime()
    last_sent_at = UtcDateTime(allow_none=True)


class DeliveryOut(Schema):
    state = fields.String(allow_none=True, metadata={
        "description": "queued | sending | sent | delivered | failed（notify 所见 / as notify "
                       "sees it）"})
    failure_reason = fields.String(allow_none=True)
    sent_at = UtcDateTime(allow_none=True)


class InvitationDetail(InvitationOut):
    delivery = fields.Nested(DeliveryOut, allow_none=True, metadata={
        "description": "最近一条消息的投递状态；notify 无法回答时为空 / the last message's "
                       "delivery, null when notify cannot say"})


class InvitationSummary(Schema):
    matched = fields.Integer(metadata={"description": "筛选到的企业 / firms the filter found"})
    already_had_account = fields.Integer()
    invited = fields.Integer(metadata={"description": "新建账户 / accounts created"})
    sent = fields.Integer()
    no_contact = fields.Integer()
    send_failed = fields.Integer()
    items = fields.List(fields.Nested(InvitationOut))


class InvitationQuery(PageQuerySchema):
    state = fields.String(validate=validate.OneOf(STATES))
    uscc = fields.String(validate=validate.Length(equal=18))


class SignInOut(Schema):
    at = UtcDateTime()
    ip = fields.String(metadata={"description": "网关所见的客户端地址 / client address"})
    success = fields.Boolean()
    method = fields.String(metadata={"description": "api | browser | web"})
    user_agent = fields.String()


InvitationPage = page_schema(InvitationOut, name="InvitationPage")
SignInPage = page_schema(SignInOut, name="SignInPage")
