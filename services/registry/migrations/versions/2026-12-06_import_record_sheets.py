"""import_job: the sheet a job imports (certifications, IP, pool memberships) and its notices

Issue 12 item 2. Expand only: a defaulted ``sheet`` (the previous release's jobs are all
``enterprises``), a defaulted ``skipped`` count and a nullable ``notices`` list.

Revision ID: 3c9e1f7a2b64
Revises: 8d2f6a4c1e57
Create Date: 2026-12-06 10:15:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '3c9e1f7a2b64'
down_revision: str | None = '8d2f6a4c1e57'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('import_job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sheet', sa.String(length=20),
                                      server_default='enterprises', nullable=False))
        batch_op.add_column(sa.Column('skipped', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('notices', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('import_job', schema=None) as batch_op:
        batch_op.drop_column('notices')
        batch_op.drop_column('skipped')
        batch_op.drop_column('sheet')
