"""parked_messages: registry's parking ledger

Issue 14 item 6: the bureau inspects and replays the messages registry's consumer parked, as it
does notify's (the shared ``yumiao_common.parking`` table). Expand only: one new table the
previous release neither reads nor writes.

Revision ID: c4e8a2f61d05
Revises: 6a1d4c8e2f93
Create Date: 2026-12-06 11:05:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c4e8a2f61d05'
down_revision: str | None = '6a1d4c8e2f93'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('parked_messages',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('message_id', sa.String(length=100), nullable=False),
    sa.Column('source_queue', sa.String(length=200), nullable=False),
    sa.Column('routing_key', sa.String(length=200), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('headers', sa.JSON(), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('replay_requested_by', sa.String(length=200), nullable=True),
    sa.Column('replay_reason', sa.Text(), nullable=True),
    sa.Column('parked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('replayed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parked_messages')),
    sa.UniqueConstraint('message_id', name=op.f('uq_parked_messages_message_id'))
    )


def downgrade() -> None:
    op.drop_table('parked_messages')
