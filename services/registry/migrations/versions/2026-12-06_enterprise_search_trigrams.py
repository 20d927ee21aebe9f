"""enterprise search: trigram indexes on the name and the credit code (PostgreSQL only)

Issue 12 item 7: the enterprise list's search matches a fragment anywhere in the name
(``ILIKE '%…%'``) or the start of the credit code; at 100,000 firms that read every row twice a
page (the page and its total). pg_trgm GIN indexes serve both patterns (the ILIKE and the
prefix LIKE, joined by a BitmapOr) with parameters bound, as psycopg prepares them. Expand
only: two new indexes the previous release's queries simply use or ignore. SQLite (dev and
tests) keeps scanning: nothing to do there.

pg_trgm is a trusted extension (PostgreSQL 13 and later): the database's owner role — the one
the migration connects as (docs/operations.md, "Database roles") — may create it. Where it may
not (an older server, a role without CREATE on the database), the migration stops with a
message saying what a superuser runs once; it does not carry on without the indexes, which
would leave the list silently slow.

Revision ID: 7b3e9d2c5a18
Revises: c4e8a2f61d05
Create Date: 2026-12-06 11:20:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '7b3e9d2c5a18'
down_revision: str | None = 'c4e8a2f61d05'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEEDS_PG_TRGM = (
    "registry migration 7b3e9d2c5a18 needs the PostgreSQL extension pg_trgm (trigram indexes "
    "for the enterprise search) and the migration role could not create it: {error}. Run once, "
    "as a superuser, in the registry database: CREATE EXTENSION IF NOT EXISTS pg_trgm; then "
    "run the migration again (docs/operations.md, 'Database roles')."
)


def _ensure_pg_trgm() -> None:
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).scalar():
        return  # created before (by this migration or a superuser): no privilege needed
    try:
        bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as exc:
        said = " ".join(str(exc.orig).split()).rstrip(".")
        raise RuntimeError(NEEDS_PG_TRGM.format(error=said)) from exc


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _ensure_pg_trgm()
    op.create_index('ix_enterprise_name_trgm', 'enterprise', ['name'], unique=False,
                    postgresql_using='gin', postgresql_ops={'name': 'gin_trgm_ops'})
    op.create_index('ix_enterprise_uscc_trgm', 'enterprise', ['uscc'], unique=False,
                    postgresql_using='gin', postgresql_ops={'uscc': 'gin_trgm_ops'})


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index('ix_enterprise_uscc_trgm', table_name='enterprise')
    op.drop_index('ix_enterprise_name_trgm', table_name='enterprise')
    # pg_trgm stays: dropping an extension needs its owner, and it costs nothing unused.
