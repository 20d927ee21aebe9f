"""Routes of the parking ledger: list, inspect, replay."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from sqlalchemy import select

from notify.api.pagination import keyset_page
from notify.api.pagination import timestamp_key
from notify.api.pagination import uuid_key
from notify.api.parking.schemas import ParkedArgs
from notify.api.parking.schemas import ParkedDetail
from notify.api.parking.schemas import ParkedPage
from notify.handlers import parking
from notify.models.parked import ParkedMessage
from yumiao_common.db.engine import get_session
from yumiao_common.web.openapi import documents_actor
from yumiao_common.web.wiring import required_actor

NEWEST_FIRST = (timestamp_key("parked_at", ParkedMessage.parked_at, descending=True),
                uuid_key("id", ParkedMessage.id))
blp = Blueprint("parking", __name__, url_prefix="/api/v1/parking",
                description="停放队列 / Parked messages")


@blp.route("")
class Parked(MethodView):
    @blp.arguments(ParkedArgs, location="query", unknown=RAISE)
    @blp.response(200, ParkedPage)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        stmt = select(ParkedMessage)
        for name in ("status", "source_queue"):
            if name in args:
                stmt = stmt.where(getattr(ParkedMessage, name) == args[name])
        return keyset_page(get_session(), stmt, NEWEST_FIRST, limit=args["limit"],
                           cursor=args.get("cursor"))


@blp.route("/<uuid:parked_id>")
class ParkedItem(MethodView):
    @blp.response(200, ParkedDetail)
    def get(self, parked_id: uuid.UUID) -> ParkedMessage:
        return parking.get_parked(get_session(), parked_id)


@blp.route("/<uuid:parked_id>/replay")
class ParkedReplay(MethodView):
    @blp.response(202, ParkedDetail)
    @documents_actor(blp)
    def post(self, parked_id: uuid.UUID) -> ParkedMessage:
        session = get_session()
        row = parking.request_replay(session, parked_id=parked_id, actor=required_actor())
        session.commit()
        return row
