"""GET /api/v1/me — the signed-in principal (any account or API key).

The sub-resources (``/me/profile``, ``/me/evaluations``, ``/me/notices``, ``/me/preferences``,
``/me/evaluate``) are forwarded by ``gateway.api.proxy`` after ``tenancy.resolve_me`` rewrites them
to the caller's own credit code; ``gateway.api.openapi`` documents them from that same table.
"""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.api.common import PrincipalOut
from gateway.frontdoor.credentials import ensure

blp = Blueprint("me", __name__, url_prefix="/api/v1/me",
                description="我的账户与本企业数据 / Me and my enterprise's data")


@blp.route("")
class Me(MethodView):
    @blp.response(200, PrincipalOut)
    def get(self) -> dict[str, str | None]:
        """当前登录者 / The signed-in principal"""
        return ensure().public()
