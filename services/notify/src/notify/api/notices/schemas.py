"""marshmallow schemas of notices and their deliveries."""

from __future__ import annotations

from marshmallow import Schema
from marshmallow import fields
from marshmallow import validate

from notify.api.fields import MAX_YUAN
from notify.api.fields import StrictBoolean
from notify.api.fields import query_boolean
from notify.models.notice import KINDS
from notify.models.notice import STATUSES
from yumiao_common.web.fields import UtcDateTime
from yumiao_common.web.pagination import PageQuerySchema
from yumiao_common.web.pagination import page_schema


class DeliveryOut(Schema):
    id = fields.UUID(metadata={"description": "幂等键 / idempotency key receivers see"})
    channel = fields.String(metadata={"description": "email | webhook | sms"})
    target = fields.String(metadata={"description": (
        "联系人的手机号与邮箱以掩码显示 / a contact's number or address is shown masked")})
    recipient = fields.String(metadata={"description": (
        "空 = 企业自己的地址；contact:<id> = 企业联系人 / empty = the enterprise's own address; "
        "contact:<id> = one of its contacts")})
    state = fields.String()
    attempts = fields.Integer()
    failure = fields.String(allow_none=True)
    last_error = fields.String(allow_none=True)
    correlation_id = fields.String(allow_none=True, metadata={
        "description": "引发此推送的变更的请求编号 (X-Request-ID) / X-Request-ID of the change "
                       "that caused this delivery; null when unknown"})
    sent_at = UtcDateTime(allow_none=True)
    receipt_at = UtcDateTime(allow_none=True, metadata={
        "description": "短信回执时间（送达或失败）/ when the SMS receipt came (delivered or not)"})
    updated_at = UtcDateTime()


class NoticeOut(Schema):
    id = fields.UUID()
    uscc = fields.String()
    enterprise_name = fields.String()
    kind = fields.String()
    policy_code = fields.String(allow_none=True)
    tier = fields.String(allow_none=True)
    pool = fields.String(allow_none=True)
    cause = fields.Dict()
    rulebook_version = fields.String()
    language = fields.String()
    template = fields.String()
    template_version = fields.String()
    subject = fields.String()
    body = fields.String()
    amount_yuan = fields.Integer(allow_none=True, validate=validate.Range(min=0, max=MAX_YUAN))
    deadline = fields.Date(allow_none=True)
    status = fields.String()
    failure = fields.String(allow_none=True)
    failure_reason = fields.String(allow_none=True)
    push_suppressed = fields.Boolean()
    suppressed_reason = fields.String(allow_none=True)
    read = fields.Function(lambda n: n.read_at is not None)
    correlation_id = fields.String(allow_none=True, metadata={
        "description": "引发此通知的变更的请求编号 (X-Request-ID) / X-Request-ID of the change "
                       "that caused this notice; null when unknown"})
    read_at = UtcDateTime(allow_none=True)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class NoticeDetail(NoticeOut):
    deliveries = fields.List(fields.Nested(DeliveryOut))


class NoticeListArgs(PageQuerySchema):
    uscc = fields.String(validate=validate.Length(equal=18))
    status = fields.String(validate=validate.OneOf(STATUSES))
    kind = fields.String(validate=validate.OneOf(KINDS))
    policy_code = fields.String(validate=validate.Length(min=1, max=80))
    tier = fields.String(validate=validate.Length(min=1, max=40))
    push_suppressed = query_boolean()
    correlation_id = fields.String(validate=validate.Length(min=1, max=120), metadata={
        "description": "只列出由此请求编号 (X-Request-ID) 的变更引发的通知 / only notices caused "
                       "by the change made under this X-Request-ID"})
    created_from = UtcDateTime(metadata={"description": "含 / inclusive"})
    created_to = UtcDateTime(metadata={"description": "不含 / exclusive"})


class InboxArgs(PageQuerySchema):
    read = query_boolean()


class ReadPatch(Schema):
    read = StrictBoolean(required=True)


NoticePage = page_schema(NoticeOut, name="NoticePage")
