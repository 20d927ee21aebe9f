"""Invitations, one-time secrets (set-password links, reset codes) and sign-in history.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 10:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'invitations',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('account_id', sa.Uuid(), nullable=False),
        sa.Column('uscc', sa.String(length=18), nullable=False),
        sa.Column('enterprise_name', sa.String(length=200), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('channel', sa.String(length=8), nullable=True),
        sa.Column('sent_to', sa.String(length=120), nullable=True),
        sa.Column('message_id', sa.Uuid(), nullable=True),
        sa.Column('sends', sa.Integer(), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_by', sa.String(length=120), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'],
                                name=op.f('fk_invitations_account_id_accounts'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
        sa.UniqueConstraint('account_id', name=op.f('uq_invitations_account_id')),
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitations_uscc'), ['uscc'], unique=False)
    op.create_table(
        'one_time_secrets',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('account_id', sa.Uuid(), nullable=False),
        sa.Column('purpose', sa.String(length=16), nullable=False),
        sa.Column('form', sa.String(length=8), nullable=False),
        sa.Column('secret_hash', sa.String(length=64), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('failed_attempts', sa.Integer(), nullable=False),
        sa.Column('created_by', sa.String(length=120), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'],
                                name=op.f('fk_one_time_secrets_account_id_accounts'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_one_time_secrets')),
        sa.UniqueConstraint('secret_hash', name=op.f('uq_one_time_secrets_secret_hash')),
    )
    with op.batch_alter_table('one_time_secrets', schema=None) as batch_op:
        batch_op.create_index('ix_one_time_secrets_account_purpose', ['account_id', 'purpose'],
                              unique=False)
    op.create_table(
        'sign_ins',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('account_id', sa.Uuid(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ip', sa.String(length=64), nullable=False),
        sa.Column('success', sa.Boolean(), nullable=False),
        sa.Column('method', sa.String(length=16), nullable=False),
        sa.Column('user_agent', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'],
                                name=op.f('fk_sign_ins_account_id_accounts'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_ins')),
    )
    with op.batch_alter_table('sign_ins', schema=None) as batch_op:
        batch_op.create_index('ix_sign_ins_account_at', ['account_id', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sign_ins', schema=None) as batch_op:
        batch_op.drop_index('ix_sign_ins_account_at')
    op.drop_table('sign_ins')
    with op.batch_alter_table('one_time_secrets', schema=None) as batch_op:
        batch_op.drop_index('ix_one_time_secrets_account_purpose')
    op.drop_table('one_time_secrets')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_uscc'))
        batch_op.drop_index(batch_op.f('ix_invitations_status'))
    op.drop_table('invitations')
