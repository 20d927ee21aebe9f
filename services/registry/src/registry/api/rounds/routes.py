"""``/rounds``: yearly reserve rounds (年度集中遴选) — open a round with its quota and dates,
list candidates from the readiness ranking, move firms in batches (nominate → screen →
admit, reject, exit) with one reason per batch, publish the 入库名单 (JSON pages, XLSX).

Candidates come from the registry's readiness read model (scoring's eligibility events), so
the list is one keyset-paged SQL statement; the registry never calls scoring to build it.
"""

from __future__ import annotations

from typing import Any

from flask import Response
from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from sqlalchemy import func
from sqlalchemy import select

from registry.adapters.files.export_workbook import chunks
from registry.adapters.files.round_roster import roster_workbook
from registry.adapters.sql.round_candidates import CandidateFilter
from registry.adapters.sql.round_candidates import candidates
from registry.api.imports.routes import FILE_BODY
from registry.api.imports.routes import XLSX_TYPE
from registry.api.paging import after_id
from registry.api.paging import next_id_cursor
from registry.api.requests import expected_version
from registry.api.requests import versioned
from registry.api.requests import who
from registry.api.rounds.schemas import BatchResultSchema
from registry.api.rounds.schemas import BatchSchema
from registry.api.rounds.schemas import CandidatePageSchema
from registry.api.rounds.schemas import CandidatesArgs
from registry.api.rounds.schemas import PublishSchema
from registry.api.rounds.schemas import RoundCreateSchema
from registry.api.rounds.schemas import RoundMemberPageSchema
from registry.api.rounds.schemas import RoundMembersArgs
from registry.api.rounds.schemas import RoundPageSchema
from registry.api.rounds.schemas import RoundsArgs
from registry.api.rounds.schemas import RoundSchema
from registry.api.rounds.schemas import RoundUpdateSchema
from registry.domain.pipeline import POOLS
from registry.domain.rounds import CANDIDATE_VERDICTS
from registry.domain.rounds import quota_left
from registry.handlers import rounds as h
from registry.models import PoolMembership
from registry.models import ReserveRound
from yumiao_common.clock import beijing_today
from yumiao_common.db.engine import get_session
from yumiao_common.web.pagination import PageQuerySchema
from yumiao_common.web.pagination import decode_cursor
from yumiao_common.web.pagination import encode_cursor

blp = Blueprint("rounds", __name__, url_prefix="/rounds",
                description="年度遴选批次与入库名单 / Yearly reserve rounds and their rosters")


def _view(found: ReserveRound) -> dict[str, Any]:
    session = get_session()
    admitted = h.admitted_count(session, found)
    by_stage = dict(session.execute(
        select(PoolMembership.stage, func.count()).where(PoolMembership.round_id == found.id)
        .group_by(PoolMembership.stage)).all())
    return {**{c: getattr(found, c) for c in (
        "id", "pool", "year", "quota", "opens_on", "closes_on", "valid_months", "status",
        "created_by", "created_at", "published_by", "published_at", "version")},
        "admitted": admitted, "quota_left": quota_left(found.quota, admitted),
        "members_by_stage": {str(k): int(v) for k, v in by_stage.items()}}


@blp.route("")
class Rounds(MethodView):
    @blp.arguments(RoundsArgs, location="query", unknown=RAISE)
    @blp.response(200, RoundPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Rounds, newest id last (cursor pages); filter by pool and year."""
        stmt = select(ReserveRound).where(ReserveRound.id > after_id(args["cursor"]))
        if args.get("pool"):
            stmt = stmt.where(ReserveRound.pool == args["pool"])
        if args.get("year"):
            stmt = stmt.where(ReserveRound.year == args["year"])
        limit = args["limit"]
        rows = list(get_session().scalars(stmt.order_by(ReserveRound.id).limit(limit + 1)))
        return {"items": [_view(r) for r in rows[:limit]],
                "next_cursor": next_id_cursor(rows, limit), "total": None}

    @blp.arguments(RoundCreateSchema)
    @blp.response(201, RoundSchema)
    @blp.alt_response(409, description="该培育库本年度已有批次 / A round exists for that year")
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Open a round (quota 20 for the high-tech reserve unless given)."""
        session = get_session()
        valid_months = data.get("valid_months") or \
            current_app.extensions["registry.settings"].reserve_valid_months
        found = h.create_round(session, pool=data["pool"], year=data["year"],
                               quota=data.get("quota"), opens_on=data["opens_on"],
                               closes_on=data["closes_on"], valid_months=valid_months,
                               who=who(data))
        session.commit()
        return _view(found)


@blp.route("/<int:round_id>")
class Round(MethodView):
    @blp.response(200, RoundSchema)
    def get(self, round_id: int) -> dict[str, Any]:
        """One round with its counts (admitted, quota left, members by stage)."""
        return _view(h.get_round(get_session(), round_id))

    @blp.arguments(RoundUpdateSchema)
    @blp.response(200, RoundSchema)
    @versioned(blp)
    def patch(self, data: dict[str, Any], round_id: int, **_headers: str) -> dict[str, Any]:
        """Change the quota, dates or validity of an open round."""
        session = get_session()
        version = expected_version(data)
        found = h.update_round(session, round_id=round_id, changes=data, version=version,
                               who=who(data))
        session.commit()
        return _view(found)


@blp.route("/<int:round_id>/candidates")
class Candidates(MethodView):
    @blp.arguments(CandidatesArgs, location="query", unknown=RAISE)
    @blp.response(200, CandidatePageSchema)
    def get(self, args: dict[str, Any], round_id: int) -> dict[str, Any]:
        """Firms ready for the pool's title (eligible first, then near, by score), leaving out
        current holders and current members; filters: verdicts, minimum score, town, industry."""
        session = get_session()
        found = h.get_round(session, round_id)
        tier = POOLS[found.pool].tier or found.pool
        flt = CandidateFilter(pool=found.pool, tier=tier,
                              verdicts=tuple(args["verdict"]) or CANDIDATE_VERDICTS,
                              min_score=args.get("min_score"), town=args.get("town"),
                              industry=args.get("industry"))
        after = decode_cursor(args["cursor"], {"r": int, "s": str, "id": int})
        limit = args["limit"]
        rows = candidates(session, flt, today=beijing_today(), after=after, limit=limit + 1)
        more = len(rows) > limit
        rows = rows[:limit]
        return {"items": rows, "total": None,
                "next_cursor": encode_cursor(rows[-1]["_key"]) if more else None}


@blp.route("/<int:round_id>/batches")
class Batches(MethodView):
    @blp.arguments(BatchSchema)
    @blp.response(200, BatchResultSchema)
    @blp.alt_response(409, description="批量操作未执行 / Batch refused (nothing changed)")
    def post(self, data: dict[str, Any], round_id: int) -> dict[str, Any]:
        """Move every firm listed one step with one reason; all or nothing."""
        session = get_session()
        moved = h.run_batch(session, round_id=round_id, action=data["action"],
                            usccs=list(dict.fromkeys(data["usccs"])), who=who(data),
                            exit_reason=data.get("exit_reason"))
        session.commit()
        return {"action": data["action"], "moved": moved}


@blp.route("/<int:round_id>/members")
class RoundMembers(MethodView):
    @blp.arguments(RoundMembersArgs, location="query", unknown=RAISE)
    @blp.response(200, RoundMemberPageSchema)
    def get(self, args: dict[str, Any], round_id: int) -> dict[str, Any]:
        """Every firm the round nominated, at its current stage (cursor pages)."""
        session = get_session()
        found = h.get_round(session, round_id)
        stmt = select(PoolMembership).where(PoolMembership.round_id == found.id,
                                            PoolMembership.id > after_id(args["cursor"]))
        if args.get("stage"):
            stmt = stmt.where(PoolMembership.stage == args["stage"])
        limit = args["limit"]
        rows = list(session.scalars(stmt.order_by(PoolMembership.id).limit(limit + 1)))
        return {"items": rows[:limit], "next_cursor": next_id_cursor(rows, limit),
                "total": None}


@blp.route("/<int:round_id>/roster")
class Roster(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, RoundMemberPageSchema)
    def get(self, args: dict[str, Any], round_id: int) -> dict[str, Any]:
        """The 入库名单: the firms the round admitted (cursor pages)."""
        session = get_session()
        found = h.get_round(session, round_id)
        limit = args["limit"]
        rows = h.roster_query(session, found, after=after_id(args["cursor"]), limit=limit + 1)
        return {"items": rows[:limit], "next_cursor": next_id_cursor(rows, limit),
                "total": None}


@blp.route("/<int:round_id>/roster.xlsx")
class RosterXlsx(MethodView):
    @blp.response(200, FILE_BODY, content_type=XLSX_TYPE)
    def get(self, round_id: int) -> Response:
        """The 入库名单 as XLSX."""
        session = get_session()
        found = h.get_round(session, round_id)
        book = roster_workbook(found, h.roster_query(session, found, after=0, limit=None))
        name = f"yumiao-roster-{found.pool}-{found.year}.xlsx"
        return Response(chunks(book), mimetype=XLSX_TYPE,
                        headers={"Content-Disposition": f"attachment; filename={name}"})


@blp.route("/<int:round_id>/publication")
class Publication(MethodView):
    @blp.arguments(PublishSchema)
    @blp.response(200, RoundSchema)
    @versioned(blp)
    def post(self, data: dict[str, Any], round_id: int, **_headers: str) -> dict[str, Any]:
        """Publish the 入库名单; the round's nominations, screenings and admissions close."""
        session = get_session()
        version = expected_version(data)
        found = h.publish_round(session, round_id=round_id, version=version, who=who(data))
        session.commit()
        return _view(found)
