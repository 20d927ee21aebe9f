"""enterprise.tax_evasion: the MIIT general condition "no tax evasion in three years"

Revision ID: 7c3f1e52b8d4
Revises: d41e7c0a9b12
Create Date: 2026-12-06 04:20:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '7c3f1e52b8d4'
down_revision: str | None = 'd41e7c0a9b12'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tax_evasion', sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.drop_column('tax_evasion')
