"""Rows written before the fix are rewritten: enterprises stop reading what a target answered.

Deliveries' ``last_error`` and notices' ``failure_reason`` said "webhook HTTP 404" or quoted an
SMTP reply; the preference audit kept a webhook URL's path. Migration 0003 turns them into
what is written now.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC
from datetime import datetime

import pytest
from alembic import command
from sqlalchemy import create_engine
from sqlalchemy import insert
from sqlalchemy import select

from notify.adapters.channels.errors import MAIL_REFUSED
from notify.adapters.channels.errors import REFUSED
from notify.adapters.channels.errors import UNREACHABLE
from notify.adapters.sql.migrations import alembic_config
from notify.models.delivery import Delivery
from notify.models.notice import Notice
from notify.models.preference import Preference
from notify.models.preference import PreferenceAudit

pytestmark = pytest.mark.integration
NOW = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_old_detailed_reasons_and_audited_url_paths_are_rewritten(
    engine: str, make_sqlite_url: Callable[[str], str], make_pg_database: Callable[[str], str]
) -> None:
    url = make_sqlite_url("notify-0003") if engine == "sqlite" else make_pg_database("notify_0003")
    command.upgrade(alembic_config(url), "0002_notify_pref_audit")
    db = create_engine(url)
    hook, mail, kept = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    uscc = "91371502MA3C0000X1"
    old_url = "https://hooks.slack.com/services/T0/B0/SECRETPATH?token=[redacted]"
    with db.begin() as conn:
        for notice, reason in ((hook, "webhook HTTP 404"), (mail, "SMTP 550 b'no such user'"),
                               (kept, None)):
            conn.execute(insert(Notice).values(
                id=notice, notice_key=notice.hex, uscc=uscc, enterprise_name="n", kind="renewal",
                cause={}, rulebook_version="v", language="zh-CN", template="t",
                template_version="v1", subject="s", body="b",
                status="failed" if reason else "delivered",
                failure="permanent" if reason else None, failure_reason=reason,
                push_suppressed=False, created_at=NOW, updated_at=NOW))
        rows = [(hook, "webhook", "failed", "permanent",
                 "webhook HTTP 404; 重试次数用尽 / attempts exhausted"),
                (mail, "email", "failed", "permanent", "SMTP 550 b'no such user'"),
                (kept, "webhook", "delivered", None, None)]
        for notice, channel, state, failure, error in rows:
            conn.execute(insert(Delivery).values(
                id=uuid.uuid4(), notice_id=notice, channel=channel, target="t", state=state,
                attempts=1, failure=failure, last_error=error, created_at=NOW, updated_at=NOW))
        conn.execute(insert(Preference).values(
            uscc=uscc, language="zh-CN", channels=[], version=1, updated_at=NOW))
        conn.execute(insert(PreferenceAudit).values(
            id=uuid.uuid4(), uscc=uscc, action="create", actor="a", version=1, at=NOW,
            changes={"webhook_url": {"before": None, "after": old_url}}, before=None,
            after={"webhook_url": old_url, "language": "zh-CN"}))
    command.upgrade(alembic_config(url), "head")
    with db.connect() as conn:
        deliveries = Delivery.__table__.c
        as_uuid: dict[str, str | None] = {
            k.hex: v for k, v in conn.execute(select(deliveries.notice_id, deliveries.last_error))}
        notices = Notice.__table__.c
        notice_reasons: dict[str, str | None] = {
            k.hex: v for k, v in conn.execute(select(notices.id, notices.failure_reason))}
        trail = PreferenceAudit.__table__.c
        audit = conn.execute(select(trail.changes, trail.after)).one()
    assert as_uuid[hook.hex] == f"{REFUSED}; 重试次数用尽 / attempts exhausted"
    assert as_uuid[mail.hex] == MAIL_REFUSED and as_uuid[kept.hex] is None
    assert notice_reasons[hook.hex] == as_uuid[hook.hex]
    assert notice_reasons[mail.hex] == MAIL_REFUSED and notice_reasons[kept.hex] is None
    stored = json.dumps(list(audit), ensure_ascii=False)
    assert "SECRETPATH" not in stored and "https://hooks.slack.com/…" in stored
    assert UNREACHABLE not in stored
    db.dispose()
