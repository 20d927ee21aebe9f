"""Flask CLI commands of the registry (``flask --app registry.app <command>``).

Commands that need the app's settings or database live here and are registered by the
factory, so ``make up``, compose and k8s run the same entry points.
"""

from __future__ import annotations

import uuid
from datetime import UTC
from datetime import date
from datetime import datetime

import click
from flask import Flask
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError

from registry.adapters.sql.migrations import upgrade_head
from registry.handlers.journal import Who
from registry.handlers.reminders import emit_expiry_reminders
from registry.handlers.republish import enterprise_ids_to_republish
from registry.handlers.republish import republish_snapshots
from registry.handlers.rounds import end_lapsed_admissions
from registry.handlers.snapshots import freeze_ended_years
from registry.handlers.titles import reconcile_certified_members
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


@click.command("republish-snapshots")
@click.option("--uscc", "usccs", multiple=True,
              help="Only this enterprise (repeat the option for several); default: all.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
              default=None, help="Only enterprises changed at or after this time (UTC).")
@click.option("--actor", required=True, help="Who runs it, for the audit log (user:<name>).")
@click.option("--reason", required=True, help="Why (the restore it follows), for the audit log.")
@click.option("--batch-size", type=click.IntRange(1, 5000), default=200, show_default=True,
              help="Enterprises per transaction.")
@with_appcontext
def republish_snapshots_command(usccs: tuple[str, ...], since: datetime | None, actor: str,
                                reason: str, batch_size: int) -> None:
    """Re-publish full profile snapshots to the outbox (the relay publishes them).

    After a restore: rebuilds scoring's read model (emptied first: ``flask --app scoring.app
    reset-read-model``) and lets notify catch up; docs/operations.md has the whole procedure.
    """
    factory = make_session_factory(current_app.extensions["registry.engine"])
    who = Who(actor=actor, reason=reason, request_id=f"republish-{uuid.uuid4().hex}")
    with factory() as session:
        ids = enterprise_ids_to_republish(
            session, usccs=usccs,
            since=since.replace(tzinfo=UTC) if since is not None else None)
    written = 0
    for start in range(0, len(ids), batch_size):
        with factory.begin() as session:
            written += republish_snapshots(session, enterprise_ids=ids[start:start + batch_size],
                                           who=who)
    click.echo(f"registry: 已写入 {written} 个企业快照事件 / wrote {written} snapshot events "
               f"to the outbox (correlation id {who.request_id})")


@click.command("run-pipeline-lifecycle")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Run as if today were this date (YYYY-MM-DD); default: today.")
@with_appcontext
def run_pipeline_lifecycle_command(today: object) -> None:
    """Daily: keep members in step with their titles (an expired certificate reopens a
    certified member) and end reserve admissions whose period has passed (退库, one event each).
    Idempotent: a second run the same day finds nothing to do."""
    run_day = today.date() if today is not None else date.today()  # type: ignore[attr-defined]
    factory = make_session_factory(current_app.extensions["registry.engine"])
    who = Who(actor="system:lifecycle", request_id=f"lifecycle-{run_day.isoformat()}")
    with factory.begin() as session:
        reopened = reconcile_certified_members(session, who=who, today=run_day)
        ended = end_lapsed_admissions(session, today=run_day, who=who)
    click.echo(f"registry: {reopened} 个成员随资质变化流转，{ended} 个入库期满退库 / "
               f"{reopened} members moved with their titles, {ended} admissions ended "
               f"({run_day.isoformat()})")


@click.command("freeze-year-end")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Run as if today were this date (YYYY-MM-DD); default: today.")
@with_appcontext
def freeze_year_end_command(today: object) -> None:
    """Daily: once a year has ended, freeze its figures as of 31 December (the year-end snapshot
    the progress report reads). Idempotent: a frozen year is left as it is."""
    run_day = today.date() if today is not None else date.today()  # type: ignore[attr-defined]
    factory = make_session_factory(current_app.extensions["registry.engine"])
    who = Who(actor="system:year-end", reason="年末自动冻结 / automatic year-end snapshot",
              request_id=f"year-end-{run_day.isoformat()}")
    with factory.begin() as session:
        taken = freeze_ended_years(session, years=[run_day.year - 1], today=run_day, who=who)
    click.echo(f"registry: 冻结 {len(taken)} 个年度快照 / froze {len(taken)} year-end "
               f"snapshots ({', '.join(str(s.year) for s in taken) or '-'})")


def register(app: Flask) -> None:
    """Attach every registry command to ``app``."""
    app.cli.add_command(migrate_command)
    app.cli.add_command(emit_expiry_reminders_command)
    app.cli.add_command(republish_snapshots_command)
    app.cli.add_command(run_pipeline_lifecycle_command)
    app.cli.add_command(freeze_year_end_command)
