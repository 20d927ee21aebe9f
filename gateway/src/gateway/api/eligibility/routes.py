"""POST /api/v1/eligibility/check — anyone may test a profile against every tier's criteria.

No sign-in and nothing stored: the body (a profile, profile.md) goes as bytes to scoring's
what-if ``/api/v1/evaluate`` and its answer comes back unchanged. It is rate-limited per
client address because it is the one expensive route open to the whole internet.

The answer is scoring's summary view by default (verdict, score, and only the criteria that
fail or are unknown, with their gaps and next steps): what a person checking eligibility on a
phone needs, at half the bytes. ``?view=full`` asks for every criterion; ``?tiers=`` narrows
the tiers. Both are passed through and validated by scoring.
"""

from __future__ import annotations

from flask import Response
from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.adapters.http import clients
from gateway.adapters.ratelimit import enforce
from gateway.api.proxy import to_flask_response
from gateway.frontdoor.credentials import settings
from yumiao_common.web.errors import DomainError

blp = Blueprint("eligibility", __name__, url_prefix="/api/v1/eligibility",
                description="资格自测（无需登录） / Eligibility self-check (no sign-in)")


class UnsupportedMediaType(DomainError):
    status, code = 415, "unsupported_media_type"


@blp.route("/check")
class Check(MethodView):
    @blp.doc(security=[], requestBody={
        "required": True,
        "content": {"application/json": {"schema": {"type": "object"}}},
        "description": "企业画像 / An enterprise profile (profile.md); same body as /evaluate",
    })
    @blp.response(200, description="各梯队结论与差距 / Every tier's verdict with its gaps")
    def post(self) -> Response:
        """匿名资格自测：不登录、不保存 / Anonymous self-check: no sign-in, nothing stored"""
        enforce("eligibility", settings().ratelimit_eligibility)
        if not request.is_json:
            raise UnsupportedMediaType(
                "请以 JSON 提交企业画像 / Send the profile as application/json")
        params = {"view": request.args.get("view", "summary")}
        if "tiers" in request.args:
            params["tiers"] = request.args["tiers"]
        upstream = clients().scoring.evaluate_raw(request.get_data(),
                                                  content_type="application/json", params=params)
        return to_flask_response("scoring", upstream)
