"""registry, scoring and notify built side by side as ``make up`` builds them, for tests.

Each service gets its own migrated SQLite file and demands the given internal token, so a test
that needs the real services together (the gateway in front of them, a guard applied in all
three) builds them one way instead of each copying the migrations and settings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alembic import command
from flask import Flask
from pydantic import SecretStr

SERVICES = ("registry", "scoring", "notify")


def migrated_service_apps(make_sqlite_url: Callable[[str], str], *, prefix: str, token: str,
                          log_level: str = "WARNING") -> dict[str, Flask]:
    """``{"registry": app, "scoring": app, "notify": app}`` on fresh migrated SQLite files."""
    import notify.adapters.sql.migrations
    import notify.app
    import notify.settings
    import registry.adapters.sql.migrations
    import registry.app
    import registry.settings
    import scoring.app
    import scoring.cli
    import scoring.settings

    urls = {name: make_sqlite_url(f"{prefix}-{name}") for name in SERVICES}
    registry.adapters.sql.migrations.upgrade_head(urls["registry"])
    notify.adapters.sql.migrations.upgrade_head(urls["notify"])
    command.upgrade(scoring.cli.alembic_config(urls["scoring"]), "head")
    common: dict[str, Any] = {"internal_token": SecretStr(token), "log_json": False,
                              "log_level": log_level}
    return {
        "registry": registry.app.create_app(
            registry.settings.Settings(database_url=urls["registry"], **common)),
        "scoring": scoring.app.create_app(
            scoring.settings.Settings(database_url=urls["scoring"], **common)),
        "notify": notify.app.create_app(
            notify.settings.Settings(database_url=urls["notify"], **common)),
    }
