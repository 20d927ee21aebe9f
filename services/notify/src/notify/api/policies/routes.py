"""Routes of the policy catalogue: parse, call one use case, commit, return.

Besides the catalogue: ``/policies/calendar.ics`` (every active policy's application batches
as an RFC 5545 feed) and ``/enterprises/{uscc}/policies`` (the policies a firm is eligible or
near for, with the batches still open or to come; the gateway maps an enterprise's
``/me/policies`` onto its own code).
"""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from sqlalchemy import select

from notify.api.pagination import keyset_page
from notify.api.pagination import text_key
from notify.api.pagination import timestamp_key
from notify.api.pagination import uuid_key
from notify.api.policies.schemas import CalendarArgs
from notify.api.policies.schemas import MatchesOut
from notify.api.policies.schemas import PolicyAuditArgs
from notify.api.policies.schemas import PolicyAuditPage
from notify.api.policies.schemas import PolicyCreate
from notify.api.policies.schemas import PolicyListArgs
from notify.api.policies.schemas import PolicyOut
from notify.api.policies.schemas import PolicyPage
from notify.api.policies.schemas import PolicyRetire
from notify.api.policies.schemas import PolicyUpdate
from notify.handlers import policies as catalogue
from notify.handlers.policy_calendar import calendar_text
from notify.handlers.policy_calendar import matching_policies
from notify.models.policy import Policy
from notify.models.policy import PolicyAudit
from yumiao_common.clock import beijing_day
from yumiao_common.clock import utcnow
from yumiao_common.db.engine import get_session
from yumiao_common.web.openapi import documents_actor
from yumiao_common.web.wiring import required_actor

BY_CODE = (text_key("code", Policy.code),)
AUDIT_ORDER = (timestamp_key("at", PolicyAudit.at, descending=False),
               uuid_key("id", PolicyAudit.id))
blp = Blueprint("policies", __name__, url_prefix="/api/v1",
                description="政策目录 / Policy catalogue")
ICS = "text/calendar"


@blp.route("/policies")
class Policies(MethodView):
    @blp.arguments(PolicyListArgs, location="query", unknown=RAISE)
    @blp.response(200, PolicyPage)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        stmt = select(Policy)
        for name in ("status", "tier", "trigger"):
            if name in args:
                stmt = stmt.where(getattr(Policy, name) == args[name])
        return keyset_page(get_session(), stmt, BY_CODE, limit=args["limit"],
                           cursor=args.get("cursor"))

    @blp.arguments(PolicyCreate)
    @blp.response(201, PolicyOut)
    @documents_actor(blp)
    def post(self, data: dict[str, Any]) -> Policy:
        session = get_session()
        reason = data.pop("reason")
        policy = catalogue.create_policy(session, data=data, actor=required_actor(), reason=reason)
        session.commit()
        return policy


@blp.route("/policies/calendar.ics")
class PolicyCalendar(MethodView):
    @blp.arguments(CalendarArgs, location="query", unknown=RAISE)
    @blp.response(200, {"type": "string"}, content_type=ICS,
                  description="iCalendar (RFC 5545)：每个申报批次一个全天事件 / one all-day "
                              "event per application batch")
    def get(self, args: dict[str, Any]) -> Response:
        """政策申报日历 / The application windows of every active policy as iCalendar."""
        body = calendar_text(get_session(), stamp=utcnow(), tier=args.get("tier"))
        return Response(body, mimetype=ICS, content_type=f"{ICS}; charset=utf-8", headers={
            "Content-Disposition": 'inline; filename="yumiao-policy-windows.ics"'})


@blp.route("/enterprises/<string:uscc>/policies")
class EnterprisePolicies(MethodView):
    @blp.response(200, MatchesOut)
    def get(self, uscc: str) -> dict[str, Any]:
        """与本企业相符的政策及申报批次 / Policies the firm is eligible or near for, with
        their open and upcoming batches."""
        return matching_policies(get_session(), uscc=uscc, today=beijing_day(utcnow()))


@blp.route("/policies/<code>")
class PolicyItem(MethodView):
    @blp.response(200, PolicyOut)
    def get(self, code: str) -> Policy:
        return catalogue.get_policy(get_session(), code)

    @blp.arguments(PolicyUpdate)
    @blp.response(200, PolicyOut)
    @documents_actor(blp)
    def patch(self, data: dict[str, Any], code: str) -> Policy:
        session = get_session()
        version, reason = data.pop("version"), data.pop("reason")
        policy = catalogue.update_policy(session, code=code, changes=data, version=version,
                                         actor=required_actor(), reason=reason)
        session.commit()
        return policy


@blp.route("/policies/<code>/retire")
class PolicyRetirement(MethodView):
    @blp.arguments(PolicyRetire)
    @blp.response(200, PolicyOut)
    @documents_actor(blp)
    def post(self, data: dict[str, Any], code: str) -> Policy:
        session = get_session()
        policy = catalogue.retire_policy(session, code=code, version=data["version"],
                                         actor=required_actor(), reason=data["reason"])
        session.commit()
        return policy


@blp.route("/policies/<code>/audit")
class PolicyAuditTrail(MethodView):
    @blp.arguments(PolicyAuditArgs, location="query", unknown=RAISE)
    @blp.response(200, PolicyAuditPage)
    def get(self, args: dict[str, Any], code: str) -> dict[str, Any]:
        """Every change of the policy, oldest first; the trail grows with every change, so it
        pages (cursor by time, then id)."""
        session = get_session()
        policy = catalogue.get_policy(session, code)
        return keyset_page(session, select(PolicyAudit).where(
            PolicyAudit.policy_id == policy.id), AUDIT_ORDER, limit=args["limit"],
            cursor=args["cursor"])
