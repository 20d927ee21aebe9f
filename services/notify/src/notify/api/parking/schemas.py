"""Schemas of parked messages (the body is shown as text for inspection)."""

from __future__ import annotations

from marshmallow import Schema
from marshmallow import fields
from marshmallow import validate

from notify.api.pagination import PageArgs
from notify.api.pagination import page_schema
from notify.models.parked import STATUSES


class ParkedOut(Schema):
    id = fields.UUID()
    message_id = fields.String()
    source_queue = fields.String()
    routing_key = fields.String(allow_none=True)
    reason = fields.String()
    attempts = fields.Integer()
    status = fields.String()
    replay_requested_by = fields.String(allow_none=True)
    parked_at = fields.DateTime()
    replayed_at = fields.DateTime(allow_none=True)


class ParkedDetail(ParkedOut):
    headers = fields.Dict()
    body = fields.Function(lambda m: m.body.decode("utf-8", errors="replace"))


class ParkedArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(STATUSES))
    source_queue = fields.String()


ParkedPage = page_schema(ParkedOut, "ParkedPage")
