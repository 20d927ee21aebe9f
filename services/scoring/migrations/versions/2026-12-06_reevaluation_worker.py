"""reevaluation: worker lease columns

Re-evaluations move from threads of the web worker to ``python -m scoring.jobs`` (issue 11).
Expand only: nullable or defaulted columns.

Revision ID: 3f6a1c8e2d47
Revises: e2c18fdf5329
Create Date: 2026-12-06 07:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '3f6a1c8e2d47'
down_revision: str | None = 'e2c18fdf5329'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('reevaluation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('run_step', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('run_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('run_attempts', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('lease_owner', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_reevaluation_run_step'), ['run_step'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('reevaluation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reevaluation_run_step'))
        batch_op.drop_column('lease_until')
        batch_op.drop_column('lease_owner')
        batch_op.drop_column('run_attempts')
        batch_op.drop_column('run_by')
        batch_op.drop_column('run_step')
