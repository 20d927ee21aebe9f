"""GET /internal/upstreams/<service>/healthz — one hop to a service's trivial endpoint.

Operators use it to see that the gateway reaches each service with its pooled client (DNS,
NetworkPolicy, internal token); ``bench/gateway.py`` uses it as the trivial-hop baseline, so
it deliberately runs the same code path as any forwarded request (limits, client, response
conversion).
"""

from __future__ import annotations

from flask import Blueprint
from flask import Response

from gateway.adapters.http import clients
from gateway.api.proxy import to_flask_response
from yumiao_common.web.errors import NotFound

blp = Blueprint("internal", __name__)


@blp.get("/internal/upstreams/<service>/healthz")
def upstream_healthz(service: str) -> Response:
    if service not in ("registry", "scoring", "notify"):
        raise NotFound("没有该服务 / No such service")
    return to_flask_response(service, clients().by_name(service).healthz())
