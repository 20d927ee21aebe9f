"""Flask CLI commands of the registry (``flask --app registry.app <command>``).

Commands that need the app's settings or database live here and are registered by the
factory, so ``make up``, compose and k8s run the same entry points.
"""

from __future__ import annotations

import click
from flask import Flask
from flask import current_app

from registry.migrate import upgrade_head
from registry.settings import Settings


def _settings() -> Settings:
    settings: Settings = current_app.extensions["registry.settings"]
    return settings


@click.command("migrate")
def migrate_command() -> None:
    """Apply the Alembic migrations up to head (idempotent)."""
    upgrade_head(_settings().database_url)
    click.echo("registry: 数据库已迁移至最新 / database migrated to head")


def register(app: Flask) -> None:
    """Attach every registry command to ``app``."""
    app.cli.add_command(migrate_command)
