"""The scoring HTTP app factory (gunicorn: ``scoring.app:create_app()``, port 8002).

Nothing happens at import: the factory builds the engine, the per-request sessions, the
parameter-override cache, the flask-smorest ``Api`` (OpenAPI at ``/api/v1/openapi.json``) and
the CLI commands. The shared wiring (error shape, request ids, internal token, health, metrics)
is applied after ``Api`` so the one error shape wins over flask-smorest's own handler.
"""

from __future__ import annotations

from flask import Flask

from scoring.adapters.sql.overrides import OverrideCache
from scoring.api import register_blueprints
from scoring.cli import register_cli
from scoring.settings import Settings
from yumiao_common.db.engine import engine_from_settings
from yumiao_common.db.engine import init_request_sessions
from yumiao_common.db.engine import make_session_factory
from yumiao_common.logging import configure_logging
from yumiao_common.web.concurrency import register_conflict_handlers
from yumiao_common.web.openapi import make_api
from yumiao_common.web.wiring import configure_app
from yumiao_common.web.wiring import database_check
from yumiao_common.web.wiring import require_internal_token
from yumiao_common.web.wiring import schema_check

API_CONFIG = {
    "API_TITLE": "育苗 Yumiao scoring",
    "API_VERSION": "v1",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
}


def create_app(settings: Settings | None = None) -> Flask:
    """Build the scoring app; tests pass ``Settings(database_url=...)``."""
    settings = settings or Settings()
    require_internal_token(settings)
    configure_logging(settings.service_name, settings.log_level, json_format=settings.log_json)
    app = Flask("scoring")
    app.config.update(API_CONFIG)
    engine = engine_from_settings(settings)
    factory = make_session_factory(engine)
    init_request_sessions(app, factory)
    app.extensions.update({
        "scoring.settings": settings,
        "scoring.engine": engine,
        "scoring.session_factory": factory,
        "scoring.overrides": OverrideCache(factory, settings.parameter_cache_seconds),
    })
    register_blueprints(make_api(app, protected=settings.internal_token is not None))
    # Database only (at this code's schema): the HTTP API works without the broker (the relay
    # and consumer need it).
    configure_app(app, settings, readiness_checks=[("database", database_check(engine)),
                                                   ("schema", schema_check(engine, "scoring"))])
    register_conflict_handlers(app)
    register_cli(app)
    return app
