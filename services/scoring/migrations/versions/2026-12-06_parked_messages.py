"""parked_messages: scoring's parking ledger

Issue 14 item 6: the bureau inspects and replays the messages scoring's consumer parked, as it
does notify's (the shared ``yumiao_common.parking`` table). Expand only: one new table the
previous release neither reads nor writes.

Revision ID: d7a3f9b2e614
Revises: 8b1d4e7a9c20
Create Date: 2026-12-06 11:05:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'd7a3f9b2e614'
down_revision: str | None = '8b1d4e7a9c20'
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
