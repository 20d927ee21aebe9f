"""Use case of the events consumer: a batch of events in, notices and deliveries out.

One call per consumer batch, inside the consumer's transaction (with the inbox claim), so a
batch's effects commit or vanish together and the broker ack follows the commit. Set-based
on purpose: one query each for policies, preferences, existing keys and weekly counts, and
multi-row inserts for notices, deliveries and outbox rows, whatever the batch size.
Never commits: the consumer does.

Contacts (issue 14): ``registry.contacts.changed`` snapshots are stored first (newest wins).
An enterprise without a portal presence in notify (no preferences row: nobody ever chose
its channels online) is reached through its contacts instead: one SMS and/or e-mail delivery
per contact who agreed to the channel and did not opt out, under the same weekly cap and the
same exactly-once delivery rows as every push.

Policy windows (issue 14 item 5): every ``scoring.eligibility.changed`` also updates notify's
copy of the firm's verdict for the tier (``adapters.sql.standings``), which the window
reminders and the portal's matching policies read.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from datetime import timedelta
from typing import Any

from sqlalchemy import Table
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy.orm import Session

from notify.adapters.sql.bulk import insert_ignore
from notify.adapters.sql.bulk import new_uuids
from notify.adapters.sql.bulk import one_of
from notify.adapters.sql.contacts import ContactTarget
from notify.adapters.sql.contacts import reachable
from notify.adapters.sql.contacts import store_snapshots
from notify.adapters.sql.policies import active_policies
from notify.adapters.sql.standings import store_standings
from notify.domain.context import build_context
from notify.domain.decisions import Draft
from notify.domain.decisions import decide
from notify.domain.event_facts import to_fact
from notify.domain.messages import DeliveryRequested
from notify.domain.messages import DeliveryRequestedPayload
from notify.domain.templates import RenderError
from notify.domain.templates import TemplateSet
from notify.models.delivery import Delivery
from notify.models.messaging import outbox_table
from notify.models.notice import ACCOUNT_KINDS
from notify.models.notice import Notice
from notify.models.preference import DEFAULT_LANGUAGE
from notify.models.preference import Preference
from yumiao_common.clock import BEIJING
from yumiao_common.clock import utcnow
from yumiao_common.contracts.base import Event
from yumiao_common.contracts.registry import ContactsChanged
from yumiao_common.contracts.scoring import EligibilityChanged
from yumiao_common.messaging.outbox import add_events

NOTICES: Table = Notice.__table__  # type: ignore[assignment]
DELIVERIES: Table = Delivery.__table__  # type: ignore[assignment]
CAP_REASON = "超出每周推送上限，仅存站内信 / Weekly push cap reached; kept in the in-app inbox"


def week_start(now: datetime) -> datetime:
    local = now.astimezone(BEIJING)
    monday = (local - timedelta(days=local.weekday())).date()
    return datetime(monday.year, monday.month, monday.day, tzinfo=BEIJING)


def process_events(
    session: Session, events: Sequence[Event], *, templates: TemplateSet, weekly_cap: int,
    now: datetime | None = None,
) -> int:
    """Store the notices ``events`` owe (deduped by key); returns how many were new."""
    now = now or utcnow()
    store_snapshots(session, [e.payload for e in events if isinstance(e, ContactsChanged)], now)
    store_standings(session, [e for e in events if isinstance(e, EligibilityChanged)])
    facts = [f for f in (to_fact(e) for e in events) if f is not None]
    if not facts:
        return 0
    policies = active_policies(session)
    today = now.astimezone(BEIJING).date()
    drafts = list({d.key: d for f in facts for d in decide(f, policies, today)}.values())
    if not drafts:
        return 0
    existing = set(session.scalars(
        select(Notice.notice_key).where(one_of(session, Notice.notice_key, [d.key for d in drafts]))
    ))
    drafts = [d for d in drafts if d.key not in existing]
    prefs = _preferences(session, {d.fact.uscc for d in drafts})
    targets = _targets(session, prefs, {d.fact.uscc for d in drafts})
    pushed = _pushed_this_week(session, targets, now)
    rows = [_notice_row(d, prefs.get(d.fact.uscc), targets.get(d.fact.uscc, []), pushed,
                        templates, weekly_cap, now, notice_id)
            for d, notice_id in zip(drafts, new_uuids(len(drafts)), strict=True)]
    correlation = {e.id: e.correlation_id for e in events}
    for row in rows:  # each notice keeps the correlation id of its own event, not the batch's
        row["correlation_id"] = correlation.get(row["source_event_id"])
    channels = {r["notice_key"]: r.pop("_channels") for r in rows}
    fresh = set(insert_ignore(session, NOTICES, rows, conflict=["notice_key"],
                              returning="notice_key"))
    _queue_deliveries(
        session, [(r, channels[r["notice_key"]]) for r in rows if r["notice_key"] in fresh]
    )
    return len(fresh)


def _preferences(session: Session, usccs: set[str]) -> dict[str, Preference]:
    if not usccs:
        return {}
    return {p.uscc: p for p in session.scalars(select(Preference).where(
        one_of(session, Preference.uscc, list(usccs))))}


def _targets(
    session: Session, prefs: dict[str, Preference], usccs: set[str]
) -> dict[str, list[ContactTarget]]:
    """uscc → where its push notices go: the chosen channels of an enterprise with
    preferences; the contacts of one without (the firm has no portal presence)."""
    out: dict[str, list[ContactTarget]] = {}
    for uscc, pref in prefs.items():
        own = [ContactTarget(c, (pref.email if c == "email" else pref.webhook_url) or "", "")
               for c in pref.push_channels()]
        if own:
            out[uscc] = own
    out.update(reachable(session, sorted(usccs - set(prefs))))
    return out


def _pushed_this_week(
    session: Session, targets: dict[str, list[ContactTarget]], now: datetime
) -> dict[str, int]:
    """Push notices (not suppressed, not deadline reminders) per enterprise since Monday."""
    pushers = list(targets)
    if not pushers:
        return {}
    stmt = (
        select(Notice.uscc, func.count())
        .where(one_of(session, Notice.uscc, pushers), Notice.created_at >= week_start(now),
               Notice.push_suppressed.is_(False),
               Notice.kind.not_in(("renewal", "window", "review", *ACCOUNT_KINDS)))
        .group_by(Notice.uscc)
    )
    return {uscc: int(n) for uscc, n in session.execute(stmt).all()}


def _notice_row(
    draft: Draft, pref: Preference | None, targets: list[ContactTarget], pushed: dict[str, int],
    templates: TemplateSet, weekly_cap: int, now: datetime, notice_id: uuid.UUID,
) -> dict[str, Any]:
    fact = draft.fact
    language = pref.language if pref else DEFAULT_LANGUAGE
    name = fact.enterprise_name or (pref.enterprise_name if pref else None) or fact.uscc
    row: dict[str, Any] = {
        "id": notice_id, "notice_key": draft.key, "uscc": fact.uscc, "enterprise_name": name,
        "kind": draft.kind, "policy_code": draft.policy.code if draft.policy else None,
        "tier": getattr(fact, "tier", None), "pool": getattr(fact, "pool", None),
        "cause": draft.cause, "rulebook_version": draft.rulebook_version, "language": language,
        "template": draft.kind, "amount_yuan": draft.policy.amount_yuan if draft.policy else None,
        "deadline": draft.deadline, "source_event_id": fact.event_id, "read_at": None,
        "created_at": now, "updated_at": now, "push_suppressed": False,
        "suppressed_reason": None, "failure": None, "failure_reason": None,
    }
    try:
        rendered = templates.render(language, draft.kind,
                                    build_context(draft, language, name))
    except RenderError as exc:
        return row | {"template_version": templates.version_of(language, draft.kind),
                      "subject": "", "body": "", "status": "failed", "failure": "permanent",
                      "failure_reason": f"模板渲染失败 / Template render failed: {exc}",
                      "_channels": []}
    row.update(template_version=rendered.version, subject=rendered.subject, body=rendered.body)
    channels = list(targets)
    if channels and not draft.bypasses_cap:
        if pushed.get(fact.uscc, 0) >= weekly_cap:
            row.update(push_suppressed=True, suppressed_reason=CAP_REASON)
            channels = []
        else:
            pushed[fact.uscc] = pushed.get(fact.uscc, 0) + 1
    # In-app only: storing it in the inbox is its delivery.
    row["status"] = "queued" if channels else "delivered"
    row["_channels"] = channels
    return row


def _queue_deliveries(
    session: Session, rows: list[tuple[dict[str, Any], list[ContactTarget]]],
) -> None:
    """One delivery row and one outbox row per (fresh notice, push target)."""
    deliveries: list[dict[str, Any]] = []
    ids = iter(new_uuids(sum(len(targets) for _, targets in rows)))
    for row, targets in rows:
        for target in targets:
            deliveries.append({
                "id": next(ids), "notice_id": row["id"], "channel": target.channel,
                "target": target.address, "recipient": target.recipient, "state": "queued",
                "attempts": 0,
                "correlation_id": row["correlation_id"],
                "created_at": row["created_at"], "updated_at": row["created_at"],
            })
    if not deliveries:
        return
    session.execute(insert(DELIVERIES), deliveries)
    add_events(session, outbox_table, (
        DeliveryRequested(correlation_id=d["correlation_id"], payload=DeliveryRequestedPayload(
            delivery_id=d["id"], notice_id=d["notice_id"], channel=d["channel"]))
        for d in deliveries
    ))

