"""``/api/v1/parameters``: the bureau's local parameters, overridable without a code change.

``PUT`` sets the override (audited with ``X-Actor`` and the reason; optimistic ``version``)
and starts a re-evaluation of everyone under it, so stored verdicts never lag the parameters.
To see the impact *before* changing anything, use ``POST /reevaluations`` instead.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.api.parameters.schemas import ParameterList
from scoring.api.parameters.schemas import ParameterOut
from scoring.api.parameters.schemas import ParameterPut
from scoring.handlers import reevaluation_jobs
from scoring.handlers.parameters import catalogue
from scoring.handlers.parameters import describe
from scoring.handlers.parameters import set_parameter
from scoring.models import ParameterAudit
from scoring.models import ParameterOverride
from scoring.models import Reevaluation
from yumiao_common.db.engine import get_session
from yumiao_common.web.openapi import ErrorSchema
from yumiao_common.web.openapi import documents_actor
from yumiao_common.web.pagination import PageQuerySchema
from yumiao_common.web.pagination import sequence_page
from yumiao_common.web.wiring import required_actor

blp = Blueprint("parameters", __name__, description="本地参数 / Local parameters")


def parameter_view(session: Session, parameter_id: str, *, history: int = 20) -> dict[str, Any]:
    definition = describe(parameter_id)
    held = session.get(ParameterOverride, parameter_id)
    default = definition.get("default", definition.get("value"))
    audit: Any = session.scalars(select(ParameterAudit).where(
        ParameterAudit.parameter_id == parameter_id).order_by(ParameterAudit.id.desc())
        .limit(history)) if history else []
    return {
        "id": parameter_id, "definition": definition, "default": default,
        "value": held.value if held else default, "overridden": held is not None,
        "version": held.version if held else 0,
        "updated_by": held.updated_by if held else None, "reason": held.reason if held else None,
        "updated_at": held.updated_at if held else None,
        "history": [{"old_value": a.old_value, "new_value": a.new_value, "actor": a.actor,
                     "reason": a.reason, "reevaluation_id": a.reevaluation_id, "at": a.at}
                    for a in audit],
    }


@blp.route("/parameters")
class Parameters(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, ParameterList)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """本地参数列表 / Every local parameter with its default and the value in force
        (cursor by parameter id)."""
        session = get_session()
        page = sequence_page(sorted(catalogue()), key=str, kind=str, limit=args["limit"],
                             cursor=args["cursor"])
        return {**page, "items": [parameter_view(session, pid, history=0)
                                  for pid in page["items"]]}


@blp.route("/parameters/<string:parameter_id>")
class Parameter(MethodView):
    @blp.response(200, ParameterOut)
    def get(self, parameter_id: str) -> dict[str, Any]:
        """本地参数及修改记录 / One local parameter and its change history."""
        return parameter_view(get_session(), parameter_id)

    @blp.arguments(ParameterPut)
    @documents_actor(blp)
    @blp.response(200, ParameterOut)
    @blp.alt_response(409, schema=ErrorSchema,
                      description="版本已变化 / The parameter changed meanwhile (stale version)")
    def put(self, body: dict[str, Any], parameter_id: str) -> dict[str, Any]:
        """修改本地参数并重新评价 / Override a local parameter and re-evaluate everyone."""
        actor = required_actor()
        session = get_session()
        set_parameter(session, parameter_id=parameter_id, value=body["value"], actor=actor,
                      reason=body["reason"], expected_version=body.get("version"))
        job = Reevaluation(parameters={}, reason=f"参数 {parameter_id} 已修改 / parameter "
                           f"{parameter_id} changed: {body['reason']}"[:1000], created_by=actor,
                           status="pending")
        session.add(job)
        reevaluation_jobs.queue_activation(job, actor)
        session.commit()
        current_app.extensions["scoring.overrides"].invalidate()
        return {**parameter_view(session, parameter_id), "reevaluation_id": job.id}
