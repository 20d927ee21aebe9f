"""Flask CLI commands of scoring: ``migrate`` (Alembic ``upgrade head``) and job resumption.

``flask --app scoring.app migrate`` runs before gunicorn starts (compose ``migrate-scoring``,
the k8s Job, ``make up``). The migrations directory is found beside the distribution
(``services/scoring/migrations``) or at ``SCORING_MIGRATIONS_DIR``.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import click
from alembic.config import Config
from flask import Flask
from flask import current_app

from scoring.handlers import reevaluations
from yumiao_common.db.migrations import Migrations

MIGRATIONS = Migrations(Path(__file__).resolve().parents[2], "SCORING")


def alembic_config(database_url: str) -> Config:
    """An Alembic config for scoring's migrations against ``database_url``."""
    return MIGRATIONS.config(database_url)


def register_cli(app: Flask) -> None:
    @app.cli.command("migrate")
    def migrate() -> None:
        """数据库迁移到最新 / Upgrade the database to the latest migration."""
        settings = current_app.extensions["scoring.settings"]
        MIGRATIONS.upgrade_head(settings.database_url)
        click.echo("scoring: migrated / 已迁移")

    @app.cli.command("reevaluation-run")
    @click.argument("job_id", type=click.UUID)
    @click.option("--activate", is_flag=True, help="Run the activation phase.")
    @click.option("--actor", default="cli", show_default=True)
    def reevaluation_run(job_id: uuid.UUID, activate: bool, actor: str) -> None:
        """在前台运行重新评价任务 / Run (or resume) a re-evaluation job in the foreground."""
        factory = current_app.extensions["scoring.session_factory"]
        if activate:
            reevaluations.run_activation(factory, job_id, actor)
        else:
            reevaluations.run_preview(factory, job_id)
        click.echo(f"scoring: re-evaluation {job_id} done / 完成")
