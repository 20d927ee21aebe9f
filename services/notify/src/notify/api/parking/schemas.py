"""Schemas of parked messages (the body is shown as text for inspection)."""

from __future__ import annotations

from marshmallow import Schema
from marshmallow import fields
from marshmallow import validate

from notify.models.parked import STATUSES
from yumiao_common.web.fields import UtcDateTime
from yumiao_common.web.pagination import PageQuerySchema
from yumiao_common.web.pagination import page_schema


class ParkedOut(Schema):
    id = fields.UUID()
    message_id = fields.String()
    source_queue = fields.String()
    routing_key = fields.String(allow_none=True)
    reason = fields.String()
    attempts = fields.Integer()
    status = fields.String()
    replay_requested_by = fields.String(allow_none=True)
    parked_at = UtcDateTime()
    replayed_at = UtcDateTime(allow_none=True)


class ParkedDetail(ParkedOut):
    headers = fields.Dict()
    body = fields.Function(lambda m: m.body.decode("utf-8", errors="replace"))


class ParkedArgs(PageQuerySchema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    source_queue = fields.String(validate=validate.Length(min=1, max=200))


ParkedPage = page_schema(ParkedOut, name="ParkedPage")
