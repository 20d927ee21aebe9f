"""Refresh notices' status from their deliveries' states (the rule: ``domain.notice_status``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import Table
from sqlalchemy import bindparam
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from notify.adapters.sql.bulk import one_of
from notify.domain.notice_status import derive
from notify.models.delivery import Delivery
from notify.models.notice import Notice
from yumiao_common.clock import utcnow


def refresh_notice_status(session: Session, notice_ids: Iterable[uuid.UUID]) -> None:
    """Recompute the status of notices whose deliveries changed (caller commits).

    Set-based: two reads and one executemany UPDATE of the notices whose status actually
    changes (the sender settles a few hundred deliveries per batch; loading and flushing
    ORM objects for them cost as much as the pushes). Notice objects already loaded in
    ``session`` are expired, so they reload the new status.
    """
    ids = list(set(notice_ids))
    if not ids:
        return
    rows = session.execute(
        select(Delivery.notice_id, Delivery.state, Delivery.failure, Delivery.last_error)
        .where(one_of(session, Delivery.notice_id, ids))
    ).all()
    by_notice: dict[uuid.UUID, list[tuple[str, str | None, str | None]]] = {i: [] for i in ids}
    for notice_id, state, failure, error in rows:
        by_notice[notice_id].append((state, failure, error))
    now = utcnow()
    changes = []
    current = session.execute(
        select(Notice.id, Notice.status, Notice.failure, Notice.failure_reason)
        .where(one_of(session, Notice.id, ids))
    )
    for notice_id, status, failure, reason in current:
        if status == "failed" and failure == "permanent" and not by_notice[notice_id]:
            continue  # a render failure has no deliveries and stays failed
        derived = derive(by_notice[notice_id])
        if derived != (status, failure, reason):
            changes.append({"b_id": notice_id, "status": derived[0], "failure": derived[1],
                            "failure_reason": derived[2], "updated_at": now})
    if not changes:
        return
    table: Table = Notice.__table__  # type: ignore[assignment]
    session.connection().execute(update(table).where(table.c.id == bindparam("b_id")), changes)
    changed = {c["b_id"] for c in changes}
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Notice) and obj.id in changed:
            session.expire(obj)
