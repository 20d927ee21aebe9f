"""``POST /api/v1/evaluate``: a what-if evaluation of a posted profile; stores nothing.

Lean on purpose (the gateway's load test goes through it): the body is validated once by the
pydantic ``Profile`` contract straight from the raw bytes, the engine runs with the cached
parameter overrides, and the JSON answer is built directly — no ORM, no marshmallow dump —
and encoded by orjson (compact, UTF-8, Decimals as strings: byte for byte what
``json.dumps(…, ensure_ascii=False, separators=(",", ":"), default=str)`` gives; that is
the fallback for anything orjson refuses, such as an integer beyond 64 bits).

Two views (query ``view``):

* ``full`` (default): every criterion of every tier — ``TierResult.to_dict()``, the shape
  that is also stored per evaluation.
* ``summary``: for phones and the gateway's anonymous self-check — per tier the same keys,
  but ``criteria`` lists only the criteria that failed or are unknown (passing ones are
  counted in ``counts``), without their points and flags; see ``domain.result.result_to_summary``.
  The answer carries ``"view": "summary"``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import orjson
from flask import Response
from flask import current_app
from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from pydantic import ValidationError

from scoring.api.evaluate.schemas import EvaluateAnswer
from scoring.api.evaluate.schemas import EvaluateQuery
from scoring.api.profile_errors import arithmetic_failed
from scoring.api.profile_errors import as_validation_failed
from scoring.api.profile_schema import PROFILE_REF
from scoring.domain import evaluate
from scoring.handlers.parameters import catalogue
from yumiao_common.contracts.profile import Profile
from yumiao_common.web.errors import ValidationFailed

blp = Blueprint("evaluate", __name__, description="试算评价 / What-if evaluation")


def encode(body: Any) -> bytes:
    """Compact UTF-8 JSON, Decimals (and anything else unknown) as strings."""
    try:
        return orjson.dumps(body, default=str)
    except TypeError:  # orjson.JSONEncodeError: e.g. an int beyond 64 bits, a lone surrogate
        text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str)
        return text.encode("utf-8", "surrogatepass")


def _answer(body: dict[str, Any]) -> Response:
    return Response(encode(body), mimetype="application/json")


def parse_profile(raw: bytes) -> Profile:
    """The posted profile, or a 422 naming every offending field."""
    if not raw.strip():
        raise ValidationFailed(fields={"_body": ["请提交企业画像 / A profile is required"]})
    try:
        return Profile.model_validate_json(raw)
    except ValidationError as exc:
        raise as_validation_failed(exc) from None


def _engine_overrides(overrides: Mapping[str, Any] | None) -> dict[str, Decimal] | None:
    """As ``handlers.evaluations.evaluate_profile``: an override no rulebook knows any more
    is ignored."""
    if not overrides:
        return None
    known = catalogue()
    return {k: Decimal(str(v)) for k, v in overrides.items() if k in known} or None


@blp.route("/evaluate")
class Evaluate(MethodView):
    @blp.arguments(EvaluateQuery, location="query", as_kwargs=True, unknown=RAISE)
    @blp.doc(requestBody={"required": True,
                          "content": {"application/json": {"schema": PROFILE_REF}}})
    @blp.response(200, EvaluateAnswer)
    def post(self, tiers: str | None = None, view: str = "full") -> Response:
        """试算：按提交的画像评价各等级，不保存 / What-if: evaluate a posted profile, store nothing.

        ``view=full`` (default) lists every criterion of every tier; ``view=summary`` lists
        only the criteria not passed (with their gaps), counts the passing ones in
        ``counts``, and keeps verdict, route, score and next steps — the compact answer for
        phones and the anonymous self-check. Local parameter overrides in force apply (each
        process refreshes them within ``SCORING_PARAMETER_CACHE_SECONDS``).
        """
        profile = parse_profile(request.get_data(cache=False))
        selected = [t.strip() for t in tiers.split(",")] if tiers else None
        overrides = _engine_overrides(current_app.extensions["scoring.overrides"].get())
        try:
            return _evaluate(profile, selected, overrides, view)
        except ArithmeticError as exc:  # bounded inputs make this a safety net, never a 500
            raise arithmetic_failed(profile, exc) from None


def _evaluate(
    profile: Profile, selected: list[str] | None, overrides: dict[str, Decimal] | None, view: str
) -> Response:
    found = evaluate(profile, tiers=selected, overrides=overrides)  # type: ignore[arg-type]
    as_of = profile.as_of.isoformat()
    if view == "summary":
        results = {str(t): r.to_summary() for t, r in found.items()}
        return _answer({"as_of": as_of, "view": "summary", "results": results})
    results = {str(t): r.to_dict() for t, r in found.items()}
    return _answer({"as_of": as_of, "results": results})
