"""reevaluation: the overrides a preview was computed on

An activation applies its change on exactly the parameter set its preview saw, or refuses
(issue 11, correctness under replicas). Expand only: a nullable column.

Revision ID: 8b1d4e7a9c20
Revises: 3f6a1c8e2d47
Create Date: 2026-12-06 08:30:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '8b1d4e7a9c20'
down_revision: str | None = '3f6a1c8e2d47'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('reevaluation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previewed_overrides', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('reevaluation', schema=None) as batch_op:
        batch_op.drop_column('previewed_overrides')
