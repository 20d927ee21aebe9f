"""The gateway's app factory: accounts, auth, tenancy, rate limits, proxy, OpenAPI.

Order matters in four places: flask-smorest's ``Api`` is created before ``configure_app``
so the shared error shape replaces smorest's own; the catch-all proxy blueprint is registered
last so the gateway's own routes win; ``configure_app`` gets the settings *without* the
internal token, because the gateway sends that token and must not demand it of browsers; and
``install_gate`` runs last, moving the gate's checks (metrics, body size, credentials, rate
limits, access) in front of every other before-request hook, so nothing reads a body first.
Behind ``GATEWAY_TRUSTED_PROXY_COUNT`` proxies, werkzeug's ``ProxyFix`` makes the client
address the one the outermost trusted proxy saw (every per-address limit keys on it).

Every blueprint — the gateway's own API, the web pages (``gateway.web``), the docs, the
internal hop and the catch-all proxy — is registered by ``gateway.api.register_blueprints``;
the web pages reuse ``gateway.frontdoor.credentials`` (session cookie, CSRF, ``ensure``) and the
upstream clients (``gateway.adapters.http``).
"""

from __future__ import annotations

from flask import Flask
from flask import Response
from werkzeug.middleware.proxy_fix import ProxyFix

from gateway.adapters import password_hashing
from gateway.adapters.http import build_clients
from gateway.api import register_blueprints
from gateway.cli import register_cli
from gateway.frontdoor.credentials import init_auth
from gateway.frontdoor.gate import install_gate
from gateway.frontdoor.limits import init_ratelimit
from gateway.settings import Settings
from yumiao_common.db.engine import engine_from_settings
from yumiao_common.db.engine import init_request_sessions
from yumiao_common.db.engine import make_session_factory
from yumiao_common.logging import configure_logging
from yumiao_common.web.errors import error_response
from yumiao_common.web.openapi import make_api
from yumiao_common.web.wiring import configure_app
from yumiao_common.web.wiring import database_check
from yumiao_common.web.wiring import schema_check


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings()
    configure_logging(settings.service_name, settings.log_level, json_format=settings.log_json)
    password_hashing.configure(time_cost=settings.argon2_time_cost,
                               memory_kib=settings.argon2_memory_kib,
                               parallelism=settings.argon2_parallelism,
                               max_concurrent=settings.argon2_max_concurrent,
                               wait_seconds=settings.argon2_wait_seconds)
    app = Flask(__name__)
    app.config.update(API_TITLE="Yumiao gateway", API_VERSION="v1", OPENAPI_VERSION="3.0.3",
                      OPENAPI_URL_PREFIX=None)
    engine = engine_from_settings(settings)
    init_request_sessions(app, make_session_factory(engine))
    app.extensions["gateway.engine"] = engine
    init_auth(app, settings)
    app.extensions["gateway.clients"] = build_clients(settings)
    # The real error shape and statuses in the gateway's own document too (no internal token).
    api = make_api(app, protected=False, conflict_on_writes=True)
    app.extensions["gateway.api"] = api
    configure_app(app, settings.model_copy(update={"internal_token": None}),
                  readiness_checks=[("database", database_check(engine)),
                                    ("schema", schema_check(engine, "gateway"))])
    limiter = init_ratelimit(app, settings)
    register_blueprints(app, api)
    register_cli(app)
    install_gate(app, limiter)
    _init_busy_handler(app)
    if settings.trusted_proxy_count:
        n = settings.trusted_proxy_count
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)  # type: ignore[method-assign]
    return app


def _init_busy_handler(app: Flask) -> None:
    @app.errorhandler(password_hashing.PasswordCheckBusy)
    def _busy(exc: password_hashing.PasswordCheckBusy) -> tuple[Response, int]:
        resp, status = error_response(exc.status, code=exc.code, message=exc.message,
                                      details=exc.details)
        resp.headers["Retry-After"] = str(exc.retry_after)
        return resp, status
