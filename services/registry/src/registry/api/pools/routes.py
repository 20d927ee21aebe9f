"""``/pools``: pools with stage counts, members, nomination and pipeline moves.

An illegal move is a 409 whose ``details.allowed_moves`` lists the legal ones; a stale
``version`` is a 409 naming the current one. Every move records actor (X-Actor), reason, time.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from sqlalchemy import func
from sqlalchemy import select

from registry import handlers
from registry.api.paging import after_id
from registry.api.paging import next_id_cursor
from registry.api.pools.schemas import MembersArgs
from registry.api.pools.schemas import MembershipPageSchema
from registry.api.pools.schemas import MembershipSchema
from registry.api.pools.schemas import MoveSchema
from registry.api.pools.schemas import NominateSchema
from registry.api.pools.schemas import PoolPageSchema
from registry.api.pools.schemas import StageMovePageSchema
from registry.api.requests import expected_version
from registry.api.requests import versioned
from registry.api.requests import who
from registry.domain.pipeline import POOLS
from registry.handlers.pipeline import get_pool
from registry.models import PoolMembership
from registry.models import StageMove
from yumiao_common.db.engine import get_session
from yumiao_common.web.pagination import PageQuerySchema
from yumiao_common.web.pagination import sequence_page

blp = Blueprint("pools", __name__, url_prefix="/pools",
                description="培育库与流转 / Cultivation pools and pipeline moves")


@blp.route("")
class Pools(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, PoolPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Every pool with its member count per stage (a short catalogue, in the list
        dialect: cursor pages by pool key)."""
        counts: dict[str, dict[str, int]] = {key: {} for key in POOLS}
        rows = get_session().execute(
            select(PoolMembership.pool, PoolMembership.stage, func.count())
            .group_by(PoolMembership.pool, PoolMembership.stage))
        for pool, stage, count in rows:
            counts.setdefault(pool, {})[stage] = count
        pools = [{**vars(p), "members_by_stage": counts[p.key]} for p in POOLS.values()]
        return sequence_page(pools, key=lambda p: str(p["key"]), kind=str, limit=args["limit"],
                             cursor=args["cursor"])


@blp.route("/<pool>/members")
class Members(MethodView):
    @blp.arguments(MembersArgs, location="query", unknown=RAISE)
    @blp.response(200, MembershipPageSchema)
    def get(self, args: dict[str, Any], pool: str) -> dict[str, Any]:
        """Members of a pool (optionally of one stage), cursor pages by membership id."""
        get_pool(pool)
        stmt = select(PoolMembership).where(PoolMembership.pool == pool,
                                            PoolMembership.id > after_id(args["cursor"]))
        if args.get("stage"):
            stmt = stmt.where(PoolMembership.stage == args["stage"])
        limit = args["limit"]
        rows = list(get_session().scalars(stmt.order_by(PoolMembership.id).limit(limit + 1)))
        return {"items": rows[:limit], "next_cursor": next_id_cursor(rows, limit),
                "total": None}

    @blp.arguments(NominateSchema)
    @blp.response(201, MembershipSchema)
    def post(self, data: dict[str, Any], pool: str) -> PoolMembership:
        """Nominate an enterprise to this pool (stage ``nominated``)."""
        session = get_session()
        membership = handlers.nominate(session, pool=pool, uscc=data["uscc"],
                                       cohort_year=data.get("cohort_year"), who=who(data))
        session.commit()
        return membership


@blp.route("/<pool>/members/<uscc>")
class Member(MethodView):
    @blp.response(200, MembershipSchema)
    def get(self, pool: str, uscc: str) -> PoolMembership:
        """One membership with the moves allowed from its stage."""
        return handlers.get_membership(get_session(), pool=pool, uscc=uscc)


@blp.route("/<pool>/members/<uscc>/moves")
class Moves(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, StageMovePageSchema)
    def get(self, args: dict[str, Any], pool: str, uscc: str) -> dict[str, Any]:
        """The member's stage history, oldest first (it grows with every move: cursor pages
        by move id)."""
        session = get_session()
        membership = handlers.get_membership(session, pool=pool, uscc=uscc)
        mine = StageMove.membership_id == membership.id
        limit = args["limit"]
        rows = list(session.scalars(select(StageMove).where(
            mine, StageMove.id > after_id(args["cursor"])).order_by(StageMove.id)
            .limit(limit + 1)))
        total = session.scalar(select(func.count()).where(mine))
        return {"items": rows[:limit], "next_cursor": next_id_cursor(rows, limit),
                "total": total}

    @blp.arguments(MoveSchema)
    @blp.response(200, MembershipSchema)
    @versioned(blp)
    def post(self, data: dict[str, Any], pool: str, uscc: str, **_headers: str
             ) -> PoolMembership:
        """Move the member; illegal → 409 with ``allowed_moves``; stale version → 409."""
        session = get_session()
        version = expected_version(data)
        membership = handlers.move(session, pool=pool, uscc=uscc, to_stage=data["to_stage"],
                                   version=version, who=who(data),
                                   exit_reason=data.get("exit_reason"),
                                   certificate=data.get("certificate"))
        session.commit()
        return membership
