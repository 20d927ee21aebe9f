"""Wiring every Yumiao Flask app shares: request ids, errors, limits, health and metrics.

``configure_app`` is called by each service's ``create_app``. It gives every service the same
``/healthz`` (alive), ``/readyz`` (able to serve), ``/metrics`` (Prometheus), the same
error shape, the same request-id propagation and — for internal services — the check that a
call really comes from the gateway (``X-Internal-Token``, compared in constant time).
"""

from __future__ import annotations

import hmac
import json
import os
import re
import time
import uuid
from collections.abc import Callable
from collections.abc import Iterable

from flask import Flask
from flask import Response
from flask import g
from flask import jsonify
from flask import request
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client import CollectorRegistry
from prometheus_client import Counter
from prometheus_client import Histogram
from prometheus_client import generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import Engine
from sqlalchemy import text

from yumiao_common.db.schema_gate import CodeRevisions
from yumiao_common.db.schema_gate import migrations_dir
from yumiao_common.logging import request_id_var
from yumiao_common.observability.gunicorn_metrics import ENV as MULTIPROC_ENV
from yumiao_common.settings import ServiceSettings
from yumiao_common.web.errors import ValidationFailed
from yumiao_common.web.errors import error_response
from yumiao_common.web.errors import register_error_handlers

ReadinessCheck = Callable[[], None]
OPEN_PATHS = ("/healthz", "/readyz", "/metrics")
REQUEST_ID_HEADER = "X-Request-ID"
ACTOR_HEADER = "X-Actor"
INTERNAL_TOKEN_HEADER = "X-Internal-Token"
ACTOR_REQUIRED = ("须提供操作人（请求头 X-Actor，非空） / "
                  "The acting user is required (header X-Actor, not blank)")


def configure_app(
    app: Flask,
    settings: ServiceSettings,
    *,
    readiness_checks: Iterable[tuple[str, ReadinessCheck]] = (),
    open_prefixes: tuple[str, ...] = (),
) -> None:
    """Apply the shared wiring; ``open_prefixes`` are paths reachable without the internal token."""
    app.config["MAX_CONTENT_LENGTH"] = settings.max_content_length
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    register_error_handlers(app)
    _install_request_id(app)
    _install_body_limit(app, settings.max_content_length, settings.json_max_content_length)
    _install_internal_token(app, settings, OPEN_PATHS + open_prefixes)  # before any body is read
    _install_nul_guard(app)
    _install_json_guard(app)
    _install_metrics(app, settings.service_name)
    _install_health(app, list(readiness_checks))


class MissingInternalToken(RuntimeError):
    """An internal service was configured without the gateway's shared token."""


def require_internal_token(settings: ServiceSettings) -> None:
    """Refuse to start an internal service that anyone could call directly.

    Without ``internal_token`` every route would be open to whoever reaches the port, so only
    an explicit ``demo_mode`` (one machine, tests) may run without it.
    """
    token = settings.internal_token
    if (token is None or not token.get_secret_value()) and not settings.demo_mode:
        prefix = str(settings.model_config.get("env_prefix", ""))
        raise MissingInternalToken(
            f"{settings.service_name}: 未设置内部令牌 {prefix}INTERNAL_TOKEN，拒绝启动 / "
            f"refusing to start without an internal token: set {prefix}INTERNAL_TOKEN "
            f"(the gateway's X-Internal-Token secret), or {prefix}DEMO_MODE=true for a demo")


class NotReady(Exception):
    """A readiness check's answer when the dependency is reachable but not usable; the message
    (a reason, no secrets) is shown in ``/readyz``. Any other exception shows only its type."""


def database_check(engine: Engine) -> ReadinessCheck:
    """The process's own database answers (what every web process needs to serve).

    Web processes check only what serving needs: never the broker (they write events to the
    outbox, so a broker outage must not take every pod out of its Service).
    """

    def check() -> None:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    return check


def schema_check(engine: Engine, service: str) -> ReadinessCheck:
    """The database is at this code's migration head (or ahead: expand → contract allows it).

    A pod whose database is older than its code would fail on its first query of a new column,
    so it is not ready until the migration has run; the reason names both revisions. The
    migrations directory is read on the first probe and kept (it cannot change under us).
    """
    revisions: list[CodeRevisions] = []

    def check() -> None:
        if not revisions:
            revisions.append(CodeRevisions.read(migrations_dir(service)))
        with engine.connect() as conn:
            state = revisions[0].state_of(conn)
        if not state.ready:
            raise NotReady(state.describe())

    return check


def current_actor() -> str:
    """The acting principal the gateway propagated, or ``anonymous`` (for reads only)."""
    return request.headers.get(ACTOR_HEADER, "anonymous")[:200]


def required_actor() -> str:
    """Who performs this audited write: ``X-Actor``, or a 422 naming the header.

    One answer in every service. A 422 rather than a 403: the internal token already proved
    the caller is the gateway, so a missing or blank header is a malformed request, not a
    refusal of rights; and it matches the header being documented as a required parameter.
    """
    actor = request.headers.get(ACTOR_HEADER, "").strip()[:200]
    if not actor or actor == "anonymous":
        raise ValidationFailed(ACTOR_REQUIRED, code="actor_required",
                               fields={ACTOR_HEADER: [ACTOR_REQUIRED]})
    return actor


def _install_request_id(app: Flask) -> None:
    @app.before_request
    def _set_request_id() -> None:
        rid = request.headers.get(REQUEST_ID_HEADER, "")[:128] or uuid.uuid4().hex
        g.request_id = rid
        g.request_started = time.perf_counter()
        g.request_id_token = request_id_var.set(rid)

    @app.after_request
    def _echo_request_id(response: Response) -> Response:
        rid = g.get("request_id")
        if rid:
            response.headers[REQUEST_ID_HEADER] = rid
        return response

    @app.teardown_request
    def _reset(_exc: BaseException | None) -> None:
        token = g.pop("request_id_token", None)
        if token is not None:
            request_id_var.reset(token)


def _install_body_limit(app: Flask, limit: int, json_limit: int) -> None:
    """Refuse an oversized body up front, even on routes that never read it; JSON bodies have
    the smaller ``json_limit`` (uploads keep ``limit``)."""

    @app.before_request
    def _check_length() -> tuple[Response, int] | None:
        allowed = min(limit, json_limit) if request.is_json else limit
        if request.content_length is not None and request.content_length > allowed:
            return error_response(413, details={"max_bytes": allowed})
        if request.is_json:
            request.max_content_length = allowed  # a chunked body is cut off at the same size
        return None


NUL_REASON = "不允许包含空字符（NUL） / NUL characters are not allowed"


def _has_nul(text: str) -> bool:
    return "\x00" in text


def _has_lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _nul_paths(value: object, path: str = "", bad: Callable[[str], bool] = _has_nul
               ) -> list[str]:
    """Paths of the JSON strings (keys included) that are ``bad`` (by default: carry a NUL)."""
    if isinstance(value, str):
        return [path or "_body"] if bad(value) else []
    if isinstance(value, dict):
        found: list[str] = []
        for key, item in value.items():
            sub = f"{path}.{key}" if path else str(key)
            found += [sub] if bad(str(key)) else _nul_paths(item, sub, bad)
        return found
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _nul_paths(item, f"{path}.{i}", bad)]
    return []


def _install_nul_guard(app: Flask) -> None:
    """Refuse NUL characters anywhere in a request with a 422 naming where they are.

    PostgreSQL cannot store NUL in text, so one would otherwise surface as a 500 deep in a
    handler; no service has a use for them. JSON bodies are parsed only when the escaped form
    appears in the raw bytes, so ordinary requests pay one substring search. Form bodies are
    left alone (reading them here would consume uploads the gateway forwards whole); the
    services behind the gateway receive JSON and check it themselves.
    """

    @app.before_request
    def _refuse_nul() -> tuple[Response, int] | None:
        fields: dict[str, list[str]] = {}
        if "\x00" in request.path:
            fields["_path"] = [NUL_REASON]
        fields.update({f"query.{k}": [NUL_REASON] for k, v in request.args.items(multi=True)
                       if "\x00" in k or "\x00" in v})
        if request.is_json and b"\\u0000" in request.get_data(cache=True):
            body = request.get_json(silent=True, cache=True)
            fields.update({p: [NUL_REASON] for p in _nul_paths(body)})
        if fields:
            return error_response(422, fields=fields)
        return None


SURROGATE_REASON = ("不允许包含无效的 Unicode 字符（未配对的代理项） / "
                    "unpaired UTF-16 surrogates are not allowed (not valid Unicode text)")
NESTING_REASON = ("JSON 嵌套层数过多，或数字超过 4,000 位 / "
                  "JSON nested too deeply or a number longer than 4,000 digits")
#: Python's JSON decoder recurses once per level (RecursionError near 1,000 levels) and
#: refuses integers of more than 4,300 digits with a bare ValueError: webargs lets both
#: through as 500s. A body with fewer brackets than this cannot nest that deep.
_BRACKETS_TO_CHECK = 500
_LONG_NUMBER = re.compile(rb"(?<![0-9])[0-9]{4000}")  # starts only where a run starts: linear
_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")


def _install_json_guard(app: Flask) -> None:
    """Refuse JSON the services' parsers would turn into a 500, with a 4xx naming why.

    Runs after the internal-token check. Ordinary bodies pay two byte counts and two linear
    scans; only a body that could nest deeply, holds a very long number or an escaped
    surrogate is parsed here once more.
    """

    @app.before_request
    def _refuse_unparseable() -> tuple[Response, int] | None:
        if not request.is_json:
            return None
        data = request.get_data(cache=True)
        deep = data.count(b"[") + data.count(b"{") >= _BRACKETS_TO_CHECK
        if deep or _LONG_NUMBER.search(data):
            try:
                json.loads(data)
            except (RecursionError, ValueError):
                return error_response(400, fields={"_schema": [NESTING_REASON]})
        if _ESCAPED_SURROGATE.search(data):
            body = request.get_json(silent=True, cache=True)
            paths = _nul_paths(body, bad=_has_lone_surrogate)
            if paths:
                return error_response(422, fields={p: [SURROGATE_REASON] for p in paths})
        return None


def _install_internal_token(
    app: Flask, settings: ServiceSettings, open_paths: tuple[str, ...]
) -> None:
    if settings.internal_token is None:
        return
    expected = settings.internal_token.get_secret_value().encode()

    @app.before_request
    def _require_gateway() -> tuple[Response, int] | None:
        if request.path.startswith(open_paths):
            return None
        presented = request.headers.get(INTERNAL_TOKEN_HEADER, "").encode()
        if not hmac.compare_digest(presented, expected):
            return error_response(
                401,
                code="internal_token_required",
                message="仅接受经网关的调用 / Only calls through the gateway are accepted",
            )
        return None


def _install_metrics(app: Flask, service: str) -> None:
    registry = CollectorRegistry()
    requests_total = Counter(
        "http_requests_total", "HTTP requests", ["service", "method", "endpoint", "status"],
        registry=registry,
    )
    latency = Histogram(
        "http_request_duration_seconds", "HTTP request latency", ["service", "endpoint"],
        registry=registry,
    )
    app.extensions["yumiao.metrics_registry"] = registry

    @app.after_request
    def _observe(response: Response) -> Response:
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        requests_total.labels(service, request.method, endpoint, response.status_code).inc()
        started = g.get("request_started")
        if started is not None:
            latency.labels(service, endpoint).observe(time.perf_counter() - started)
        return response

    @app.get("/metrics")
    def metrics() -> Response:
        return Response(generate_latest(_scraped(registry)), mimetype=CONTENT_TYPE_LATEST)


def _scraped(registry: CollectorRegistry) -> CollectorRegistry:
    """Under gunicorn (``PROMETHEUS_MULTIPROC_DIR``, set by its ``on_starting`` hook) the sum of
    every worker's samples, whichever worker answers; otherwise this app's own registry."""
    if not os.environ.get(MULTIPROC_ENV):
        return registry
    merged = CollectorRegistry()
    MultiProcessCollector(merged)
    return merged


def _install_health(app: Flask, checks: list[tuple[str, ReadinessCheck]]) -> None:
    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify(status="ok")

    @app.get("/readyz")
    def readyz() -> tuple[Response, int]:
        results: dict[str, str] = {}
        for name, check in checks:
            try:
                check()
                results[name] = "ok"
            except NotReady as exc:
                results[name] = f"not ready: {exc}"
            except Exception as exc:  # noqa: BLE001 - readiness reports any failure
                results[name] = f"error: {type(exc).__name__}"
        ready = all(v == "ok" for v in results.values())
        return jsonify(status="ready" if ready else "not_ready", checks=results), (
            200 if ready else 503
        )
