"""The ``/parking`` HTTP API of a service's ledger: list, inspect, replay.

One blueprint factory so notify, registry and scoring answer the same paths, schemas, pagination
dialect (newest first, ``limit``/``cursor``/``total``) and error shape; each service only names
its ledger model, its URL prefix and (notify) its own step in a replay's transaction.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from marshmallow import Schema
from marshmallow import fields
from marshmallow import validate
from sqlalchemy import select

from yumiao_common.db.engine import get_session
from yumiao_common.parking import handlers
from yumiao_common.parking.handlers import OnReplay
from yumiao_common.parking.models import STATUSES
from yumiao_common.web.fields import UtcDateTime
from yumiao_common.web.keyset import keyset_page
from yumiao_common.web.keyset import timestamp_key
from yumiao_common.web.keyset import uuid_key
from yumiao_common.web.openapi import documents_actor
from yumiao_common.web.pagination import PageQuerySchema
from yumiao_common.web.pagination import page_schema
from yumiao_common.web.wiring import required_actor

REASON_MAX = 1000  # the gateway's own bound of an admin's reason


class ParkedOut(Schema):
    id = fields.UUID()
    message_id = fields.String()
    source_queue = fields.String()
    routing_key = fields.String(allow_none=True)
    reason = fields.String()
    attempts = fields.Integer()
    status = fields.String()
    replay_requested_by = fields.String(allow_none=True)
    replay_reason = fields.String(allow_none=True)
    parked_at = UtcDateTime()
    replayed_at = UtcDateTime(allow_none=True)


class ParkedDetail(ParkedOut):
    """One parked message in full (the body shown as text for inspection)."""

    headers = fields.Dict()
    body = fields.Function(lambda m: m.body.decode("utf-8", errors="replace"))


class ParkedArgs(PageQuerySchema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    source_queue = fields.String(validate=validate.Length(min=1, max=200))


class ReplayIn(Schema):
    """Why the message is replayed (kept on the row beside who asked)."""

    class Meta:
        unknown = RAISE

    reason = fields.String(validate=validate.Length(min=1, max=REASON_MAX),
                           metadata={"description": "重放原因 / Why it is replayed"})


ParkedPage = page_schema(ParkedOut, name="ParkedPage")


def parking_blueprint(model: Any, *, url_prefix: str, name: str = "parking",
                      on_replay: OnReplay | None = None) -> Blueprint:
    """The list / inspect / replay blueprint over ``model`` (a service's ledger table)."""
    newest_first = (timestamp_key("parked_at", model.parked_at, descending=True),
                    uuid_key("id", model.id))
    blp = Blueprint(name, __name__, url_prefix=url_prefix,
                    description="停放队列 / Parked messages")

    @blp.route("")
    class Parked(MethodView):
        @blp.arguments(ParkedArgs, location="query", unknown=RAISE)
        @blp.response(200, ParkedPage)
        def get(self, args: dict[str, Any]) -> dict[str, Any]:
            """停放的消息（最新在前）/ Parked messages, newest first"""
            stmt = select(model)
            for field in ("status", "source_queue"):
                if field in args:
                    stmt = stmt.where(getattr(model, field) == args[field])
            return keyset_page(get_session(), stmt, newest_first, limit=args["limit"],
                               cursor=args.get("cursor"))

    @blp.route("/<uuid:parked_id>")
    class ParkedItem(MethodView):
        @blp.response(200, ParkedDetail)
        def get(self, parked_id: uuid.UUID) -> Any:
            """一条停放消息（含正文）/ One parked message with its body"""
            return handlers.get_parked(get_session(), model, parked_id)

    @blp.route("/<uuid:parked_id>/replay")
    class ParkedReplay(MethodView):
        @blp.arguments(ReplayIn, required=False)
        @blp.response(202, ParkedDetail)
        @documents_actor(blp)
        def post(self, body: dict[str, Any] | None, parked_id: uuid.UUID) -> Any:
            """请求重放（每次停放只能重放一次，否则 409）/ Ask for a replay (once per parking;
            409 otherwise)"""
            session = get_session()
            row = handlers.request_replay(
                session, model, parked_id=parked_id, actor=required_actor(),
                reason=(body or {}).get("reason"), on_replay=on_replay)
            session.commit()
            return row

    return blp
