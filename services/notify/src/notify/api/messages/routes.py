"""/api/v1/messages: the gateway's account messages (invitations, password resets).

``POST /messages/batch`` queues up to 500 (one call for a whole bulk invitation);
``GET /messages/{id}`` says where one is, without its text.

Internal: the gateway never routes ``/messages`` to the public, and every notify route needs
the internal token. A message is stored as a notice of an account kind with exactly one
delivery to one consenting contact, then leaves through the same outbox, relay and sender as
every push; the notice lists never show these (their text holds a one-time link or code).
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from notify.api.messages.schemas import MessageBatchIn
from notify.api.messages.schemas import MessageBatchOut
from notify.api.messages.schemas import MessageState
from notify.handlers import account_messages
from yumiao_common.db.engine import get_session
from yumiao_common.web.openapi import documents_actor
from yumiao_common.web.wiring import required_actor

blp = Blueprint("messages", __name__, url_prefix="/api/v1/messages",
                description="账户消息（网关内部） / Account messages (gateway internal)")


@blp.route("/batch")
class MessageBatch(MethodView):
    @documents_actor(blp)
    @blp.arguments(MessageBatchIn)
    @blp.response(200, MessageBatchOut)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """发送账户消息（每条一位联系人） / Send account messages (one contact each)"""
        session = get_session()
        items = account_messages.queue_account_messages(
            session, messages=data["messages"], actor=required_actor(),
            correlation_id=request.headers.get("X-Request-ID"))
        session.commit()
        return {"items": items}


@blp.route("/<uuid:message_id>")
class MessageItem(MethodView):
    @blp.response(200, MessageState)
    def get(self, message_id: uuid.UUID) -> dict[str, Any]:
        """账户消息的投递状态（不含正文） / Delivery state of an account message (no text)"""
        return account_messages.message_state(get_session(), message_id=message_id)
