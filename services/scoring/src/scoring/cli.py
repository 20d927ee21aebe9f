"""Flask CLI commands of scoring: ``migrate`` (Alembic ``upgrade head``), job resumption and
``reset-read-model`` (the recovery after a registry restore, docs/operations.md);
``announce-verdicts`` re-announces every stored verdict unchanged, for a consumer that starts
keeping them late (notify's tier standings, issue 14 item 5).

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
from scoring.handlers.read_model import ReevaluationRunning
from scoring.handlers.read_model import reset_read_model
from scoring.handlers.verdict_announcements import announce_verdicts
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

    @app.cli.command("reset-read-model")
    @click.option("--yes", is_flag=True, help="Confirm: the profiles and evaluations are deleted.")
    def reset_read_model_command(yes: bool) -> None:
        """清空画像与评价（恢复后重建用） / Empty the profiles and evaluations, for a rebuild.

        Parameters, rulebooks and re-evaluation history stay. Then have the registry
        re-publish its snapshots (docs/operations.md, after a restore).
        """
        if not yes:
            raise click.UsageError("须加 --yes 确认 / pass --yes to confirm: this deletes "
                                   "every stored profile and evaluation")
        factory = current_app.extensions["scoring.session_factory"]
        try:
            with factory.begin() as session:
                emptied = reset_read_model(session)
        except ReevaluationRunning as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"scoring: 已清空 {emptied.profiles} 个画像、{emptied.evaluations} 条评价 / "
                   f"emptied {emptied.profiles} profiles and {emptied.evaluations} evaluations")

    @app.cli.command("announce-verdicts")
    @click.option("--page-size", default=1000, show_default=True, type=click.IntRange(1, 10000))
    def announce_verdicts_command(page_size: int) -> None:
        """重新通告现有评价结论（不变） / Announce every stored verdict again, unchanged."""
        factory = current_app.extensions["scoring.session_factory"]
        count = announce_verdicts(factory, page_size=page_size)
        click.echo(f"scoring: 已通告 {count} 条评价结论 / announced {count} verdicts")

    @app.cli.command("reevaluation-run")
    @click.argument("job_id", type=click.UUID)
    @click.option("--activate", is_flag=True, help="Run the activation phase.")
    @click.option("--actor", default="cli", show_default=True)
    def reevaluation_run(job_id: uuid.UUID, activate: bool, actor: str) -> None:
        """在前台运行重新评价任务 / Run (or resume) a re-evaluation job in the foreground."""
        factory = current_app.extensions["scoring.session_factory"]
        if activate:
            batch = current_app.extensions["scoring.settings"].reevaluation_write_batch
            reevaluations.run_activation(factory, job_id, actor, batch)
        else:
            reevaluations.run_preview(factory, job_id)
        click.echo(f"scoring: re-evaluation {job_id} done / 完成")
