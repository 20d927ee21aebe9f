"""Routes of the policy catalogue: parse, call one use case, commit, return."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from notify import catalogue
from notify.api.actor import require_actor
from notify.api.pagination import page_of
from notify.api.policies.schemas import AuditOut
from notify.api.policies.schemas import PolicyCreate
from notify.api.policies.schemas import PolicyListArgs
from notify.api.policies.schemas import PolicyOut
from notify.api.policies.schemas import PolicyPage
from notify.api.policies.schemas import PolicyRetire
from notify.api.policies.schemas import PolicyUpdate
from notify.models.policy import Policy
from yumiao_common.db import get_session

blp = Blueprint("policies", __name__, url_prefix="/api/v1/policies",
                description="政策目录 / Policy catalogue")


@blp.route("")
class Policies(MethodView):
    @blp.arguments(PolicyListArgs, location="query")
    @blp.response(200, PolicyPage)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        stmt = select(Policy).order_by(Policy.code)
        for name in ("status", "tier", "trigger"):
            if name in args:
                stmt = stmt.where(getattr(Policy, name) == args[name])
        return page_of(get_session(), stmt, args["page"], args["per_page"])

    @blp.arguments(PolicyCreate)
    @blp.response(201, PolicyOut)
    def post(self, data: dict[str, Any]) -> Policy:
        session = get_session()
        reason = data.pop("reason")
        policy = catalogue.create_policy(session, data=data, actor=require_actor(), reason=reason)
        session.commit()
        return policy


@blp.route("/<code>")
class PolicyItem(MethodView):
    @blp.response(200, PolicyOut)
    def get(self, code: str) -> Policy:
        return catalogue.get_policy(get_session(), code)

    @blp.arguments(PolicyUpdate)
    @blp.response(200, PolicyOut)
    def patch(self, data: dict[str, Any], code: str) -> Policy:
        session = get_session()
        version, reason = data.pop("version"), data.pop("reason")
        policy = catalogue.update_policy(session, code=code, changes=data, version=version,
                                         actor=require_actor(), reason=reason)
        session.commit()
        return policy


@blp.route("/<code>/retire")
class PolicyRetirement(MethodView):
    @blp.arguments(PolicyRetire)
    @blp.response(200, PolicyOut)
    def post(self, data: dict[str, Any], code: str) -> Policy:
        session = get_session()
        policy = catalogue.retire_policy(session, code=code, version=data["version"],
                                         actor=require_actor(), reason=data["reason"])
        session.commit()
        return policy


@blp.route("/<code>/audit")
class PolicyAuditTrail(MethodView):
    @blp.response(200, AuditOut(many=True))
    def get(self, code: str) -> list[Any]:
        return list(catalogue.policy_audit(get_session(), code))
