"""Bulk ``INSERT … ON CONFLICT DO NOTHING RETURNING`` on PostgreSQL and SQLite.

The consumer stores a whole batch of notices in a few statements (the ORM unit of work runs
at ~5k rows/s here), and the unique notice key turns any duplicate into a silent no-op that
the RETURNING clause reveals.

PostgreSQL: COPY the rows into a temporary table, then one ``INSERT … SELECT … ON CONFLICT
DO NOTHING RETURNING``. A multi-row VALUES statement of 30 columns x 1,000 rows spends more
time being built and parsed in Python than PostgreSQL spends inserting it; COPY does not.
SQLite: one cached executemany (SQLAlchemy's insertmanyvalues adds RETURNING).

``one_of`` is the set-membership test the batch queries use: on PostgreSQL ``col = ANY(:array)``
with ONE array parameter (a 1,000-element ``IN`` is expanded, compiled and parsed afresh for
every batch: ~25 ms of Python per query), ``IN`` on SQLite.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import ColumnElement
from sqlalchemy import Table
from sqlalchemy import any_
from sqlalchemy import bindparam
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session


def one_of(session: Session, column: Any, values: Sequence[Any]) -> ColumnElement[bool]:
    """``column IN values`` as one array parameter on PostgreSQL, a plain ``IN`` elsewhere."""
    if session.get_bind().dialect.name == "postgresql":
        array = bindparam(None, list(values), type_=postgresql.ARRAY(column.type))
        return column == any_(array)  # type: ignore[no-any-return]
    return column.in_(values)  # type: ignore[no-any-return]


def new_uuids(n: int) -> list[uuid.UUID]:
    """``n`` random (version 4) UUIDs from one ``os.urandom`` call instead of ``n``."""
    raw = os.urandom(16 * n)
    return [uuid.UUID(bytes=raw[i:i + 16], version=4) for i in range(0, 16 * n, 16)]


def insert_ignore(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], *, conflict: Sequence[str],
    returning: str,
) -> list[Any]:
    """Insert ``rows``; return ``returning``'s value for each row actually inserted."""
    if not rows:
        return []
    if session.get_bind().dialect.name == "postgresql":
        return _copy_insert(session, table, rows, conflict, returning)
    stmt = sqlite.insert(table).on_conflict_do_nothing(index_elements=conflict)
    result = session.execute(stmt.returning(table.c[returning]), list(rows))
    return list(result.scalars())


def _copy_insert(session: Session, table: Table, rows: Sequence[dict[str, Any]],
                 conflict: Sequence[str], returning: str) -> list[Any]:
    columns = [c.name for c in table.columns]
    json_cols = {c.name for c in table.columns if isinstance(c.type, JSON)}
    temp = f"tmp_{table.name}_{uuid.uuid4().hex[:8]}"
    names = ", ".join(f'"{c}"' for c in columns)
    raw: Any = session.connection().connection.dbapi_connection  # psycopg 3 Connection
    with raw.cursor() as cur:
        cur.execute(f'CREATE TEMP TABLE "{temp}" (LIKE "{table.name}" INCLUDING DEFAULTS) '
                    "ON COMMIT DROP")
        with cur.copy(f'COPY "{temp}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([json.dumps(row[c], ensure_ascii=False) if c in json_cols
                                else row[c] for c in columns])
        keys = ", ".join(f'"{c}"' for c in conflict)
        cur.execute(f'INSERT INTO "{table.name}" ({names}) SELECT {names} FROM "{temp}" '
                    f'ON CONFLICT ({keys}) DO NOTHING RETURNING "{returning}"')
        inserted = [r[0] for r in cur.fetchall()]
        cur.execute(f'DROP TABLE "{temp}"')
    return inserted
