"""enterprise.reviews: recorded outcomes of the criteria experts or the bureau review

Revision ID: d41e7c0a9b12
Revises: a2ba02eaf9a1
Create Date: 2026-11-29 07:20:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'd41e7c0a9b12'
down_revision: str | None = 'a2ba02eaf9a1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reviews', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.drop_column('reviews')
