"""``GET /api/v1/enterprises/{uscc}/evaluations``: an enterprise's stored verdicts per tier."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema
from marshmallow import fields
from sqlalchemy import select

from scoring.api.evaluate.schemas import TierResultSchema
from scoring.models import EnterpriseProfile
from scoring.models import Evaluation
from yumiao_common.db.engine import get_session
from yumiao_common.web.errors import NotFound
from yumiao_common.web.fields import UtcDateTime

blp = Blueprint("evaluations", __name__, description="企业评价结果 / Stored evaluations")


class StoredEvaluation(Schema):
    tier = fields.String()
    verdict = fields.String()
    rulebook_version = fields.String()
    uses_local_parameter = fields.Boolean()
    evaluated_at = UtcDateTime()
    result = fields.Nested(TierResultSchema)


class EnterpriseEvaluations(Schema):
    uscc = fields.String()
    name = fields.String()
    profile_version = fields.Integer()
    as_of = fields.String(allow_none=True)
    evaluations = fields.List(fields.Nested(StoredEvaluation))


@blp.route("/enterprises/<string:uscc>/evaluations")
class Evaluations(MethodView):
    @blp.response(200, EnterpriseEvaluations)
    def get(self, uscc: str) -> dict[str, Any]:
        """企业各等级评价 / The enterprise's current evaluation for every tier."""
        session = get_session()
        profile = session.get(EnterpriseProfile, uscc)
        if profile is None:
            raise NotFound("企业不存在 / Enterprise not found", details={"uscc": uscc})
        rows = session.scalars(
            select(Evaluation).where(Evaluation.uscc == uscc).order_by(Evaluation.tier))
        return {
            "uscc": uscc, "name": profile.name, "profile_version": profile.source_version,
            "as_of": profile.profile.get("as_of"),
            "evaluations": [
                {"tier": e.tier, "verdict": e.verdict, "rulebook_version": e.rulebook_version,
                 "uses_local_parameter": e.uses_local_parameter,
                 "evaluated_at": e.evaluated_at, "result": e.result}
                for e in rows
            ],
        }
