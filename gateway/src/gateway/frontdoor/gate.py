"""The front door's checks, run before anything reads a request body.

Flask reads a body when a view or a marshmallow schema first asks for it, and the shared
wiring (``yumiao_common.web.wiring``) looks into JSON bodies for NUL characters. A caller that is
over its limit, not allowed, or sending a megabyte to a route that takes a few kilobytes must
be refused before that, so these hooks run right after the request id is set, in this order:

1. ``/metrics`` is not public: it needs the internal token (``X-Internal-Token``, or
   ``Authorization: Bearer <token>`` as Prometheus sends it); without one configured it is
   closed to everyone.
2. Body size: the gateway's own JSON routes accept ``json_body_max_bytes`` (a declared
   ``Content-Length`` over it is a 413 at once; a chunked body is cut off at the same size).
3. Credentials: ``current_principal()`` resolves the bearer token, API key or cookie.
4. flask-limiter's application limits (per principal and per address).
5. The route's own tight per-address limit (sign-in, password change and reset, self-check).
6. Access: the principal may call this route at all (tenancy rules for forwarded paths,
   admin for ``/accounts`` and its invitations, signed in for a password change and for any
   other write; a reset and a one-time link are public).
"""

from __future__ import annotations

import hmac
from typing import Any

from flask import Flask
from flask import Response
from flask import current_app
from flask import request
from flask_limiter import Limiter
from werkzeug.exceptions import HTTPException

from gateway.adapters.ratelimit import enforce
from gateway.domain.tenancy import authorize
from gateway.domain.tenancy import resolve_me
from gateway.domain.tenancy import service_for
from gateway.frontdoor.credentials import current_principal
from gateway.frontdoor.credentials import ensure
from gateway.frontdoor.credentials import settings
from yumiao_common.web.errors import DomainError
from yumiao_common.web.errors import error_response
from yumiao_common.web.wiring import INTERNAL_TOKEN_HEADER
from yumiao_common.web.wiring import OPEN_PATHS

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ROUTED_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")  # what the proxy takes
#: Blueprints of the gateway's own JSON API (forwarded paths keep the shared upload limit).
OWN_JSON_BLUEPRINTS = frozenset({"auth", "accounts", "eligibility", "me", "invitations",
                                 "password_reset"})
#: Writes anyone may send: signing in and out, and the anonymous self-check.
PUBLIC_WRITES = frozenset({"auth.Login", "auth.Refresh", "auth.Logout", "auth.BrowserSession",
                           "eligibility.Check", "web.login_submit", "web.logout",
                           "web.self_check", "password_reset.ResetRequest",
                           "password_reset.ResetComplete", "web.set_password",
                           "web.password_reset", "web.password_reset_code"})
#: endpoint → (scope, settings attribute of its per-address limit); POST only.
TIGHT_LIMITS = {
    "auth.Login": ("login", "ratelimit_login"),
    "auth.BrowserSession": ("login", "ratelimit_login"),
    "web.login_submit": ("login", "ratelimit_login"),
    "auth.Password": ("password", "ratelimit_password"),
    "eligibility.Check": ("eligibility", "ratelimit_eligibility"),
    "web.self_check": ("eligibility", "ratelimit_eligibility"),
    "password_reset.ResetRequest": ("password-reset", "ratelimit_password_reset"),
    "web.password_reset": ("password-reset", "ratelimit_password_reset"),
    "password_reset.ResetComplete": ("password", "ratelimit_password"),
    "web.set_password": ("password", "ratelimit_password"),
    "web.password_reset_code": ("password", "ratelimit_password"),
}


def _metrics_guard() -> tuple[Response, int] | None:
    token = settings().internal_token
    presented = request.headers.get(INTERNAL_TOKEN_HEADER, "")
    scheme, _, bearer = request.headers.get("Authorization", "").partition(" ")
    if not presented and scheme.lower() == "bearer":
        presented = bearer.strip()
    if token is not None and presented and hmac.compare_digest(
            presented.encode(), token.get_secret_value().encode()):
        return None
    return error_response(401, code="internal_token_required",
                          message="指标仅供内部采集 / Metrics are for the internal scraper only")


def _size_guard() -> tuple[Response, int] | None:
    """JSON of the gateway's own API and the web pages' plain forms (sign-in, the anonymous
    self-check: 20 MB of fields cost seconds of CPU to parse) share one small limit; multipart
    uploads keep the shared one."""
    if request.method not in UNSAFE:
        return None
    web_form = (request.blueprint == "web"
                and request.mimetype == "application/x-www-form-urlencoded")
    if request.blueprint not in OWN_JSON_BLUEPRINTS and not web_form:
        return None
    limit = settings().json_body_max_bytes
    if request.content_length is not None and request.content_length > limit:
        return error_response(413, details={"max_bytes": limit})
    request.max_content_length = limit  # a chunked body is cut off at the same size
    return None


def _front() -> tuple[Response, int] | None:
    """Steps 1-3: metrics, size, credentials (a bad credential is a 401 on any API write)."""
    if request.path == "/metrics":
        return _metrics_guard()
    if request.path in OPEN_PATHS or request.path.startswith("/static/"):
        return None
    refused = _size_guard()
    if refused is not None:
        return refused
    try:
        current_principal()
    except DomainError:
        if request.endpoint not in PUBLIC_WRITES and request.path.startswith("/api/"):
            raise
        # Public routes and web pages deal with a stale credential themselves (the sign-in
        # page must work with an expired cookie; the page shows its own error).
    return None


def _route_checks() -> None:
    """Steps 5-6: the route's tight limit, then whether this caller may call it at all."""
    if request.routing_exception is not None:
        return  # no such route or method: the 404/405 says so, whoever asks
    endpoint = request.endpoint or ""
    tight = TIGHT_LIMITS.get(endpoint)
    if tight is not None and request.method == "POST":
        scope, attribute = tight
        enforce(scope, getattr(settings(), attribute))
    if endpoint in PUBLIC_WRITES or request.path in OPEN_PATHS:
        return
    args = request.view_args or {}
    if endpoint == "proxy.api_forward":
        path = str(args.get("path", ""))
        if _is_service_path(path):  # else the view answers its 404/405
            authorize(current_principal(), request.method, path)
    elif endpoint == "proxy.me_forward":
        if not own_methods():  # else a gateway's own /me path (/me/sign-ins): the view's 405
            resolve_me(current_principal(), request.method, str(args.get("subpath", "")))
    elif request.blueprint in ("accounts", "invitations"):
        ensure("admin")
    elif request.method in UNSAFE and request.path.startswith("/api/"):
        ensure()


def own_methods() -> set[str]:
    """Methods the gateway itself serves at this path (its own routes, not the proxy's)."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    methods = set()
    for method in ROUTED_METHODS:
        try:
            endpoint, _ = adapter.match(request.path, method=method)
        except HTTPException:
            continue
        if not endpoint.startswith("proxy."):
            methods.add(method)
    return methods


def _is_service_path(path: str) -> bool:
    try:
        service_for(path)
    except DomainError:
        return False
    return True


def install_gate(app: Flask, limiter: Limiter) -> None:
    """Run the gate (and flask-limiter's check) right after the request id is set."""
    funcs = app.before_request_funcs.setdefault(None, [])
    limiter_hooks = [f for f in funcs if getattr(f, "__self__", None) is limiter]
    for hook in limiter_hooks:
        funcs.remove(hook)
    names = [getattr(f, "__name__", "") for f in funcs]
    start = names.index("_set_request_id") + 1 if "_set_request_id" in names else 0
    early: list[Any] = [_front, *limiter_hooks, _route_checks]
    funcs[start:start] = early
