"""import_job: worker lease columns; import_upload: the file until a worker has run it

Imports move from threads of the web worker to ``python -m registry.jobs`` (issue 11).
Expand only: nullable or defaulted columns and a new table.

Revision ID: 5b0e9d3c7a21
Revises: 9e4a7c2d1f30
Create Date: 2026-12-06 07:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '5b0e9d3c7a21'
down_revision: str | None = '9e4a7c2d1f30'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('import_job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('run_step', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('run_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('run_attempts', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('lease_owner', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_import_job_run_step'), ['run_step'], unique=False)
    op.create_table(
        'import_upload',
        sa.Column('job_id', sa.Uuid(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['job_id'], ['import_job.id'],
                                name=op.f('fk_import_upload_job_id_import_job'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('job_id', name=op.f('pk_import_upload')),
    )


def downgrade() -> None:
    op.drop_table('import_upload')
    with op.batch_alter_table('import_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_job_run_step'))
        batch_op.drop_column('lease_until')
        batch_op.drop_column('lease_owner')
        batch_op.drop_column('run_attempts')
        batch_op.drop_column('run_by')
        batch_op.drop_column('run_step')
