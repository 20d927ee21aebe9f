"""parked_messages.replay_reason: why a replay was asked for

The parking ledger became common (registry and scoring keep one too) and a replay records who
asked and why. Expand only: one nullable column the previous release neither reads nor writes.

Revision ID: 0008_notify_parked_reason
Revises: 0007_notify_policy_windows
Create Date: 2026-12-06 11:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008_notify_parked_reason'
down_revision: str | None = '0007_notify_policy_windows'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('parked_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('replay_reason', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('parked_messages', schema=None) as batch_op:
        batch_op.drop_column('replay_reason')
