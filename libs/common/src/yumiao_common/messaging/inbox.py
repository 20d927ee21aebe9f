"""The inbox (processed-message ledger): each message's effect is applied once per consumer.

A consumer claims the message id in the same transaction as its effect; a redelivered or
duplicated message finds its id already claimed and changes nothing, which turns the broker's
at-least-once delivery into an effectively exactly-once effect. The key is
``(message_id, consumer)`` so two consumers in one service can each process the same event.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Column
from sqlalchemy import DateTime
from sqlalchemy import MetaData
from sqlalchemy import String
from sqlalchemy import Table
from sqlalchemy import Uuid
from sqlalchemy import bindparam
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from yumiao_common.clock import utcnow

#: Rows per INSERT statement; keeps bound parameters far below SQLite's and PG's limits.
CHUNK = 1000


def define_inbox_table(metadata: MetaData, name: str = "inbox") -> Table:
    """The inbox table on a service's metadata (created by that service's migration)."""
    return Table(
        name,
        metadata,
        Column("message_id", Uuid, primary_key=True),
        Column("consumer", String(120), primary_key=True),
        Column("received_at", DateTime(timezone=True), nullable=False),
    )


def claim(session: Session, table: Table, message_id: uuid.UUID, consumer: str) -> bool:
    """True the first time ``consumer`` sees ``message_id``; False for a duplicate."""
    return bool(claim_many(session, table, [message_id], consumer))


def claim_many(
    session: Session, table: Table, message_ids: Iterable[uuid.UUID], consumer: str
) -> set[uuid.UUID]:
    """Claim many ids at once; returns the ids not seen before.

    ``INSERT … ON CONFLICT DO NOTHING RETURNING`` on both PostgreSQL and SQLite (≥ 3.35), so a
    concurrent claim of the same id by another transaction waits for it and then loses.
    """
    now = utcnow()
    unique = list(dict.fromkeys(message_ids))
    if not unique:
        return set()
    if session.get_bind().dialect.name == "postgresql":
        return _claim_unnest(session, table, unique, consumer, now)
    fresh: set[uuid.UUID] = set()
    for start in range(0, len(unique), CHUNK):
        rows = [
            {"message_id": mid, "consumer": consumer, "received_at": now}
            for mid in unique[start : start + CHUNK]
        ]
        stmt = _insert_ignore(session, table).values(rows).returning(table.c.message_id)
        fresh.update(session.execute(stmt).scalars())
    return fresh


def _claim_unnest(
    session: Session, table: Table, ids: list[uuid.UUID], consumer: str, now: datetime
) -> set[uuid.UUID]:
    """PostgreSQL: the whole claim as ONE statement with one ``uuid[]`` parameter.

    A multi-row ``VALUES`` of 1,000 rows is compiled afresh for every batch (SQLAlchemy cannot
    cache it) and carries 3,000 parameters; ``unnest`` keeps the statement text constant, so
    it is compiled once and the batch costs one array bind. Measured: ~6x cheaper per claim.
    """
    source = select(
        func.unnest(bindparam("ids", ids, type_=postgresql.ARRAY(Uuid))),
        bindparam("consumer", consumer, type_=String),
        bindparam("now", now, type_=DateTime(timezone=True)),
    )
    stmt = (
        postgresql.insert(table)
        .from_select(["message_id", "consumer", "received_at"], source)
        .on_conflict_do_nothing()
        .returning(table.c.message_id)
    )
    return set(session.execute(stmt).scalars())


def _insert_ignore(session: Session, table: Table) -> Any:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    raise RuntimeError(f"inbox: Yumiao runs on PostgreSQL and SQLite, not {dialect!r}")
