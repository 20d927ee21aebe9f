"""notify's app factory: engine, sessions, API, error shape, CLI. Nothing at import.

Templates are validated here: a broken template file stops the app (and the workers, which
build the same ``TemplateSet``) before any enterprise could receive garbage.
"""

from __future__ import annotations

from flask import Flask

from notify import cli
from notify.api import register_blueprints
from notify.domain.templates import TemplateSet
from notify.settings import Settings
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


class TemplateProblem(RuntimeError):
    """A template file does not render; refuse to start."""


def load_templates() -> TemplateSet:
    templates = TemplateSet()
    problems = templates.validate_all()
    if problems:
        raise TemplateProblem("; ".join(problems))
    return templates


def create_app(settings: Settings | None = None) -> Flask:
    """Build the notify WSGI app; tests pass ``Settings(database_url=...)``."""
    settings = settings or Settings()
    require_internal_token(settings)
    configure_logging(settings.service_name, settings.log_level, json_format=settings.log_json)
    app = Flask("notify")
    app.config.update(_api_config())
    app.extensions["notify.settings"] = settings
    app.extensions["notify.templates"] = load_templates()
    engine = engine_from_settings(settings)
    app.extensions["notify.engine"] = engine
    init_request_sessions(app, make_session_factory(engine))
    # The real error shape and statuses (yumiao_common.web.openapi); every write may race (409).
    api = make_api(app, conflict_on_writes=True)
    # After Api(): the shared handlers must replace flask-smorest's own HTTPException handler.
    # Ready = the database answers, at this code's schema. Not the broker: the web writes
    # to the outbox, so a broker outage (what the outbox absorbs) must not take notify out of
    # its Service.
    configure_app(app, settings, readiness_checks=[("database", database_check(engine)),
                                                   ("schema", schema_check(engine, "notify"))])
    register_conflict_handlers(app)
    register_blueprints(api)
    cli.register(app)
    return app


def _api_config() -> dict[str, object]:
    return {
        "API_TITLE": "Yumiao notify",
        "API_VERSION": "v1",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "API_SPEC_OPTIONS": {"info": {"description": "政策通知服务 / Policy notices"}},
    }
