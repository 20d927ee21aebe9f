"""evaluation.result and enterprise_profile.profile: lz4 TOAST compression on PostgreSQL

Issue 16: an evaluation's stored answer is ~19 kB of JSON, so a drain of 10,000 firms hands
PostgreSQL ~1.5 GB to compress; pglz (the default) made that most of the database's share of
the scoring consumer's time, lz4 is ~2.5x cheaper for the same size on disk. Rows written
before keep their pglz values (both are read alike). Storage only: nothing reads or writes
differently, so it is a safe expand; SQLite, and a server built without lz4, are left as they
are.

Revision ID: 9b41c7e5a2d0
Revises: d7a3f9b2e614
Create Date: 2026-12-06 16:40:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '9b41c7e5a2d0'
down_revision: str | None = 'd7a3f9b2e614'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (('evaluation', 'result'), ('enterprise_profile', 'profile'))


def _lz4_available() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return False
    return bool(bind.scalar(sa.text(
        "SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
        "WHERE name = 'default_toast_compression'")))


def upgrade() -> None:
    if _lz4_available():
        for table, column in COLUMNS:
            op.execute(f'ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION lz4')


def downgrade() -> None:
    if _lz4_available():
        for table, column in COLUMNS:
            op.execute(f'ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION default')
