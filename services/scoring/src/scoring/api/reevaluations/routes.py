"""``/api/v1/reevaluations``: preview a parameter or rulebook change, then activate it.

``POST`` creates the job and computes its impact (who gains, who loses eligibility and which
criteria moved) without changing anything; ``GET`` shows progress, counts and the impact page;
``POST …/activate`` applies the change and re-evaluates everyone in one transaction.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from sqlalchemy import select
from sqlalchemy import tuple_
from sqlalchemy import update
from sqlalchemy.orm import Session

from scoring.adapters.sql.overrides import overrides_in_force
from scoring.api.reevaluations.schemas import ImpactQuery
from scoring.api.reevaluations.schemas import ReevaluationCreate
from scoring.api.reevaluations.schemas import ReevaluationOut
from scoring.handlers import reevaluation_jobs
from scoring.handlers.parameters import validate_value
from scoring.handlers.reevaluations import STALE_PARAMETERS
from scoring.models import Reevaluation
from scoring.models import ReevaluationImpact
from yumiao_common.db.engine import get_session
from yumiao_common.web.errors import Conflict
from yumiao_common.web.errors import NotFound
from yumiao_common.web.errors import ValidationFailed
from yumiao_common.web.openapi import ErrorSchema
from yumiao_common.web.openapi import documents_actor
from yumiao_common.web.pagination import DEFAULT_LIMIT
from yumiao_common.web.pagination import decode_cursor
from yumiao_common.web.pagination import encode_cursor
from yumiao_common.web.wiring import required_actor

blp = Blueprint("reevaluations", __name__, description="重新评价 / Re-evaluation jobs")
IMPACT_COLUMNS = ("uscc", "tier", "kind", "before", "after", "score_before", "score_after",
                  "criteria_met", "criteria_lost")


def _job(session: Session, job_id: uuid.UUID) -> Reevaluation:
    job = session.get(Reevaluation, job_id)
    if job is None:
        raise NotFound("任务不存在 / Re-evaluation job not found", details={"id": str(job_id)})
    return job


def _checked_parameters(proposed: dict[str, Any]) -> dict[str, Any]:
    checked: dict[str, Any] = {}
    problems: dict[str, list[str]] = {}
    for pid, value in proposed.items():
        try:
            checked[pid] = validate_value(pid, value)
        except (ValidationFailed, NotFound) as exc:
            problems[f"parameters.{pid}"] = [exc.message] if isinstance(exc, NotFound) else [
                m for msgs in exc.fields.values() for m in msgs]
    if problems:
        raise ValidationFailed(fields=problems)
    return checked


def job_view(session: Session, job: Reevaluation, args: dict[str, Any]) -> dict[str, Any]:
    stmt = select(ReevaluationImpact).where(ReevaluationImpact.job_id == job.id)
    if args.get("kind"):
        stmt = stmt.where(ReevaluationImpact.kind == args["kind"])
    after = decode_cursor(args.get("cursor"), {"tier": str, "uscc": str})
    if after:
        stmt = stmt.where(tuple_(ReevaluationImpact.tier, ReevaluationImpact.uscc)
                          > (after["tier"], after["uscc"]))
    limit = args.get("limit", DEFAULT_LIMIT)
    rows = list(session.scalars(stmt.order_by(ReevaluationImpact.tier, ReevaluationImpact.uscc)
                                .limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        **{c: getattr(job, c) for c in ReevaluationOut().fields if hasattr(job, c)},
        "impact": [{c: getattr(r, c) for c in IMPACT_COLUMNS} for r in rows],
        "next_cursor": encode_cursor({"tier": rows[-1].tier, "uscc": rows[-1].uscc})
        if more else None,
    }


@blp.route("/reevaluations")
class Reevaluations(MethodView):
    @blp.arguments(ReevaluationCreate)
    @documents_actor(blp)
    @blp.response(202, ReevaluationOut)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """提出变更并预览影响 / Propose a change and compute its impact (nothing activated)."""
        actor = required_actor()
        session = get_session()
        job = Reevaluation(parameters=_checked_parameters(body["parameters"]),
                           as_of=body.get("as_of"), tiers=body.get("tiers"),
                           reason=body["reason"], created_by=actor, status="pending")
        session.add(job)
        reevaluation_jobs.queue_preview(job, actor)
        session.commit()
        return job_view(session, job, {})


@blp.route("/reevaluations/<uuid:job_id>")
class ReevaluationJob(MethodView):
    @blp.arguments(ImpactQuery, location="query", unknown=RAISE)
    @blp.response(200, ReevaluationOut)
    def get(self, args: dict[str, Any], job_id: uuid.UUID) -> dict[str, Any]:
        """任务进度与影响 / Progress, counts and the impact (who gains, who loses, why)."""
        session = get_session()
        return job_view(session, _job(session, job_id), args)


@blp.route("/reevaluations/<uuid:job_id>/activate")
class ReevaluationActivate(MethodView):
    @documents_actor(blp)
    @blp.response(202, ReevaluationOut)
    @blp.alt_response(409, schema=ErrorSchema, description=(
        "仅可生效已完成预览的任务，且参数自预览后未变更 / Only a previewed job can be "
        "activated, and only while the parameters are those its preview was computed on"))
    def post(self, job_id: uuid.UUID) -> dict[str, Any]:
        """生效并重新评价全部企业 / Apply the change and re-evaluate everyone.

        The jobs worker checks the parameters again under a lock (a change or a competing
        activation committed meanwhile fails the job with the same words); this answers at once
        when they already moved.
        """
        actor = required_actor()
        session = get_session()
        job = _job(session, job_id)
        if (job.status == "previewed" and job.previewed_overrides is not None
                and overrides_in_force(session) != job.previewed_overrides):
            raise Conflict(STALE_PARAMETERS, details={"id": str(job_id)})
        # Compare-and-set, so two concurrent activations cannot both start.
        claimed = session.execute(update(Reevaluation).where(
            Reevaluation.id == job_id, Reevaluation.status == "previewed"
        ).values(status="activating")).rowcount  # type: ignore[attr-defined]
        if not claimed:
            raise Conflict("仅可生效已完成预览的任务 / Only a previewed job can be activated",
                           details={"status": job.status})
        reevaluation_jobs.queue_activation(job, actor)
        session.commit()
        return job_view(session, job, {})
