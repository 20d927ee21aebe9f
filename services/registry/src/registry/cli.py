"""Flask CLI commands of the registry (``flask --app registry.app <command>``).

Commands that need the app's settings or database live here and are registered by the
factory, so ``make up``, compose and k8s run the same entry points.
"""

from __future__ import annotations

from datetime import date

import click
from flask import Flask
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError

from registry.adapters.sql.migrations import upgrade_head
from registry.handlers.reminders import emit_expiry_reminders
from registry.settings import Settings
from yumiao_common.db.engine import make_session_factory


def _settings() -> Settings:
    settings: Settings = current_app.extensions["registry.settings"]
    return settings


@click.command("migrate")
@with_appcontext
def migrate_command() -> None:
    """Apply the Alembic migrations up to head (idempotent)."""
    upgrade_head(_settings().database_url)
    click.echo("registry: 数据库已迁移至最新 / database migrated to head")


@click.command("emit-expiry-reminders")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Run as if today were this date (YYYY-MM-DD); default: today.")
@with_appcontext
def emit_expiry_reminders_command(today: object) -> None:
    """Emit certification-expiry reminders due today (90/30/7 days ahead), each exactly once."""
    run_day = today.date() if today is not None else date.today()  # type: ignore[attr-defined]
    factory = make_session_factory(current_app.extensions["registry.engine"])
    try:
        with factory.begin() as session:
            count = emit_expiry_reminders(session, today=run_day)
    except IntegrityError:
        # Another run committed the same reminders first: the ledger kept them unique.
        raise click.ClickException(
            "另一次运行已发出这些提醒，请稍后重试 / A concurrent run emitted these reminders; "
            "run again to pick up any left") from None
    click.echo(f"registry: 已发出 {count} 条到期提醒 / emitted {count} expiry reminders "
               f"for {run_day.isoformat()}")


def register(app: Flask) -> None:
    """Attach every registry command to ``app``."""
    app.cli.add_command(migrate_command)
    app.cli.add_command(emit_expiry_reminders_command)
