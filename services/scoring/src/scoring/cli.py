"""Flask CLI commands of scoring: ``migrate`` (Alembic ``upgrade head``) and job resumption.

``flask --app scoring.app migrate`` runs before gunicorn starts (compose ``migrate-scoring``,
the k8s Job, ``make up``). The migrations directory is found beside the distribution
(``services/scoring/migrations``) or at ``SCORING_MIGRATIONS_DIR``.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import Flask
from flask import current_app

from scoring import jobs

SERVICE_DIR = Path(__file__).resolve().parents[2]


def alembic_config(database_url: str) -> Config:
    """An Alembic config for scoring's migrations against ``database_url``."""
    migrations = Path(os.environ.get("SCORING_MIGRATIONS_DIR", SERVICE_DIR / "migrations"))
    config = Config(str(migrations.parent / "alembic.ini"))
    config.set_main_option("script_location", str(migrations))
    config.attributes["database_url"] = database_url
    return config


def register_cli(app: Flask) -> None:
    @app.cli.command("migrate")
    def migrate() -> None:
        """数据库迁移到最新 / Upgrade the database to the latest migration."""
        settings = current_app.extensions["scoring.settings"]
        command.upgrade(alembic_config(settings.database_url), "head")
        click.echo("scoring: migrated / 已迁移")

    @app.cli.command("reevaluation-run")
    @click.argument("job_id", type=click.UUID)
    @click.option("--activate", is_flag=True, help="Run the activation phase.")
    @click.option("--actor", default="cli", show_default=True)
    def reevaluation_run(job_id: uuid.UUID, activate: bool, actor: str) -> None:
        """在前台运行重新评价任务 / Run (or resume) a re-evaluation job in the foreground."""
        factory = current_app.extensions["scoring.session_factory"]
        if activate:
            jobs.run_activation(factory, job_id, actor)
        else:
            jobs.run_preview(factory, job_id)
        click.echo(f"scoring: re-evaluation {job_id} done / 完成")
