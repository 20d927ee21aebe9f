"""Policy windows (issue 14 item 5): policy_windows (application batches), tier_standings
(notify's copy of scoring's latest verdict per firm and tier) and window_reminders (the ledger
that makes each window reminder go out once). Expand-only: three new tables.

Revision ID: 0007_notify_policy_windows
Revises: 0006_notify_sms_contacts
Create Date: 2026-12-06 09:58:28.199926
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007_notify_policy_windows'
down_revision: str | None = '0006_notify_sms_contacts'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('tier_standings',
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('tier', sa.String(length=40), nullable=False),
    sa.Column('verdict', sa.String(length=20), nullable=False),
    sa.Column('enterprise_name', sa.String(length=200), nullable=False),
    sa.Column('observed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('uscc', 'tier', name=op.f('pk_tier_standings'))
    )
    with op.batch_alter_table('tier_standings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tier_standings_verdict'), ['verdict'], unique=False)

    op.create_table('policy_windows',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('policy_id', sa.Uuid(), nullable=False),
    sa.Column('batch_zh', sa.String(length=100), nullable=False),
    sa.Column('batch_en', sa.String(length=100), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['policy_id'], ['policies.id'], name=op.f('fk_policy_windows_policy_id_policies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policy_windows'))
    )
    with op.batch_alter_table('policy_windows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_policy_windows_closes_on'), ['closes_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_policy_windows_opens_on'), ['opens_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_policy_windows_policy_id'), ['policy_id'], unique=False)

    op.create_table('window_reminders',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('policy_id', sa.Uuid(), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('milestone', sa.String(length=20), nullable=False),
    sa.Column('notice_id', sa.Uuid(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['policy_id'], ['policies.id'], name=op.f('fk_window_reminders_policy_id_policies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_window_reminders')),
    sa.UniqueConstraint('policy_id', 'opens_on', 'closes_on', 'uscc', 'milestone', name=op.f('uq_window_reminders_policy_id_opens_on_closes_on_uscc_milestone'))
    )
    with op.batch_alter_table('window_reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_window_reminders_policy_id'), ['policy_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('window_reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_window_reminders_policy_id'))

    op.drop_table('window_reminders')
    with op.batch_alter_table('policy_windows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_policy_windows_policy_id'))
        batch_op.drop_index(batch_op.f('ix_policy_windows_opens_on'))
        batch_op.drop_index(batch_op.f('ix_policy_windows_closes_on'))

    op.drop_table('policy_windows')
    with op.batch_alter_table('tier_standings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tier_standings_verdict'))

    op.drop_table('tier_standings')
