"""/api/v1/accounts/invitations: admins invite every firm of a filter or pool, send again, list.

``POST`` creates an account for each firm of the filter that has none and sends each one
set-password link (one message per firm, to one consenting contact, through notify); the
answer counts what happened and lists the new invitations. The rows are committed before
notify is asked (a link sent always works), and again with what notify said
(``frontdoor.account_access``, shared with the admin page).
"""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from sqlalchemy import func
from sqlalchemy import select

from gateway.adapters.http import clients
from gateway.api.invitations.schemas import InvitationCreate
from gateway.api.invitations.schemas import InvitationDetail
from gateway.api.invitations.schemas import InvitationOut
from gateway.api.invitations.schemas import InvitationPage
from gateway.api.invitations.schemas import InvitationQuery
from gateway.api.invitations.schemas import InvitationResend
from gateway.api.invitations.schemas import InvitationSummary
from gateway.frontdoor.account_access import bulk_invite
from gateway.frontdoor.account_access import invitation_out
from gateway.frontdoor.account_access import resend_invitation
from gateway.frontdoor.credentials import ensure
from gateway.handlers import invitations
from gateway.models import Invitation
from yumiao_common.db.engine import get_session
from yumiao_common.web.pagination import decode_cursor
from yumiao_common.web.pagination import encode_cursor

blp = Blueprint("invitations", __name__, url_prefix="/api/v1/accounts/invitations",
                description="企业账户批量邀请（管理员） / Bulk enterprise invitations (admin)")


@blp.before_request
def _admins_only() -> None:
    ensure("admin")


@blp.route("")
class Invitations(MethodView):
    @blp.arguments(InvitationQuery, location="query", unknown=RAISE)
    @blp.response(200, InvitationPage)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """邀请列表（按信用代码） / Invitations (by credit code)"""
        session = get_session()
        stmt = invitations.listing(state=query.get("state"), uscc=query.get("uscc"))
        total = session.scalar(select(func.count()).select_from(stmt.subquery()))
        position = decode_cursor(query.get("cursor"), {"uscc": str})
        if position is not None:
            stmt = stmt.where(Invitation.uscc > position["uscc"])
        rows = list(session.scalars(stmt.order_by(Invitation.uscc).limit(query["limit"] + 1)))
        items, more = rows[:query["limit"]], len(rows) > query["limit"]
        cursor = encode_cursor({"uscc": items[-1].uscc}) if more and items else None
        return {"items": [invitation_out(i) for i in items], "total": total or 0,
                "next_cursor": cursor}

    @blp.arguments(InvitationCreate)
    @blp.response(201, InvitationSummary)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """邀请筛选范围内尚无账户的企业（每家一条消息） / Invite every firm of a filter
        without an account (one message each)"""
        return bulk_invite(filters=body["filter"], channel=body["channel"],
                           reason=body["reason"], actor=ensure("admin").actor)


@blp.route("/<uuid:invitation_id>")
class InvitationItem(MethodView):
    @blp.response(200, InvitationDetail)
    def get(self, invitation_id: uuid.UUID) -> dict[str, Any]:
        """查看邀请及其消息的投递状态 / One invitation and where its message is"""
        invitation = invitations.get_invitation(get_session(), invitation_id=invitation_id)
        return {**invitation_out(invitation),
                "delivery": invitations.delivery_of(clients(), invitation)}


@blp.route("/<uuid:invitation_id>/resend")
class InvitationResendView(MethodView):
    @blp.arguments(InvitationResend)
    @blp.response(200, InvitationOut)
    def post(self, body: dict[str, Any], invitation_id: uuid.UUID) -> dict[str, Any]:
        """重新发送邀请（旧链接作废，有效期重新计算） / Send again (the old link stops
        working; a fresh expiry)"""
        return invitation_out(resend_invitation(
            invitation_id=invitation_id, channel=body["channel"], reason=body["reason"],
            actor=ensure("admin").actor))
