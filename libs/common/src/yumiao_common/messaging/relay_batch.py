"""One relay batch: outbox rows claimed in a transaction that lives until their confirms.

Split from ``relay.py`` so the database side (claim, commit, roll back) reads on its own and
the AMQP lifecycle stays short.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from sqlalchemy import Connection
from sqlalchemy import Engine
from sqlalchemy import Row
from sqlalchemy import Table
from sqlalchemy import Text
from sqlalchemy import cast
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy import update

from yumiao_common.messaging.backoff import row_retry_delay

log = logging.getLogger("yumiao.relay")


@dataclass
class Batch:
    """Rows being published; ``pending`` maps delivery tags to row ids still unconfirmed."""

    connection: Connection
    rows: list[Row]  # type: ignore[type-arg]
    attempts: dict[uuid.UUID, int]
    pending: dict[int, uuid.UUID] = field(default_factory=dict)
    acked: list[uuid.UUID] = field(default_factory=list)
    failed: dict[uuid.UUID, str] = field(default_factory=dict)

    def finish(self, table: Table) -> None:
        """Mark acked rows published and refused rows for a later retry, in the claim's tx."""
        now = datetime.now(UTC)
        conn = self.connection
        if conn.dialect.name == "postgresql":
            # Losing this mark in a server crash only re-publishes the rows (consumers dedupe
            # on message_id), so the relay need not wait for the WAL flush.
            conn.execute(text("SET LOCAL synchronous_commit TO OFF"))
        if self.acked:
            conn.execute(update(table).where(table.c.id.in_(self.acked)).values(published_at=now))
        for row_id, error in self.failed.items():
            attempts = self.attempts[row_id] + 1
            retry_at = now + timedelta(seconds=row_retry_delay(attempts))
            log.warning("relay: outbox row %s refused (%s), retry at %s", row_id, error, retry_at)
            conn.execute(
                update(table)
                .where(table.c.id == row_id)
                .values(attempts=attempts, last_error=error, next_attempt_at=retry_at)
            )
        self.commit()

    def commit(self) -> None:
        try:
            self.connection.commit()
        finally:
            self.connection.close()

    def abandon(self) -> None:
        try:
            self.connection.rollback()
        finally:
            self.connection.close()


def claim_batch(engine: Engine, table: Table, size: int, sqlite: bool) -> Batch | None:
    """Claim up to ``size`` due rows, oldest first; None when nothing is due.

    The body is read as the stored JSON text (``CAST(payload AS TEXT)``), so the relay never
    decodes and re-encodes the envelope.
    """
    now = datetime.now(UTC)
    due = (
        select(table.c.id)
        .where(table.c.published_at.is_(None))
        .where(or_(table.c.next_attempt_at.is_(None), table.c.next_attempt_at <= now))
        .order_by(table.c.created_at)
        .limit(size)
    )
    if not sqlite:
        due = due.with_for_update(skip_locked=True)
    # Lock and order only the narrow ids, then read the bodies: sorting whole envelopes
    # spills to disk when the planner has no statistics yet (a fresh outbox with a backlog).
    query = (
        select(
            table.c.id,
            table.c.type,
            table.c.correlation_id,
            table.c.created_at,
            table.c.attempts,
            cast(table.c.payload, Text).label("body"),
        )
        .where(table.c.id.in_(due.scalar_subquery()))
        .order_by(table.c.created_at)
    )
    connection = engine.connect()
    try:
        rows = list(connection.execute(query))
        if sqlite:
            connection.commit()  # never hold a SQLite snapshot across the publish
    except BaseException:
        connection.close()
        raise
    if not rows:
        connection.rollback()
        connection.close()
        return None
    return Batch(connection, rows, {row.id: row.attempts for row in rows})
