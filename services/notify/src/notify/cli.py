"""Flask CLI commands of notify (``flask --app notify.app <command>``).

``migrate`` brings the schema to head; ``seed-policies`` loads criteria.md §7 (idempotent);
``check-templates`` renders every template against a sample (CI and start-up scripts).
"""

from __future__ import annotations

import click
from flask import Flask
from flask import current_app

from notify.adapters.sql.migrations import upgrade_head
from notify.domain.templates import TemplateSet
from notify.handlers.policies import seed_policies
from notify.settings import Settings


def _settings() -> Settings:
    settings: Settings = current_app.extensions["notify.settings"]
    return settings


@click.command("migrate")
def migrate_command() -> None:
    """Apply the Alembic migrations up to head (idempotent)."""
    upgrade_head(_settings().database_url)
    click.echo("notify: 数据库已迁移至最新 / database migrated to head")


@click.command("seed-policies")
@click.option("--actor", default="system:seed", show_default=True)
def seed_policies_command(actor: str) -> None:
    """Load the policy catalogue of criteria.md §7 (existing codes are left alone)."""
    factory = current_app.extensions["yumiao.session_factory"]
    with factory.begin() as session:
        added = seed_policies(session, actor=actor)
    click.echo(f"notify: 新增政策 {added} 条 / {added} policies added")


@click.command("check-templates")
def check_templates_command() -> None:
    """Render every template; exit 1 listing the broken ones."""
    problems = TemplateSet().validate_all()
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise SystemExit(1)
    click.echo("notify: 模板全部可渲染 / all templates render")


def register(app: Flask) -> None:
    for command in (migrate_command, seed_policies_command, check_templates_command):
        app.cli.add_command(command)
