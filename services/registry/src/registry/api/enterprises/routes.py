"""``/enterprises``: list (filters, keyset pages), create, read, update; profile; audit log."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from sqlalchemy import func
from sqlalchemy import select

from registry import handlers
from registry.adapters.sql.enterprise_list import EnterpriseFilter
from registry.adapters.sql.enterprise_list import page_enterprises
from registry.api.enterprises.schemas import AuditArgs
from registry.api.enterprises.schemas import AuditPageSchema
from registry.api.enterprises.schemas import EnterpriseCreateSchema
from registry.api.enterprises.schemas import EnterpriseListArgs
from registry.api.enterprises.schemas import EnterprisePageSchema
from registry.api.enterprises.schemas import EnterpriseSchema
from registry.api.enterprises.schemas import EnterpriseUpdateSchema
from registry.api.enterprises.schemas import ProfileArgs
from registry.api.enterprises.schemas import ProfileOutSchema
from registry.api.paging import after_id
from registry.api.paging import id_cursor
from registry.api.paging import next_id_cursor
from registry.api.pools.schemas import MembershipPageSchema
from registry.api.requests import expected_version
from registry.api.requests import versioned
from registry.api.requests import who
from registry.handlers.profile import build_profile
from registry.models import AuditEntry
from registry.models import PoolMembership
from yumiao_common.db.engine import get_session
from yumiao_common.web.pagination import PageQuerySchema

blp = Blueprint("enterprises", __name__, url_prefix="/enterprises",
                description="企业登记 / Enterprise registry")


@blp.route("")
class Enterprises(MethodView):
    @blp.arguments(EnterpriseListArgs, location="query", unknown=RAISE)
    @blp.response(200, EnterprisePageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List enterprises in a stable order (pass ``next_cursor`` back as ``cursor``)."""
        after, limit = after_id(args.pop("cursor")), args.pop("limit")
        items, last, total = page_enterprises(
            get_session(), EnterpriseFilter(**args), after=after, limit=limit)
        return {"items": items, "next_cursor": id_cursor(last), "total": total}

    @blp.arguments(EnterpriseCreateSchema)
    @blp.response(201, EnterpriseSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Register an enterprise."""
        session = get_session()
        enterprise = handlers.create_enterprise(session, data=data, who=who(data))
        session.commit()
        return enterprise


@blp.route("/<uscc>")
class EnterpriseItem(MethodView):
    @blp.response(200, EnterpriseSchema)
    def get(self, uscc: str) -> Any:
        """One enterprise."""
        return handlers.get_enterprise(get_session(), uscc)

    @blp.arguments(EnterpriseUpdateSchema)
    @blp.response(200, EnterpriseSchema)
    @versioned(blp)
    def patch(self, data: dict[str, Any], uscc: str, **_headers: str) -> Any:
        """Change some fields; send the ``version`` you read (or If-Match); stale → 409."""
        session = get_session()
        version = expected_version(data)
        enterprise = handlers.update_enterprise(session, uscc=uscc, data=data, version=version,
                                                who=who(data))
        session.commit()
        return enterprise


@blp.route("/<uscc>/profile")
class EnterpriseProfile(MethodView):
    @blp.arguments(ProfileArgs, location="query", unknown=RAISE)
    @blp.response(200, ProfileOutSchema)
    def get(self, args: dict[str, Any], uscc: str) -> dict[str, Any]:
        """The profile.md snapshot scoring evaluates (``as_of`` defaults to today)."""
        session = get_session()
        return build_profile(session, handlers.get_enterprise(session, uscc), args.get("as_of"))


@blp.route("/<uscc>/audit")
class EnterpriseAudit(MethodView):
    @blp.arguments(AuditArgs, location="query", unknown=RAISE)
    @blp.response(200, AuditPageSchema)
    def get(self, args: dict[str, Any], uscc: str) -> dict[str, Any]:
        """Every accepted change to this enterprise, oldest first (cursor pages)."""
        session = get_session()
        enterprise = handlers.get_enterprise(session, uscc)
        limit = args["limit"]
        rows = list(session.scalars(
            select(AuditEntry)
            .where(AuditEntry.enterprise_id == enterprise.id,
                   AuditEntry.id > after_id(args["cursor"]))
            .order_by(AuditEntry.id).limit(limit + 1)))
        return {"items": rows[:limit], "next_cursor": next_id_cursor(rows, limit),
                "total": None}


@blp.route("/<uscc>/memberships")
class EnterpriseMemberships(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, MembershipPageSchema)
    def get(self, args: dict[str, Any], uscc: str) -> dict[str, Any]:
        """Every pool this enterprise is in, with its stage and allowed moves (cursor pages
        by membership id)."""
        session = get_session()
        enterprise = handlers.get_enterprise(session, uscc)
        mine = PoolMembership.enterprise_id == enterprise.id
        limit = args["limit"]
        rows = list(session.scalars(select(PoolMembership).where(
            mine, PoolMembership.id > after_id(args["cursor"]))
            .order_by(PoolMembership.id).limit(limit + 1)))
        total = session.scalar(select(func.count()).where(mine))
        return {"items": rows[:limit], "next_cursor": next_id_cursor(rows, limit),
                "total": total}
