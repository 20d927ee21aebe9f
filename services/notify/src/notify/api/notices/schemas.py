"""marshmallow schemas of notices and their deliveries."""

from __future__ import annotations

from marshmallow import Schema
from marshmallow import fields
from marshmallow import validate

from notify.api.pagination import PageArgs
from notify.api.pagination import page_schema
from notify.models.notice import KINDS
from notify.models.notice import STATUSES


class DeliveryOut(Schema):
    id = fields.UUID(metadata={"description": "幂等键 / idempotency key receivers see"})
    channel = fields.String()
    target = fields.String()
    state = fields.String()
    attempts = fields.Integer()
    failure = fields.String(allow_none=True)
    last_error = fields.String(allow_none=True)
    sent_at = fields.DateTime(allow_none=True)
    updated_at = fields.DateTime()


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
    amount_yuan = fields.Integer(allow_none=True)
    deadline = fields.Date(allow_none=True)
    status = fields.String()
    failure = fields.String(allow_none=True)
    failure_reason = fields.String(allow_none=True)
    push_suppressed = fields.Boolean()
    suppressed_reason = fields.String(allow_none=True)
    read = fields.Function(lambda n: n.read_at is not None)
    read_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class NoticeDetail(NoticeOut):
    deliveries = fields.List(fields.Nested(DeliveryOut))


class NoticeListArgs(PageArgs):
    uscc = fields.String(validate=validate.Length(equal=18))
    status = fields.String(validate=validate.OneOf(STATUSES))
    kind = fields.String(validate=validate.OneOf(KINDS))
    policy_code = fields.String()
    tier = fields.String()
    push_suppressed = fields.Boolean()
    created_from = fields.DateTime()
    created_to = fields.DateTime()


class InboxArgs(PageArgs):
    read = fields.Boolean()


class ReadPatch(Schema):
    read = fields.Boolean(required=True)


NoticePage = page_schema(NoticeOut, "NoticePage")
