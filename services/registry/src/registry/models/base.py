"""The registry's declarative base, its metadata (with the shared outbox table) and small helpers.

All registry tables hang off one ``Base`` whose metadata carries Yumiao's naming convention,
so Alembic autogenerate names every constraint identically on SQLite and PostgreSQL. The
outbox table comes from ``yumiao_common.messaging.outbox`` so the shared relay can read it;
it lives in this metadata because the event must commit in the same transaction as the change.
"""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.orm import DeclarativeBase

from yumiao_common.db.engine import make_metadata
from yumiao_common.messaging.outbox import define_outbox_table


class Base(DeclarativeBase):
    """Base of every registry model."""

    metadata = make_metadata()


outbox_table: Table = define_outbox_table(Base.metadata)
