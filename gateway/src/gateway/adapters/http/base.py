"""One pooled keep-alive ``requests.Session`` per upstream, with timeouts and safe retries.

Why this shape:
* One session per service per process: its urllib3 pool keeps connections alive across
  requests and threads (a new TCP connection per call halves throughput on this machine).
* Always a (connect, read) timeout: a stuck upstream must become a 504, not a stuck worker.
* Retries only where repeating cannot change anything: connection failures (the request was
  never sent) for every method; read failures and 502/503/504 only for idempotent methods. A
  POST is never sent again once it timed out, even one the caller marks idempotent (a what-if
  stores nothing, but a what-if that timed out is one that costs the service the most: a retry
  only doubles the damage); those may be retried only on a 502/503 answer.
* No cookie jar and no proxy discovery from the environment: the session is shared by every
  user's requests, so nothing of one response may leak into the next call.
* Every call carries X-Request-ID, X-Actor and X-Internal-Token; failures become the shared
  error shape (502 bad gateway, 503 unavailable, 504 timeout) naming the service.
"""

from __future__ import annotations

import http.cookiejar
import logging
from collections.abc import Mapping
from typing import Any

import requests
from flask import g
from flask import has_request_context
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

from yumiao_common.web.errors import DomainError
from yumiao_common.web.pagination import MAX_LIMIT
from yumiao_common.web.wiring import ACTOR_HEADER
from yumiao_common.web.wiring import INTERNAL_TOKEN_HEADER
from yumiao_common.web.wiring import REQUEST_ID_HEADER

log = logging.getLogger(__name__)
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


class UpstreamError(DomainError):
    status, code = 502, "bad_gateway"


class UpstreamUnavailable(DomainError):
    status, code = 503, "upstream_unavailable"


class UpstreamTimeout(DomainError):
    status, code = 504, "upstream_timeout"


def _retry_policy(methods: frozenset[str], *, after_timeout: bool) -> Retry:
    """urllib3's policy; ``after_timeout`` allows one retry of a request whose answer timed out."""
    return Retry(
        total=2, connect=2, read=1 if after_timeout else 0, status=1, other=0,
        backoff_factor=0.05, allowed_methods=methods,
        status_forcelist=(502, 503, 504) if after_timeout else (502, 503),
        raise_on_status=False, respect_retry_after_header=False,
    )


def make_session(pool_size: int, retry_methods: frozenset[str], *, after_timeout: bool = True
                 ) -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    adapter = HTTPAdapter(pool_connections=1, pool_maxsize=pool_size,
                          max_retries=_retry_policy(retry_methods, after_timeout=after_timeout))
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class ServiceClient:
    """Base of the typed clients; ``service`` names the upstream in errors and logs."""

    service = "upstream"

    def __init__(
        self, base_url: str, *, internal_token: str | None, connect_timeout: float = 2.0,
        read_timeout: float = 15.0, pool_size: int = 32,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = (connect_timeout, read_timeout)
        self._token = internal_token
        self._session = make_session(pool_size, IDEMPOTENT)
        # POSTs the caller declares idempotent may be retried on a 502/503, never after a timeout.
        self._idempotent_post = make_session(pool_size, IDEMPOTENT | {"POST"}, after_timeout=False)

    def close(self) -> None:
        self._session.close()
        self._idempotent_post.close()

    def headers(self, extra: Mapping[str, str] | None = None, actor: str | None = None
                ) -> dict[str, str]:
        headers = dict(extra or {})
        if self._token:
            headers[INTERNAL_TOKEN_HEADER] = self._token
        if has_request_context():
            rid = g.get("request_id")
            if rid:
                headers[REQUEST_ID_HEADER] = rid
            principal = g.get("principal")
            if actor is None and principal is not None:
                actor = principal.actor
        headers[ACTOR_HEADER] = actor or "system:gateway"
        return headers

    def request(
        self, method: str, path: str, *, params: Any = None, json: Any = None,
        data: bytes | None = None, headers: Mapping[str, str] | None = None,
        actor: str | None = None, timeout: float | None = None, idempotent: bool = False,
        stream: bool = False,
    ) -> requests.Response:
        """Call ``<base_url><path>``; transport failures raise 502/503/504 domain errors.
        ``stream``: the body is read only when asked for (the caller closes the response)."""
        session = self._idempotent_post if idempotent else self._session
        read_timeout = timeout or self.timeout[1]
        try:
            return session.request(
                method, self.base_url + path, params=params, json=json, data=data,
                headers=self.headers(headers, actor), timeout=(self.timeout[0], read_timeout),
                allow_redirects=False, stream=stream,
            )
        except requests.Timeout as exc:
            raise self._error(UpstreamTimeout, "上游服务超时 / timed out", exc) from exc
        except requests.ConnectionError as exc:
            if _timed_out_after_retry(exc):
                raise self._error(UpstreamTimeout, "上游服务超时 / timed out", exc) from exc
            raise self._error(UpstreamUnavailable, "上游服务不可用 / unavailable", exc) from exc
        except requests.RequestException as exc:
            raise self._error(UpstreamError, "上游服务错误 / failed", exc) from exc

    def _error(self, kind: type[DomainError], what: str, exc: Exception) -> DomainError:
        log.warning("upstream %s failed: %s", self.service, type(exc).__name__)
        zh, en = what.split(" / ")
        return kind(f"{self.service} {zh} / {self.service} {en}",
                    details={"service": self.service})

    def json_or_raise(self, response: requests.Response) -> Any:
        """The JSON body of a 2xx, else the upstream's error (its shape kept) as a DomainError."""
        if response.ok:
            return response.json()
        raise upstream_domain_error(self.service, response)

    def every_item(self, path: str, params: Mapping[str, Any] | None = None,
                   *, actor: str | None = None) -> list[Any]:
        """Every item of a list in the shared pagination dialect, following ``next_cursor``
        with the largest page, for a caller that truly needs them all (a form's choices, a
        timeline). A screen that shows a list pages it instead, with a "more" link."""
        query: dict[str, Any] = {**(params or {}), "limit": MAX_LIMIT}
        items: list[Any] = []
        while True:
            body = self.json_or_raise(self.request("GET", path, params=query, actor=actor))
            if not isinstance(body, dict) or not isinstance(body.get("items"), list):
                raise UpstreamError(f"{self.service} 返回的不是分页列表 / {self.service} "
                                    "answered something that is not a page of a list",
                                    details={"service": self.service, "path": path})
            items.extend(body["items"])
            if not body.get("next_cursor"):
                return items
            query["cursor"] = body["next_cursor"]

    def healthz(self) -> requests.Response:
        return self.request("GET", "/healthz")


def _timed_out_after_retry(exc: requests.ConnectionError) -> bool:
    """requests reports "retries exhausted by read timeouts" as a ConnectionError."""
    reason = getattr(exc.args[0] if exc.args else None, "reason", None)
    return isinstance(reason, ReadTimeoutError)


def upstream_domain_error(service: str, response: requests.Response) -> DomainError:
    """Re-raise an upstream error in the shared shape (4xx kept, anything else a 502)."""
    try:
        body = response.json().get("error", {})
    except ValueError:
        body = {}
    status = response.status_code
    if 400 <= status < 500 and isinstance(body, dict) and body.get("code"):
        err = DomainError(body.get("message"), fields=body.get("fields"),
                          details=body.get("details"), code=body["code"])
        err.status = status
        return err
    return UpstreamError(f"{service} 返回错误 / {service} failed",
                         details={"service": service, "upstream_status": status})
