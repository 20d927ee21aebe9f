"""notices and deliveries record the correlation id of the change that caused them

``correlation_id`` is the X-Request-ID the change was made under, carried by the events as
their correlation id; rows written before stay null (unknown).

Revision ID: 0004_notify_correlation_ids
Revises: 0003_notify_coarse_failures
Create Date: 2026-12-06 05:50:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004_notify_correlation_ids'
down_revision: str | None = '0003_notify_coarse_failures'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('notices', sa.Column('correlation_id', sa.String(length=120), nullable=True))
    op.add_column('deliveries', sa.Column('correlation_id', sa.String(length=120), nullable=True))


def downgrade() -> None:
    op.drop_column('deliveries', 'correlation_id')
    op.drop_column('notices', 'correlation_id')
