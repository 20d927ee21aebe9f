"""Rate-limit counters in flask-limiter's storage (Redis when configured, else memory).

The limiter itself is set up by ``gateway.frontdoor.limits`` (the application-wide limits per
principal and per address); this module counts what the front door and the use cases ask for
on top: a route's tight per-address limit (``enforce``: sign-in, password change, the
anonymous self-check) and failed password checks per account (``account_allows`` /
``count_failure``), so guessing one account's password from many addresses is bounded too.
``enforce`` counts a scope once per request however often it is called. Storage is Redis when
``GATEWAY_REDIS_URL`` (or ``GATEWAY_RATELIMIT_STORAGE_URI``) is set — shared by every worker
and replica; while Redis does not answer each process counts in memory — else memory (per
process). Every refusal is ``RateLimited``: a 429 in the shared error shape with
``Retry-After``.
"""

from __future__ import annotations

import math
import time

from flask import current_app
from flask import g
from flask import request
from flask_limiter import Limiter
from limits import RateLimitItem
from limits import parse

from yumiao_common.web.errors import DomainError

TOO_MANY = "请求过于频繁，请稍后再试 / Too many requests, please retry later"


class RateLimited(DomainError):
    status, code = 429, "rate_limited"

    def __init__(self, retry_after: int, limit: str) -> None:
        super().__init__(TOO_MANY, details={"limit": limit, "retry_after_seconds": retry_after})
        self.retry_after = retry_after


def address_key() -> str:
    """The client address (behind trusted proxies, the one the outermost proxy saw)."""
    return request.remote_addr or "unknown"


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
