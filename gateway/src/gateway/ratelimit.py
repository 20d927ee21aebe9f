"""Rate limits per principal and per client address (flask-limiter; Redis or memory).

Application-wide limits (flask-limiter ``ApplicationLimit``) count every request twice: once
against the caller's principal (``user:curator``, ``enterprise:<uscc>``, …; anonymous callers
by address) and once against the client address, so neither a shared office NAT nor one
leaked token can starve everyone else. Sensitive routes add a tighter per-address limit of
their own through ``enforce`` (sign-in: password guessing; the anonymous eligibility check:
scraping the rules engine), hitting the same storage. Storage is Redis when
``GATEWAY_RATELIMIT_STORAGE_URI`` is set — shared by every worker and replica — else memory
(per process; fine for one machine). Every refusal is a 429 in the shared error shape with
``Retry-After``.
"""

from __future__ import annotations

import math
import time

from flask import Flask
from flask import Response
from flask import current_app
from flask import request
from flask_limiter import ApplicationLimit
from flask_limiter import Limiter
from flask_limiter import RateLimitExceeded
from limits import parse

from gateway.auth import principal_or_none
from gateway.settings import Settings
from yumiao_common.http_errors import DomainError
from yumiao_common.http_errors import error_response
from yumiao_common.web import OPEN_PATHS

TOO_MANY = "请求过于频繁，请稍后再试 / Too many requests, please retry later"


class RateLimited(DomainError):
    status, code = 429, "rate_limited"

    def __init__(self, retry_after: int, limit: str) -> None:
        super().__init__(TOO_MANY, details={"limit": limit, "retry_after_seconds": retry_after})
        self.retry_after = retry_after


def address_key() -> str:
    return request.remote_addr or "unknown"


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
        storage_uri=cfg.ratelimit_storage_uri or "memory://",
        strategy="fixed-window",
        headers_enabled=True,
        enabled=cfg.ratelimit_enabled,
        key_prefix="yumiao-gw",
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


def enforce(scope: str, limit: str) -> None:
    """Count this request against ``limit`` for its client address; 429 when exhausted."""
    limiter: Limiter = current_app.extensions["gateway.limiter"]
    if not limiter.enabled:
        return
    item = parse(limit)
    key = address_key()
    strategy = limiter.limiter
    if not strategy.hit(item, "yumiao-gw", scope, key):
        reset = strategy.get_window_stats(item, "yumiao-gw", scope, key).reset_time
        raise RateLimited(max(1, math.ceil(reset - time.time())), limit)
