"""Run the notify's Alembic migrations from code (``flask --app notify.app migrate``, tests).

The migration scripts live beside the package in ``services/notify/migrations``; the
location can be overridden with ``NOTIFY_MIGRATIONS_DIR`` for images that copy them elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config

from yumiao_common.db import normalize_url

SERVICE_DIR = Path(__file__).resolve().parents[2]


def alembic_config(database_url: str) -> Config:
    """An Alembic config pointing at the notify's scripts and ``database_url``."""
    config = Config(str(SERVICE_DIR / "alembic.ini"))
    scripts = os.environ.get("NOTIFY_MIGRATIONS_DIR", str(SERVICE_DIR / "migrations"))
    config.set_main_option("script_location", scripts)
    config.set_main_option("sqlalchemy.url", normalize_url(database_url).replace("%", "%%"))
    config.attributes["configure_logging"] = False
    return config


def upgrade_head(database_url: str) -> None:
    """Bring the database to the newest schema (idempotent)."""
    command.upgrade(alembic_config(database_url), "head")


def check(database_url: str) -> None:
    """Raise if the models and the migrated schema differ (``alembic check``)."""
    command.check(alembic_config(database_url))
