"""Use cases of a parking ledger: inspect one message, ask for its replay. Never commits.

A replay request is a row change only (gunicorn never speaks AMQP); the consumer's parking
keeper republishes requested rows to their source queue with a fresh attempt count. The change
is one conditional ``UPDATE … WHERE status = 'parked'``: of two requests for the same message
(two admins, a double click) exactly one wins and the other is a 409, so a message is replayed
once per parking. It records who asked and why.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from yumiao_common.web.errors import Conflict
from yumiao_common.web.errors import NotFound

#: A service's own step in the replay's transaction (notify: reset the failed delivery).
OnReplay = Callable[[Session, Any], None]


def get_parked(session: Session, model: Any, parked_id: uuid.UUID) -> Any:
    row = session.get(model, parked_id)
    if row is None:
        raise NotFound("停放消息不存在 / Parked message not found")
    return row


def request_replay(session: Session, model: Any, *, parked_id: uuid.UUID, actor: str,
                   reason: str | None = None, on_replay: OnReplay | None = None) -> Any:
    """Mark a parked message for replay (409 unless it is parked) and return its row."""
    row = get_parked(session, model, parked_id)
    changed = session.execute(
        update(model).where(model.id == parked_id, model.status == "parked")
        .values(status="replay_requested", replay_requested_by=actor, replay_reason=reason)
        .execution_options(synchronize_session=False))
    session.refresh(row)
    if getattr(changed, "rowcount", 0) != 1:
        raise Conflict(f"该消息状态为 {row.status}，不可重放 / Message is {row.status}; "
                       "only parked messages can be replayed")
    if on_replay is not None:
        on_replay(session, row)
    session.flush()
    return row
