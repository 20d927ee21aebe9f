"""Bulk row writing for the import: psycopg ``COPY`` on PostgreSQL, Core executemany elsewhere.

COPY is several times faster than executemany on PostgreSQL (architecture.md: ~264k vs ~74k
rows/s) and is safe here because the rows are already validated and typed; it runs on the
session's own connection, so it is part of the job's single transaction. JSON columns are
rendered to text once by the caller; ``raw_json`` hands that text to COPY as is and parses
it back for executemany (whose JSON type serialises objects itself).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence
from typing import Any

from psycopg import sql
from sqlalchemy import BigInteger
from sqlalchemy import Boolean
from sqlalchemy import Connection
from sqlalchemy import Date
from sqlalchemy import DateTime
from sqlalchemy import Integer
from sqlalchemy import Numeric
from sqlalchemy import Table
from sqlalchemy import Uuid
from sqlalchemy import insert
from sqlalchemy import text

EXECUTEMANY_BATCH = 5000


def is_postgres(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def raw_json(conn: Connection) -> Callable[[str], Any]:
    """For JSON already rendered as text: kept as text for COPY, parsed back otherwise."""
    if is_postgres(conn):
        return lambda text_value: text_value
    return json.loads


def bulk_insert(
    conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert ``rows`` (tuples in ``columns`` order) into ``table``; returns the count."""
    if is_postgres(conn):
        return _copy(conn, table, columns, rows)
    count = 0
    batch: list[dict[str, Any]] = []
    statement = insert(table)
    for row in rows:
        batch.append(dict(zip(columns, row, strict=True)))
        if len(batch) >= EXECUTEMANY_BATCH:
            conn.execute(statement, batch)
            count += len(batch)
            batch = []
    if batch:
        conn.execute(statement, batch)
        count += len(batch)
    return count


def _pg_type(column: Any) -> str:
    """The binary wire type of a column. JSON travels as text: the JSON is rendered already,
    and ``json``'s binary input is just its text (psycopg's json dumper would encode again)."""
    kind = column.type
    if isinstance(kind, BigInteger):
        return "int8"
    if isinstance(kind, Integer):
        return "int4"
    for cls, name in ((Boolean, "bool"), (DateTime, "timestamptz"), (Date, "date"),
                      (Numeric, "numeric"), (Uuid, "uuid")):
        if isinstance(kind, cls):
            return name
    return "text"  # String, Text, JSON


def _copy(
    conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Binary COPY: no integer-to-text on our side, no text parsing on the server's, and no
    escaping of the large JSON documents in either direction."""
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns)))
    driver = conn.connection.driver_connection
    assert driver is not None
    count = 0
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        copy.set_types([_pg_type(table.c[name]) for name in columns])
        write = copy.write_row
        for row in rows:
            write(row)
            count += 1
    return count


def reserve_ids(conn: Connection, table: Table, n: int) -> list[int]:
    """``n`` fresh primary keys from the table's sequence (PostgreSQL), for rows sent by COPY."""
    result = conn.execute(
        text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
        {"table": table.name, "n": n},
    )
    return [row[0] for row in result]
