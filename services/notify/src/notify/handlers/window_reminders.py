"""The daily window-reminder run: a batch opened, closes in 30 days, closes in 7 days.

Who is told: firms whose latest verdict for the policy's tier is eligible or near
(``adapters.sql.standings``); pool-triggered policies (listing awards) name no tier, so the
run leaves them to the admission notice. Exactly once per (policy, window dates, firm,
milestone) however often it runs: each reminder inserts its ledger row (``WindowReminder``,
unique) in the same transaction as its notice (whose key hashes the same tuple) and its
deliveries. A run that missed days catches up with the latest milestone due
(``domain.windows.due_milestone``), never with all three at once. Of two overlapping runs the
second waits on the first's notice keys and then stores nothing twice (its inserts skip the
keys the first committed). Reminders are deadline notices: like renewal reminders they bypass
the weekly push cap. Never commits.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from typing import Any

from sqlalchemy import Table
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy.orm import Session

from notify.adapters.sql.bulk import insert_ignore
from notify.adapters.sql.bulk import new_uuids
from notify.adapters.sql.policies import view_of
from notify.adapters.sql.standings import reminded_firms
from notify.domain.templates import RenderError
from notify.domain.templates import TemplateSet
from notify.domain.window_notice import WindowDue
from notify.domain.window_notice import window_context
from notify.domain.window_notice import window_key
from notify.domain.windows import due_milestone
from notify.handlers.notices import _preferences
from notify.handlers.notices import _queue_deliveries
from notify.handlers.notices import _targets
from notify.models.notice import Notice
from notify.models.policy import Policy
from notify.models.preference import DEFAULT_LANGUAGE
from notify.models.window import TierStanding
from notify.models.window import WindowReminder
from yumiao_common.clock import utcnow

NOTICES: Table = Notice.__table__  # type: ignore[assignment]
LEDGER: Table = WindowReminder.__table__  # type: ignore[assignment]
TIERED = ("eligible", "renewal")


def due_windows(session: Session, today: date) -> list[WindowDue]:
    """Every (active tiered policy, batch) that has a milestone due on ``today``."""
    policies = session.scalars(
        select(Policy).where(Policy.status == "active", Policy.trigger.in_(TIERED),
                             Policy.tier.is_not(None)).order_by(Policy.code))
    out = []
    for p in policies:
        view = view_of(p)
        for w in p.windows:
            milestone = due_milestone(w, today)
            if milestone is not None:
                out.append(WindowDue(view, p.id, w.batch_zh, w.batch_en, w.opens_on,
                                     w.closes_on, milestone, today))
    return out


def emit_window_reminders(
    session: Session, *, today: date, templates: TemplateSet, now: datetime | None = None,
    correlation_id: str | None = None,
) -> int:
    """Store every window reminder due on ``today`` not sent before; returns how many."""
    now = now or utcnow()
    dues = due_windows(session, today)
    firms = reminded_firms(session, sorted({d.policy.tier for d in dues if d.policy.tier}))
    owed = [(d, f) for d in dues for f in firms.get(d.policy.tier or "", ())]
    sent = {tuple(r) for r in session.execute(
        select(WindowReminder.policy_id, WindowReminder.opens_on, WindowReminder.closes_on,
               WindowReminder.uscc, WindowReminder.milestone)
        .where(WindowReminder.closes_on >= today))}
    owed = [(d, f) for d, f in owed
            if (d.policy_id, d.opens_on, d.closes_on, f.uscc, d.milestone) not in sent]
    if not owed:
        return 0
    usccs = {f.uscc for _, f in owed}
    prefs = _preferences(session, usccs)
    targets = _targets(session, prefs, usccs)
    rows = []
    for (due, firm), notice_id in zip(owed, new_uuids(len(owed)), strict=True):
        pref = prefs.get(firm.uscc)
        row = _notice_row(due, firm, pref.language if pref else DEFAULT_LANGUAGE,
                          templates, now, notice_id, correlation_id)
        if row["status"] == "queued" and not targets.get(firm.uscc):
            row["status"] = "delivered"  # in-app only: storing it in the inbox delivers it
        rows.append(row)
    fresh = set(insert_ignore(session, NOTICES, rows, conflict=["notice_key"],
                              returning="notice_key"))
    fresh_rows = [r for r in rows if r["notice_key"] in fresh]
    if not fresh_rows:  # an overlapping run stored every one of them first
        return 0
    session.execute(insert(LEDGER), [
        {"id": uid, "policy_id": due.policy_id, "opens_on": due.opens_on,
         "closes_on": due.closes_on, "uscc": firm.uscc, "milestone": due.milestone,
         "notice_id": row["id"], "sent_at": now}
        for (due, firm), row, uid in zip(owed, rows, new_uuids(len(rows)), strict=True)
        if row["notice_key"] in fresh])
    _queue_deliveries(session, [
        (r, targets.get(r["uscc"], []) if r["status"] == "queued" else []) for r in fresh_rows])
    session.flush()
    return len(fresh_rows)


def _notice_row(due: WindowDue, firm: TierStanding, language: str, templates: TemplateSet,
                now: datetime, notice_id: Any, correlation_id: str | None) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": notice_id, "notice_key": window_key(firm.uscc, due), "uscc": firm.uscc,
        "enterprise_name": firm.enterprise_name, "kind": "window",
        "policy_code": due.policy.code, "tier": due.policy.tier, "pool": None,
        "cause": {"type": f"window:{due.milestone}", "batch_zh": due.batch_zh,
                  "batch_en": due.batch_en, "opens_on": due.opens_on.isoformat(),
                  "closes_on": due.closes_on.isoformat(), "verdict": firm.verdict},
        "rulebook_version": "", "language": language, "template": "window",
        "amount_yuan": due.policy.amount_yuan, "deadline": due.closes_on,
        "source_event_id": None, "correlation_id": correlation_id, "read_at": None,
        "created_at": now, "updated_at": now, "push_suppressed": False,
        "suppressed_reason": None, "failure": None, "failure_reason": None,
    }
    try:
        rendered = templates.render(language, "window", window_context(
            due, firm.verdict, language, firm.enterprise_name))
    except RenderError as exc:
        return row | {"template_version": templates.version_of(language, "window"),
                      "subject": "", "body": "", "status": "failed", "failure": "permanent",
                      "failure_reason": f"模板渲染失败 / Template render failed: {exc}"}
    row.update(template_version=rendered.version, subject=rendered.subject, body=rendered.body,
               status="queued")
    return row
