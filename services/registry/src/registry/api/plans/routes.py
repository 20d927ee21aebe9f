"""``/plans``: plans as data (title, document number, period, indicators with targets).

Writes are the bureau admin's (the gateway enforces it) and journaled with who and why.
``/plans/measures`` lists the counting rules an indicator can name; ``/plans/<id>/journal``
who changed a plan when, and why.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from registry.api.paging import after_id
from registry.api.paging import next_id_cursor
from registry.api.plans.schemas import MeasurePageSchema
from registry.api.plans.schemas import PlanInSchema
from registry.api.plans.schemas import PlanJournalPageSchema
from registry.api.plans.schemas import PlanPageSchema
from registry.api.plans.schemas import PlanReplaceSchema
from registry.api.plans.schemas import PlanSchema
from registry.api.requests import expected_version
from registry.api.requests import versioned
from registry.api.requests import who
from registry.domain.monitoring import MEASURES
from registry.handlers import plans
from registry.models import Plan
from yumiao_common.db.engine import get_session
from yumiao_common.web.pagination import PageQuerySchema
from yumiao_common.web.pagination import sequence_page

blp = Blueprint("plans", __name__, url_prefix="/plans",
                description="规划与目标指标 / Plans and their target indicators")


@blp.route("")
class Plans(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, PlanPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Every plan, newest period first, with its indicators (one plan per few years:
        paged in memory, cursor by plan id)."""
        return sequence_page(plans.list_plans(get_session()), key=lambda p: p.id, kind=int,
                             limit=args["limit"], cursor=args["cursor"])

    @blp.arguments(PlanInSchema)
    @blp.response(201, PlanSchema)
    def post(self, data: dict[str, Any]) -> Plan:
        """Create a plan (e.g. the next three-year plan) with its indicators and targets."""
        session = get_session()
        plan = plans.create_plan(session, data=data, who=who(data))
        session.commit()
        return plan


@blp.route("/measures")
class Measures(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, MeasurePageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The counting rules an indicator can name, each written out in words (a short
        catalogue; cursor by measure key)."""
        return sequence_page(list(MEASURES.values()), key=lambda m: str(m.key), kind=str,
                             limit=args["limit"], cursor=args["cursor"])


@blp.route("/<int:plan_id>")
class OnePlan(MethodView):
    @blp.response(200, PlanSchema)
    def get(self, plan_id: int) -> Plan:
        """One plan with its indicators."""
        return plans.get_plan(get_session(), plan_id)

    @blp.arguments(PlanReplaceSchema)
    @blp.response(200, PlanSchema)
    @versioned(blp)
    def put(self, data: dict[str, Any], plan_id: int, **_headers: str) -> Plan:
        """Replace the plan's fields and indicators (stale version → 409)."""
        session = get_session()
        version = expected_version(data)
        plan = plans.replace_plan(session, plan_id=plan_id, data=data, version=version,
                                  who=who(data))
        session.commit()
        return plan


@blp.route("/<int:plan_id>/journal")
class PlanJournal(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, PlanJournalPageSchema)
    def get(self, args: dict[str, Any], plan_id: int) -> dict[str, Any]:
        """Every change to the plan (who, when, why), oldest first (cursor pages by entry)."""
        limit = args["limit"]
        rows = plans.plan_journal(get_session(), plan_id, after=after_id(args["cursor"]),
                                  limit=limit)
        return {"items": rows[:limit], "next_cursor": next_id_cursor(rows, limit),
                "total": None}
