"""``POST /api/v1/evaluate``: a what-if evaluation of a posted profile; stores nothing.

Lean on purpose (the gateway's load test goes through it): the body is validated once by the
pydantic ``Profile`` contract straight from the raw bytes, the engine runs with the cached
parameter overrides, and the JSON answer is built directly — no ORM, no marshmallow dump.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response
from flask import current_app
from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from pydantic import ValidationError

from scoring.api.evaluate.schemas import EvaluateAnswer
from scoring.api.evaluate.schemas import TiersQuery
from scoring.api.spec import PROFILE_REF
from scoring.store import evaluate_profile
from scoring.validation import as_validation_failed
from yumiao_common.contracts.profile import Profile
from yumiao_common.http_errors import ValidationFailed

blp = Blueprint("evaluate", __name__, description="试算评价 / What-if evaluation")


def _answer(body: dict[str, Any]) -> Response:
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str)
    return Response(text, mimetype="application/json")


def parse_profile(raw: bytes) -> Profile:
    """The posted profile, or a 422 naming every offending field."""
    if not raw.strip():
        raise ValidationFailed(fields={"_body": ["请提交企业画像 / A profile is required"]})
    try:
        return Profile.model_validate_json(raw)
    except ValidationError as exc:
        raise as_validation_failed(exc) from None


@blp.route("/evaluate")
class Evaluate(MethodView):
    @blp.arguments(TiersQuery, location="query", as_kwargs=True, unknown=RAISE)
    @blp.doc(requestBody={"required": True,
                          "content": {"application/json": {"schema": PROFILE_REF}}})
    @blp.response(200, EvaluateAnswer)
    def post(self, tiers: str | None = None) -> Response:
        """试算：按提交的画像评价各等级，不保存 / What-if: evaluate a posted profile, store nothing.

        Local parameter overrides in force apply (each process refreshes them within
        ``SCORING_PARAMETER_CACHE_SECONDS``).
        """
        profile = parse_profile(request.get_data(cache=False))
        selected = [t.strip() for t in tiers.split(",")] if tiers else None
        overrides = current_app.extensions["scoring.overrides"].get()
        results = evaluate_profile(profile, overrides=overrides, tiers=selected)
        return _answer({"as_of": profile.as_of.isoformat(), "results": results})
