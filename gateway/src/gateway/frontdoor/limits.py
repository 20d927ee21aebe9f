"""Application-wide rate limits (flask-limiter): per principal and per client address.

Every request counts twice: once against the caller's principal (``user:curator``,
``enterprise:<uscc>``, …; anonymous callers by address) and once against the client address,
so neither a shared office NAT nor one leaked token can starve everyone else. The tighter
per-route and per-account counters are ``gateway.adapters.ratelimit``; ``gateway.frontdoor.gate``
runs these checks before any body is read.

The principal key needs the request's credentials, so this lives in the HTTP layer (beside
``gateway.frontdoor.credentials``) and not with the storage counters, which the sign-in use cases
use too. The client address is ``request.remote_addr``: behind
``GATEWAY_TRUSTED_PROXY_COUNT`` reverse proxies the app factory wraps the app in werkzeug's
``ProxyFix`` (``x_for=N``), so it is the address the outermost trusted proxy saw, not the
ingress pod's. Every refusal is a 429 in the shared error shape with ``Retry-After``.
"""

from __future__ import annotations

from flask import Flask
from flask import Response
from flask import request
from flask_limiter import ApplicationLimit
from flask_limiter import Limiter
from flask_limiter import RateLimitExceeded

from gateway.adapters.ratelimit import TOO_MANY
from gateway.adapters.ratelimit import RateLimited
from gateway.adapters.ratelimit import address_key
from gateway.frontdoor.credentials import principal_or_none
from gateway.settings import Settings
from yumiao_common.web.errors import error_response
from yumiao_common.web.wiring import OPEN_PATHS


def principal_key() -> str:
    principal = principal_or_none()
    if principal is not None and principal.is_authenticated:
        return principal.actor
    return "addr:" + address_key()


def _exempt() -> bool:
    return request.path in OPEN_PATHS or request.path.startswith("/static/")


def init_ratelimit(app: Flask, cfg: Settings) -> Limiter:
    limiter = Limiter(
        address_key,
        app=app,
        application_limits=[
            ApplicationLimit(cfg.ratelimit_per_principal, key_function=principal_key,
                             scope="principal", exempt_when=_exempt),
            ApplicationLimit(cfg.ratelimit_per_address, key_function=address_key,
                             scope="address", exempt_when=_exempt),
        ],
        storage_uri=cfg.ratelimit_storage,
        strategy="fixed-window",
        headers_enabled=True,
        enabled=cfg.ratelimit_enabled,
        key_prefix=cfg.ratelimit_key_prefix,
        # Redis down: count in this process's memory until it answers again, rather than
        # failing every request (or letting every request through).
        in_memory_fallback_enabled=True,
    )
    app.extensions["gateway.limiter"] = limiter

    @app.errorhandler(RateLimitExceeded)
    def _breach(exc: RateLimitExceeded) -> tuple[Response, int]:
        resp, status = error_response(429, code="rate_limited", message=TOO_MANY,
                                      details={"limit": str(exc.limit.limit)})
        return resp, status  # Retry-After is added by the limiter's header injection

    @app.errorhandler(RateLimited)
    def _route_breach(exc: RateLimited) -> tuple[Response, int]:
        resp, status = error_response(429, code=exc.code, message=exc.message,
                                      details=exc.details)
        resp.headers["Retry-After"] = str(exc.retry_after)
        return resp, status

    return limiter


