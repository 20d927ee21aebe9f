"""Flask CLI commands of notify (``flask --app notify.app <command>``).

``migrate`` brings the schema to head; ``seed-policies`` loads criteria.md §7 (idempotent);
``check-templates`` renders every template against a sample (CI and start-up scripts);
``emit-window-reminders`` is the daily run that tells eligible and near firms a policy's
application batch opened or closes in 30 or 7 days, each reminder exactly once;
``reset-contacts`` empties notify's copy of the registry's contact lists, for a rebuild with
``flask --app registry.app republish-snapshots`` after a restore (docs/operations.md).
"""

from __future__ import annotations

from datetime import date

import click
from flask import Flask
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError

from notify.adapters.sql.contacts import forget_contact_lists
from notify.adapters.sql.migrations import upgrade_head
from notify.domain.templates import TemplateSet
from notify.handlers.policies import seed_policies
from notify.handlers.window_reminders import emit_window_reminders
from notify.settings import Settings
from yumiao_common.clock import beijing_day
from yumiao_common.clock import utcnow


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


@click.command("emit-window-reminders")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Run as if today were this date (YYYY-MM-DD); default: today in Beijing.")
@with_appcontext
def emit_window_reminders_command(today: object) -> None:
    """Remind eligible and near firms of application windows (opened, 30 and 7 days left)."""
    run_day: date = today.date() if today is not None else beijing_day(utcnow())  # type: ignore[attr-defined]
    factory = current_app.extensions["yumiao.session_factory"]
    try:
        with factory.begin() as session:
            count = emit_window_reminders(session, today=run_day, templates=TemplateSet())
    except IntegrityError:
        # Another run committed the same reminders first: the ledger kept them unique.
        raise click.ClickException(
            "另一次运行已发出这些提醒，请稍后重试 / A concurrent run sent these reminders; "
            "run again to pick up any left") from None
    click.echo(f"notify: 已发出 {count} 条申报窗口提醒 / sent {count} window reminders "
               f"for {run_day.isoformat()}")


@click.command("reset-contacts")
@click.option("--yes", is_flag=True,
              help="确认：删除全部联系人名单 / Confirm: every stored contact list is deleted.")
@with_appcontext
def reset_contacts_command(yes: bool) -> None:
    """清空联系人名单副本（恢复后重建用） / Empty notify's copy of the contact lists, for a
    rebuild.

    Only when the registry was restored older than notify (its contact-list versions are
    behind notify's). Then have the registry re-publish (``flask --app registry.app
    republish-snapshots --kind contacts``, docs/operations.md). Notices, deliveries,
    preferences and the inbox stay; until the lists are back, a notice to a firm without a
    portal account is kept but goes out by neither SMS nor e-mail.
    """
    if not yes:
        raise click.UsageError("须加 --yes 确认 / pass --yes to confirm: this deletes every "
                               "stored contact list")
    factory = current_app.extensions["yumiao.session_factory"]
    with factory.begin() as session:
        emptied = forget_contact_lists(session)
    click.echo(f"notify: 已清空 {emptied} 份联系人名单 / emptied {emptied} contact lists")


def register(app: Flask) -> None:
    for command in (migrate_command, seed_policies_command, check_templates_command,
                    emit_window_reminders_command, reset_contacts_command):
        app.cli.add_command(command)
