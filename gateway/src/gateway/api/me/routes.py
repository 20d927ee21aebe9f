"""GET /api/v1/me — the signed-in principal (any account or API key); /me/sign-ins its history.

The sub-resources (``/me/profile``, ``/me/evaluations``, ``/me/notices``, ``/me/preferences``,
``/me/evaluate``) are forwarded by ``gateway.api.proxy`` after ``tenancy.resolve_me`` rewrites them
to the caller's own credit code; ``gateway.api.openapi`` documents them from that same table.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from gateway.api.common import PrincipalOut
from gateway.api.invitations.schemas import SignInPage
from gateway.frontdoor.account_access import sign_in_page
from gateway.frontdoor.credentials import ensure
from yumiao_common.web.errors import NotFound
from yumiao_common.web.pagination import PageQuerySchema

blp = Blueprint("me", __name__, url_prefix="/api/v1/me",
                description="我的账户与本企业数据 / Me and my enterprise's data")


@blp.route("")
class Me(MethodView):
    @blp.response(200, PrincipalOut)
    def get(self) -> dict[str, str | None]:
        """当前登录者 / The signed-in principal"""
        return ensure().public()


@blp.route("/sign-ins")
class MySignIns(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, SignInPage)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """我的登录记录（时间、地址、成败，最新在前） / My sign-ins (time, address, outcome;
        newest first)"""
        principal = ensure()
        if principal.account_id is None:
            raise NotFound("API 密钥没有登录记录 / API keys have no sign-in history")
        return sign_in_page(uuid.UUID(principal.account_id), query)
