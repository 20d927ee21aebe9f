"""Bodies of /api/v1/messages: what the gateway asks to send, and what became of it."""

from __future__ import annotations

from marshmallow import Schema
from marshmallow import fields
from marshmallow import validate

from notify.models.notice import ACCOUNT_KINDS
from yumiao_common.web.fields import UtcDateTime

CHANNELS = ("email", "sms", "auto")


class MessageIn(Schema):
    key = fields.String(required=True, validate=validate.Length(min=8, max=80),
                        metadata={"description": "幂等键（同一键只发送一次） / idempotency key"})
    uscc = fields.String(required=True, validate=validate.Regexp(r"^[0-9A-HJ-NPQRTUWXY]{18}$"))
    enterprise_name = fields.String(load_default="", validate=validate.Length(max=200))
    kind = fields.String(required=True, validate=validate.OneOf(ACCOUNT_KINDS))
    channel = fields.String(load_default="auto", validate=validate.OneOf(CHANNELS),
                            metadata={"description": "auto: 先邮件后短信 / e-mail, else SMS"})
    subject = fields.String(required=True, validate=validate.Length(min=1, max=300))
    body = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    sms_params = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=20)),
                             values=fields.String(validate=validate.Length(max=200)),
                             load_default=dict, validate=validate.Length(max=5),
                             metadata={"description": "短信模板参数 / SMS template parameters"})


class MessageBatchIn(Schema):
    messages = fields.List(fields.Nested(MessageIn), required=True,
                           validate=validate.Length(min=1, max=500))


class MessageOut(Schema):
    key = fields.String()
    uscc = fields.String()
    status = fields.String(metadata={"description": "queued | no_contact"})
    message_id = fields.UUID(allow_none=True)
    channel = fields.String(allow_none=True)
    sent_to = fields.String(allow_none=True, metadata={"description": "已打码 / masked"})


class MessageBatchOut(Schema):
    items = fields.List(fields.Nested(MessageOut))


class MessageState(Schema):
    id = fields.UUID()
    uscc = fields.String()
    kind = fields.String()
    status = fields.String()
    channel = fields.String(allow_none=True)
    sent_to = fields.String(allow_none=True)
    state = fields.String(allow_none=True)
    failure_reason = fields.String(allow_none=True)
    sent_at = UtcDateTime(allow_none=True)
    created_at = UtcDateTime()
