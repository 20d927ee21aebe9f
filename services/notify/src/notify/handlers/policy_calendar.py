"""Reading the policy windows: the bureau's calendar feed and the policies that match a firm.

A firm is matched to a tiered policy by its latest verdict for the policy's tier, as notify
last heard it from scoring (``adapters.sql.standings``): eligible, or near (close to
qualifying). Its page lists those policies with the batches still open or to come, the batch
closing soonest first, so the deadline that matters is on top. Read-only.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from notify.adapters.files.ical import CalendarEvent
from notify.adapters.files.ical import calendar
from notify.adapters.sql.standings import REMINDED
from notify.adapters.sql.standings import standings_of
from notify.domain.vocabulary import one_language
from notify.domain.windows import status_on
from notify.models.policy import Policy
from notify.models.window import PolicyWindow

TIERED = ("eligible", "renewal")
CALENDAR_NAME = "育苗·政策申报日历 / Yumiao policy application calendar"


def _description(policy: Policy, window: PolicyWindow) -> str:
    amount_zh = f"¥{policy.amount_yuan:,}" if policy.amount_yuan is not None else "金额待定"
    amount_en = f"¥{policy.amount_yuan:,}" if policy.amount_yuan is not None else "amount unknown"
    lines = [
        f"{policy.name_zh}（{window.batch_zh}）",
        f"申报时间：{window.opens_on} 至 {window.closes_on}（含当日）",
        f"政策内容：{policy.benefit_zh}", f"金额：{amount_zh}",
        f"政策依据：{one_language(policy.source_document, 'zh-CN')}",
    ]
    if policy.contact:
        lines.append(f"咨询联系：{one_language(policy.contact, 'zh-CN')}")
    if window.note:
        lines.append(f"备注：{one_language(window.note, 'zh-CN')}")
    lines += [
        "", f"{policy.name_en} ({window.batch_en})",
        f"Applications: {window.opens_on} to {window.closes_on} (both days included)",
        f"Benefit: {policy.benefit_en}", f"Amount: {amount_en}",
    ]
    if policy.contact:
        lines.append(f"Contact: {one_language(policy.contact, 'en')}")
    return "\n".join(lines)


def calendar_events(session: Session, *, tier: str | None = None) -> list[CalendarEvent]:
    """One event per batch of every active policy (of ``tier``, when given)."""
    stmt = select(Policy).where(Policy.status == "active").order_by(Policy.code)
    if tier:
        stmt = stmt.where(Policy.tier == tier)
    events = []
    for policy in session.scalars(stmt):
        for w in policy.windows:
            events.append(CalendarEvent(
                uid=f"{policy.id}-{w.opens_on:%Y%m%d}-{w.closes_on:%Y%m%d}@yumiao",
                summary=f"申报：{policy.name_zh}（{w.batch_zh}） / Applications: "
                        f"{policy.name_en} ({w.batch_en})",
                description=_description(policy, w), opens_on=w.opens_on,
                closes_on=w.closes_on, sequence=policy.version - 1,
                last_modified=policy.updated_at,
                categories=tuple(c for c in (policy.tier, policy.pool) if c)))
    return sorted(events, key=lambda e: (e.opens_on, e.uid))


def calendar_text(session: Session, *, stamp: datetime, tier: str | None = None) -> str:
    return calendar(calendar_events(session, tier=tier), name=CALENDAR_NAME, stamp=stamp)


def matching_policies(session: Session, *, uscc: str, today: date) -> dict[str, Any]:
    """The active tiered policies whose tier ``uscc`` is eligible or near for."""
    standings = standings_of(session, uscc)
    tiers = [t for t, verdict in standings.items() if verdict in REMINDED]
    items: list[dict[str, Any]] = []
    if tiers:
        policies = session.scalars(select(Policy).where(
            Policy.status == "active", Policy.trigger.in_(TIERED), Policy.tier.in_(tiers)))
        for policy in policies:
            live = [w for w in policy.windows if status_on(w, today) != "closed"]
            items.append({"policy": policy, "verdict": standings[policy.tier or ""],
                          "live_windows": sorted(live, key=lambda w: w.closes_on)})
    items.sort(key=lambda i: (i["live_windows"][0].closes_on if i["live_windows"]
                              else date.max, i["policy"].code))
    return {"uscc": uscc, "standings": standings, "items": items, "total": len(items)}
