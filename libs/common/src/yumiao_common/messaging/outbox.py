"""The transactional outbox: events are rows written in the business transaction.

A producer never publishes inside a request; it adds the event's envelope to this table in the
same transaction as the change, so an event exists if and only if the change committed. The
relay (``relay.py``) publishes the rows and marks them. Nothing here commits: the caller owns
the transaction (style.md point 3).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import Column
from sqlalchemy import DateTime
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import MetaData
from sqlalchemy import String
from sqlalchemy import Table
from sqlalchemy import Text
from sqlalchemy import Uuid
from sqlalchemy import insert
from sqlalchemy.orm import Session

from yumiao_common.clock import utcnow
from yumiao_common.contracts.base import Event


def define_outbox_table(metadata: MetaData, name: str = "outbox") -> Table:
    """The outbox table on a service's metadata (so its Alembic migration creates it).

    ``id`` is the event id and becomes the AMQP ``message_id``: consumers dedupe on it, so a
    row published twice (relay crash before marking) is still applied once. The partial index
    keeps the relay's scan proportional to the backlog, not to history.
    """
    published_at = Column("published_at", DateTime(timezone=True), nullable=True)
    return Table(
        name,
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("type", String(120), nullable=False),
        Column("payload", JSON, nullable=False),
        Column("correlation_id", String(120), nullable=True),
        Column("created_at", DateTime(timezone=True), nullable=False, default=utcnow),
        published_at,
        Column("attempts", Integer, nullable=False, default=0),
        Column("last_error", Text, nullable=True),
        # Back-off for rows the broker refused (nack/return); NULL means "now".
        Column("next_attempt_at", DateTime(timezone=True), nullable=True),
        Index(
            f"ix_{name}_unpublished",
            "created_at",
            postgresql_where=published_at.is_(None),
            sqlite_where=published_at.is_(None),
        ),
    )


def outbox_row(event: Event) -> dict[str, Any]:
    """The row for one event: the whole envelope, JSON-ready, plus its routing columns."""
    return {
        "id": event.id,
        "type": event.type,
        "payload": event.model_dump(mode="json"),
        "correlation_id": event.correlation_id,
        "created_at": utcnow(),
        "published_at": None,
        "attempts": 0,
        "last_error": None,
        "next_attempt_at": None,
    }


def add_event(session: Session, table: Table, event: Event) -> None:
    """Write one event in the caller's transaction (flushed with it; never commits)."""
    session.execute(insert(table), [outbox_row(event)])


def add_events(session: Session, table: Table, events: Iterable[Event]) -> int:
    """Write many events with one Core executemany (bulk import, re-evaluation); never commits."""
    rows = [outbox_row(event) for event in events]
    if rows:
        session.execute(insert(table), rows)
    return len(rows)
