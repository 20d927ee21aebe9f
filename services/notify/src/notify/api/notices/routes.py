"""Notices: the bureau reads all (with filters); an enterprise reads and marks its own.

The enterprise routes filter by the ``uscc`` in the path, and the gateway binds enterprise
accounts to their own code, so an enterprise can never list or touch another's notice (a
foreign notice id answers 404, not 403, to leak nothing). The gateway's account messages
(a one-time link or code, ``handlers.account_messages``) are no notices to read: never listed.
"""

from __future__ import annotations

import uuid
from types import SimpleNamespace
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from sqlalchemy import select

from notify.adapters.channels.inbox import deliveries_of
from notify.adapters.channels.inbox import mark_read
from notify.api.notices.schemas import InboxArgs
from notify.api.notices.schemas import NoticeDetail
from notify.api.notices.schemas import NoticeListArgs
from notify.api.notices.schemas import NoticeOut
from notify.api.notices.schemas import NoticePage
from notify.api.notices.schemas import ReadPatch
from notify.api.pagination import keyset_page
from notify.api.pagination import timestamp_key
from notify.api.pagination import uuid_key
from notify.models.notice import ACCOUNT_KINDS
from notify.models.notice import Notice
from yumiao_common.db.engine import get_session
from yumiao_common.web.errors import NotFound

blp = Blueprint("notices", __name__, url_prefix="/api/v1", description="通知 / Notices")

_EQUALS = ("uscc", "status", "kind", "policy_code", "tier", "push_suppressed", "correlation_id")
#: Newest first; the id breaks ties between notices created in the same microsecond.
NEWEST_FIRST = (timestamp_key("created_at", Notice.created_at, descending=True),
                uuid_key("id", Notice.id))


@blp.route("/notices")
class Notices(MethodView):
    @blp.arguments(NoticeListArgs, location="query", unknown=RAISE)
    @blp.response(200, NoticePage)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        stmt = select(Notice).where(Notice.kind.not_in(ACCOUNT_KINDS))
        for name in _EQUALS:
            if name in args:
                stmt = stmt.where(getattr(Notice, name) == args[name])
        if "created_from" in args:
            stmt = stmt.where(Notice.created_at >= args["created_from"])
        if "created_to" in args:
            stmt = stmt.where(Notice.created_at < args["created_to"])
        return keyset_page(get_session(), stmt, NEWEST_FIRST, limit=args["limit"],
                           cursor=args.get("cursor"))


@blp.route("/notices/<uuid:notice_id>")
class NoticeItem(MethodView):
    @blp.response(200, NoticeDetail)
    def get(self, notice_id: uuid.UUID) -> SimpleNamespace:
        session = get_session()
        notice = session.get(Notice, notice_id)
        if notice is None or notice.kind in ACCOUNT_KINDS:
            raise NotFound("通知不存在 / Notice not found")
        columns = {c.key: getattr(notice, c.key) for c in Notice.__table__.columns}
        return SimpleNamespace(**columns, deliveries=deliveries_of(session, notice_id))


@blp.route("/enterprises/<uscc>/notices")
class EnterpriseNotices(MethodView):
    @blp.arguments(InboxArgs, location="query", unknown=RAISE)
    @blp.response(200, NoticePage)
    def get(self, args: dict[str, Any], uscc: str) -> dict[str, Any]:
        stmt = select(Notice).where(Notice.uscc == uscc, Notice.kind.not_in(ACCOUNT_KINDS))
        if "read" in args:
            column = Notice.read_at
            stmt = stmt.where(column.is_not(None) if args["read"] else column.is_(None))
        return keyset_page(get_session(), stmt, NEWEST_FIRST, limit=args["limit"],
                           cursor=args.get("cursor"))


@blp.route("/enterprises/<uscc>/notices/<uuid:notice_id>")
class EnterpriseNotice(MethodView):
    @blp.response(200, NoticeOut)
    def get(self, uscc: str, notice_id: uuid.UUID) -> Notice:
        notice = get_session().get(Notice, notice_id)
        if notice is None or notice.uscc != uscc or notice.kind in ACCOUNT_KINDS:
            raise NotFound("通知不存在 / Notice not found")
        return notice

    @blp.arguments(ReadPatch)
    @blp.response(200, NoticeOut)
    def patch(self, data: dict[str, Any], uscc: str, notice_id: uuid.UUID) -> Notice:
        session = get_session()
        notice = mark_read(session, uscc=uscc, notice_id=notice_id, read=data["read"])
        session.commit()
        return notice
