"""The registry's app factory: engine, sessions, API, error shape, CLI. Nothing at import.

Extending it: a new resource adds its blueprint to ``api.BLUEPRINTS``; a new command adds one
line to ``cli.register``. The demo data is loaded by its own tool (``python -m yumiao_demo
seed``, tools/demo), not by this package.
"""

from __future__ import annotations

from flask import Flask

from registry import cli
from registry.api import API_PREFIX
from registry.api import register_blueprints
from registry.settings import Settings
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


def create_app(settings: Settings | None = None) -> Flask:
    """Build the registry WSGI app; tests pass ``Settings(database_url=...)``."""
    settings = settings or Settings()
    require_internal_token(settings)
    configure_logging(settings.service_name, settings.log_level, json_format=settings.log_json)
    app = Flask("registry")
    app.config.update(_api_config())
    app.extensions["registry.settings"] = settings
    engine = engine_from_settings(settings)
    app.extensions["registry.engine"] = engine
    init_request_sessions(app, make_session_factory(engine))
    api = make_api(app, protected=settings.internal_token is not None,
                   conflict_on_writes=True, actor_on_writes=True)  # every write is audited
    # After Api(): the shared handlers must replace flask-smorest's own HTTPException handler.
    # Ready = what serving needs: the database at this code's schema. Not the broker: writes
    # go to the outbox, which the relay publishes (a broker outage must not empty the Service).
    configure_app(
        app,
        settings,
        readiness_checks=[("database", database_check(engine)),
                          ("schema", schema_check(engine, "registry"))],
    )
    register_conflict_handlers(app)
    register_blueprints(api)
    cli.register(app)
    return app


def _api_config() -> dict[str, object]:
    return {
        "API_TITLE": "Yumiao registry",
        "API_VERSION": "v1",
        "OPENAPI_URL_PREFIX": API_PREFIX,
        "OPENAPI_JSON_PATH": "openapi.json",
        "API_SPEC_OPTIONS": {
            "info": {"description": "企业培育库登记服务 / Enterprise cultivation registry"},
        },
    }
