"""coarse delivery failures, webhook URLs as host only in the preference audit

Rows written before: a delivery's ``last_error`` and its notice's ``failure_reason`` said what
the target answered ("webhook HTTP 404", SMTP replies), which the enterprise reads; the
preference audit kept a webhook URL's path (robot URLs may carry tokens there). Both are
rewritten to what is written now (``notify.adapters.channels.errors``, ``https://host/…``). Data
only; the texts are copied here so later code changes cannot change this migration.

Revision ID: 0003_notify_coarse_failures
Revises: 0002_notify_pref_audit
Create Date: 2026-12-06 04:25:00
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from alembic import op

revision: str = '0003_notify_coarse_failures'
down_revision: str | None = '0002_notify_pref_audit'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNREACHABLE = "投递失败：目标不可达 / delivery failed: unreachable"
REFUSED = "投递失败：接收方拒绝 / delivery failed: refused by the receiver"
MAIL_REFUSED = "投递失败：邮件被拒收 / delivery failed: mail refused"
MAIL_UNAVAILABLE = "投递失败：邮件服务暂不可用 / delivery failed: mail service unavailable"
NO_SECRET = "投递失败：未配置签名密钥 / delivery failed: no webhook secret"
INTERNAL = "投递失败：内部错误 / delivery failed: internal error"
EXHAUSTED = "; 重试次数用尽 / attempts exhausted"
SCHEMES = {"http": 80, "https": 443}


def coarse(channel: str, failure: str | None, error: str) -> str:
    if error.startswith("投递失败"):
        return error
    if error.startswith("未配置签名密钥"):
        reason = NO_SECRET
    elif channel == "webhook":
        reason = REFUSED if error.startswith("webhook HTTP") else (
            UNREACHABLE if error.startswith("webhook unreachable") else INTERNAL)
    else:
        reason = MAIL_REFUSED if failure == "permanent" else MAIL_UNAVAILABLE
    return reason + (EXHAUSTED if error.endswith("attempts exhausted") else "")


def shown_url(url: Any) -> Any:
    if not isinstance(url, str) or not url:
        return url
    try:
        parts = urlsplit(url)
        host, port, scheme = parts.hostname, parts.port, parts.scheme.lower()
    except ValueError:
        return "…"
    if not host or scheme not in SCHEMES:
        return "…"
    shown = f"[{host}]" if ":" in host else host
    if port is not None and port != SCHEMES[scheme]:
        shown = f"{shown}:{port}"
    return f"{scheme}://{shown}/…"


def _snapshot(doc: Any) -> Any:
    if isinstance(doc, dict) and doc.get("webhook_url"):
        return doc | {"webhook_url": shown_url(doc["webhook_url"])}
    return doc


def _loaded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def upgrade() -> None:
    conn = op.get_bind()
    deliveries = sa.table("deliveries", sa.column("id", sa.Uuid()), sa.column("notice_id", sa.Uuid()),
                          sa.column("channel", sa.String()), sa.column("failure", sa.String()),
                          sa.column("state", sa.String()), sa.column("last_error", sa.Text()))
    notices = sa.table("notices", sa.column("id", sa.Uuid()), sa.column("failure", sa.String()),
                       sa.column("failure_reason", sa.Text()))
    audit = sa.table("preference_audit", sa.column("id", sa.Uuid()),
                     sa.column("changes", sa.JSON()), sa.column("before", sa.JSON()),
                     sa.column("after", sa.JSON()))
    rows = conn.execute(sa.select(deliveries.c.id, deliveries.c.notice_id, deliveries.c.channel,
                                  deliveries.c.failure, deliveries.c.state,
                                  deliveries.c.last_error)
                        .where(deliveries.c.last_error.is_not(None))).all()
    reasons: dict[Any, list[tuple[bool, str]]] = {}
    for row in rows:
        new = coarse(row.channel, row.failure, row.last_error)
        if new != row.last_error:
            conn.execute(deliveries.update().where(deliveries.c.id == row.id)
                         .values(last_error=new))
        if row.state == "failed":
            reasons.setdefault(row.notice_id, []).append((row.failure == "permanent", new))
    for notice_id, found in reasons.items():
        reason = sorted(found, key=lambda item: not item[0])[0][1]
        conn.execute(notices.update()
                     .where(notices.c.id == notice_id, notices.c.failure_reason.is_not(None),
                            notices.c.failure_reason.not_like("投递失败%"))
                     .values(failure_reason=reason))
    for row in conn.execute(sa.select(audit.c.id, audit.c.changes, audit.c.before,
                                      audit.c.after)).all():
        old = [_loaded(row.changes) or {}, _loaded(row.before), _loaded(row.after)]
        changes = old[0]
        if "webhook_url" in changes:
            changes = changes | {"webhook_url": {
                side: shown_url(value) for side, value in changes["webhook_url"].items()}}
        new = [changes, _snapshot(old[1]), _snapshot(old[2])]
        if new != old:
            conn.execute(audit.update().where(audit.c.id == row.id).values(
                changes=new[0], before=new[1], after=new[2]))


def downgrade() -> None:
    """Nothing to restore: the detailed texts were what must not be kept."""
