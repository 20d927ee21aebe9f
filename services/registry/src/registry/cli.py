"""Flask CLI commands of the registry (``flask --app registry.app <command>``).

Commands that need the app's settings or database live here and are registered by the
factory, so ``make up``, compose and k8s run the same entry points.
"""

from __future__ import annotations

import uuid
from datetime import UTC
from datetime import datetime

import click
from flask import Flask
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError

from registry.adapters.sql.migrations import upgrade_head
from registry.handlers.journal import Who
from registry.handlers.reminders import emit_expiry_reminders
from registry.handlers.republish import CONTACTS
from registry.handlers.republish import ENTERPRISE
from registry.handlers.republish import KINDS
from registry.handlers.republish import enterprise_ids_to_republish
from registry.handlers.republish import republish_snapshots
from registry.handlers.rounds import end_lapsed_admissions
from registry.handlers.snapshots import freeze_ended_years
from registry.handlers.titles import reconcile_certified_members
from registry.settings import Settings
from yumiao_common.clock import beijing_today
from yumiao_common.db.engine import make_session_factory

#: How ``republish-snapshots`` names each kind in its summary line (zh, en).
KIND_WORDS: dict[str, tuple[str, str]] = {
    ENTERPRISE: ("企业快照", "enterprise snapshot"),
    CONTACTS: ("联系人名单", "contact list"),
}


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
    run_day = today.date() if today is not None else beijing_today()  # type: ignore[attr-defined]
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
              help="只重发该企业（可重复）；默认全部 / Only this enterprise (repeat the option "
                   "for several); default: all.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
              default=None, help="只重发此时刻（UTC）及之后变更的企业 / Only enterprises changed "
                                 "at or after this time (UTC).")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS),
              help="重发哪类状态（可重复）：enterprise = 企业快照（评分据此重建），contacts = "
                   "联系人名单（通知据此重建）；默认两类都发 / What to send again (repeatable): "
                   "enterprise = the profile snapshot scoring rebuilds from, contacts = the "
                   "contact list notify rebuilds from; default: both.")
@click.option("--actor", required=True,
              help="执行人，记入审计日志 / Who runs it, for the audit log (user:<name>).")
@click.option("--reason", required=True,
              help="原因（所跟随的恢复），记入审计日志 / Why (the restore it follows), "
                   "for the audit log.")
@click.option("--batch-size", type=click.IntRange(1, 5000), default=200, show_default=True,
              help="每个事务处理的企业数 / Enterprises per transaction.")
@with_appcontext
def republish_snapshots_command(usccs: tuple[str, ...], since: datetime | None,
                                kinds: tuple[str, ...], actor: str, reason: str,
                                batch_size: int) -> None:
    """重发企业的当前状态（企业快照与联系人名单）至发件箱 / Re-publish each enterprise's
    current state (profile snapshot and contact list) to the outbox; the relay publishes it.

    After a restore: rebuilds scoring's read model (emptied first: ``flask --app scoring.app
    reset-read-model``) and notify's copy of the contacts (notify sends no notice for them);
    nothing changes in the registry and no version is bumped. One audit row per event, one
    correlation id per run. docs/operations.md has the whole procedure.
    """
    chosen = tuple(k for k in KINDS if k in kinds) if kinds else KINDS
    factory = make_session_factory(current_app.extensions["registry.engine"])
    who = Who(actor=actor, reason=reason, request_id=f"republish-{uuid.uuid4().hex}")
    with factory() as session:
        ids = enterprise_ids_to_republish(
            session, usccs=usccs,
            since=since.replace(tzinfo=UTC) if since is not None else None)
    written = dict.fromkeys(chosen, 0)
    for start in range(0, len(ids), batch_size):
        with factory.begin() as session:
            counts = republish_snapshots(session, enterprise_ids=ids[start:start + batch_size],
                                         who=who, kinds=chosen)
        for kind, count in counts.items():
            written[kind] += count
    zh = "、".join(f"{written[k]} 个{KIND_WORDS[k][0]}" for k in chosen)
    en = " and ".join(f"{written[k]} {KIND_WORDS[k][1]}" for k in chosen)
    click.echo(f"registry: 已写入{zh}事件 / wrote {en} events to the outbox "
               f"(correlation id {who.request_id})")


@click.command("run-pipeline-lifecycle")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Run as if today were this date (YYYY-MM-DD); default: today.")
@with_appcontext
def run_pipeline_lifecycle_command(today: object) -> None:
    """Daily: keep members in step with their titles (an expired certificate reopens a
    certified member) and end reserve admissions whose period has passed (退库, one event each).
    Idempotent: a second run the same day finds nothing to do."""
    run_day = today.date() if today is not None else beijing_today()  # type: ignore[attr-defined]
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
    run_day = today.date() if today is not None else beijing_today()  # type: ignore[attr-defined]
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
