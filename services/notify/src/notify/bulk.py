"""Bulk ``INSERT … ON CONFLICT DO NOTHING RETURNING`` on PostgreSQL and SQLite.

The consumer stores a whole batch of notices in a few statements (the ORM unit of work runs
at ~5k rows/s here; Core multi-row inserts are an order of magnitude faster), and the unique
notice key turns any duplicate into a silent no-op that the RETURNING clause reveals.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

#: Rows per statement: ~30 columns x 500 stays under SQLite's 32,766 bound parameters.
CHUNK = 500


def insert_ignore(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], *, conflict: Sequence[str],
    returning: str,
) -> list[Any]:
    """Insert ``rows``; return ``returning``'s value for each row actually inserted."""
    dialect = session.get_bind().dialect.name
    out: list[Any] = []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        if dialect == "postgresql":
            stmt: Any = postgresql.insert(table).on_conflict_do_nothing(index_elements=conflict)
        else:
            stmt = sqlite.insert(table).on_conflict_do_nothing(index_elements=conflict)
        out.extend(session.execute(stmt.values(chunk).returning(table.c[returning])).scalars())
    return out
