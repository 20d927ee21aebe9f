"""evaluation.result_digest: a digest of the stored answer's JSON text

Issue 16: a firm's second event re-evaluates every tier, and most answers come out the same.
With a digest of what is stored, the consumer reads verdicts and digests instead of every
~19 kB answer, and updates an unchanged row without ``result`` (PostgreSQL then keeps the
TOAST value instead of writing, and leaving behind, a new one). Expand only: a nullable
column; rows written before have none and count as changed until their next write.

Revision ID: a6f0c3d81e57
Revises: 5c2e8a1f7b93
Create Date: 2026-12-06 19:10:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'a6f0c3d81e57'
down_revision: str | None = '5c2e8a1f7b93'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('result_digest', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.drop_column('result_digest')
