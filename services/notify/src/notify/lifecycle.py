"""A notice's status, derived from its deliveries' states (one rule, used everywhere).

created → queued (deliveries pending) → sent (all pushes accepted, e-mail at least) →
delivered (every push confirmed: webhook 2xx; in-app-only notices are delivered on storage),
or failed: ``permanent`` when a push can never succeed, ``temporary`` while a retry waits.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from notify.db import utcnow
from notify.models.delivery import Delivery
from notify.models.notice import Notice


def derive(states: list[tuple[str, str | None, str | None]]) -> tuple[str, str | None, str | None]:
    """(status, failure, reason) from each delivery's (state, failure, last_error)."""
    if not states:
        return "delivered", None, None
    for state, failure, error in states:
        if state == "failed" and failure == "permanent":
            return "failed", "permanent", error
    if any(s in ("queued", "sending") for s, _, _ in states):
        return "queued", None, None
    for state, failure, error in states:
        if state == "failed":
            return "failed", failure or "temporary", error
    if all(s == "delivered" for s, _, _ in states):
        return "delivered", None, None
    return "sent", None, None


def refresh_notice_status(session: Session, notice_ids: Iterable[uuid.UUID]) -> None:
    """Recompute the status of notices whose deliveries changed (caller commits)."""
    ids = list(set(notice_ids))
    if not ids:
        return
    rows = session.execute(
        select(Delivery.notice_id, Delivery.state, Delivery.failure, Delivery.last_error)
        .where(Delivery.notice_id.in_(ids))
    ).all()
    by_notice: dict[uuid.UUID, list[tuple[str, str | None, str | None]]] = {i: [] for i in ids}
    for notice_id, state, failure, error in rows:
        by_notice[notice_id].append((state, failure, error))
    now = utcnow()
    for notice in session.scalars(select(Notice).where(Notice.id.in_(ids))):
        if notice.status == "failed" and notice.failure == "permanent" and not by_notice[notice.id]:
            continue  # a render failure has no deliveries and stays failed
        notice.status, notice.failure, notice.failure_reason = derive(by_notice[notice.id])
        notice.updated_at = now
