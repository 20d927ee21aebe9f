"""Rate limits per principal, per client address and per account (flask-limiter; Redis or memory).

Application-wide limits (flask-limiter ``ApplicationLimit``) count every request twice: once
against the caller's principal (``user:curator``, ``enterprise:<uscc>``, …; anonymous callers
by address) and once against the client address, so neither a shared office NAT nor one
leaked token can starve everyone else. Sensitive routes add a tighter per-address limit of
their own through ``enforce`` (sign-in and password change: password guessing; the anonymous
eligibility check: scraping the rules engine), and failed password checks are also counted per
account (``account_allows`` / ``count_failure``), so guessing one account's password from many
addresses is bounded too. ``gateway.gate`` applies the per-address limits before any body is
read; ``enforce`` counts a scope once per request however often it is called.

The client address is ``request.remote_addr``: behind ``GATEWAY_TRUSTED_PROXY_COUNT`` reverse
proxies the app factory wraps the app in werkzeug's ``ProxyFix`` (``x_for=N``), so it is the
address the outermost trusted proxy saw, not the ingress pod's. Storage is Redis when
``GATEWAY_REDIS_URL`` (or ``GATEWAY_RATELIMIT_STORAGE_URI``) is set — shared by every worker
and replica; docker-compose and k8s set it; while Redis does not answer each process counts
in memory — else memory (per process: the embedded default for one machine). Every refusal
is a 429 in the shared error shape with ``Retry-After``.
"""

from __future__ import annotations

import math
import time

from flask import Flask
from flask import Response
from flask import current_app
from flask import g
from flask import request
from flask_limiter import ApplicationLimit
from flask_limiter import Limiter
from flask_limiter import RateLimitExceeded
from limits import RateLimitItem
from limits import parse

from gateway.settings import Settings
from yumiao_common.web.errors import DomainError
from yumiao_common.web.errors import error_response
from yumiao_common.web.wiring import OPEN_PATHS

TOO_MANY = "请求过于频繁，请稍后再试 / Too many requests, please retry later"


class RateLimited(DomainError):
    status, code = 429, "rate_limited"

    def __init__(self, retry_after: int, limit: str) -> None:
        super().__init__(TOO_MANY, details={"limit": limit, "retry_after_seconds": retry_after})
        self.retry_after = retry_after


def address_key() -> str:
    return request.remote_addr or "unknown"


def principal_key() -> str:
    from gateway.auth import principal_or_none  # auth → handlers → ratelimit: import late

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


def _limiter() -> Limiter | None:
    limiter: Limiter = current_app.extensions["gateway.limiter"]
    return limiter if limiter.enabled else None


def _prefix() -> str:
    return str(current_app.extensions["gateway.settings"].ratelimit_key_prefix)


def _refuse(limiter: Limiter, item: RateLimitItem, scope: str, key: str, limit: str) -> None:
    reset = limiter.limiter.get_window_stats(item, _prefix(), scope, key).reset_time
    raise RateLimited(max(1, math.ceil(reset - time.time())), limit)


def enforce(scope: str, limit: str) -> None:
    """Count this request against ``limit`` for its client address; 429 when exhausted.

    Counted once per request and scope: the gate and the view may both ask.
    """
    limiter = _limiter()
    counted: set[str] = g.setdefault("ratelimit_scopes", set())
    if limiter is None or scope in counted:
        return
    counted.add(scope)
    item = parse(limit)
    key = address_key()
    if not limiter.limiter.hit(item, _prefix(), scope, key):
        _refuse(limiter, item, scope, key, limit)


def _account_key(account: str) -> str:
    return "acct:" + account.strip().casefold()


def account_allows(scope: str, limit: str, account: str) -> None:
    """429 when ``account`` has used up its failed attempts for ``scope`` (nothing counted)."""
    limiter = _limiter()
    if limiter is None:
        return
    item, key = parse(limit), _account_key(account)
    if not limiter.limiter.test(item, _prefix(), scope, key):
        _refuse(limiter, item, scope, key, limit)


def count_failure(scope: str, limit: str, account: str) -> None:
    """Count one failed password check of ``account`` for ``scope``."""
    limiter = _limiter()
    if limiter is not None:
        limiter.limiter.hit(parse(limit), _prefix(), scope, _account_key(account))
