"""index notices by correlation id (the bureau lists the notices one request caused)

Revision ID: 0005_notify_notices_by_corr
Revises: 0004_notify_correlation_ids
Create Date: 2026-12-06 05:45:00
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0005_notify_notices_by_corr'
down_revision: str | None = '0004_notify_correlation_ids'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_notices_correlation_id', 'notices', ['correlation_id'])


def downgrade() -> None:
    op.drop_index('ix_notices_correlation_id', table_name='notices')
