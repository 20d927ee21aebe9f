"""enterprise_contact: contact persons with consent and opt-out per channel (issue 14 item 1);
enterprise.contacts_version orders the contact snapshots the registry publishes. Expand only.

Revision ID: 3c6f0a8e2b14
Revises: f1a6b79f4eb5
Create Date: 2026-12-06 07:20:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '3c6f0a8e2b14'
down_revision: str | None = 'f1a6b79f4eb5'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'enterprise_contact',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('enterprise_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('role', sa.String(length=100), nullable=True),
        sa.Column('mobile', sa.String(length=11), nullable=True),
        sa.Column('email', sa.String(length=254), nullable=True),
        sa.Column('sms_consent', sa.Boolean(), nullable=False),
        sa.Column('sms_opt_out', sa.Boolean(), nullable=False),
        sa.Column('email_consent', sa.Boolean(), nullable=False),
        sa.Column('email_opt_out', sa.Boolean(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'],
                                name=op.f('fk_enterprise_contact_enterprise_id_enterprise'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprise_contact')),
    )
    with op.batch_alter_table('enterprise_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprise_contact_enterprise_id'),
                              ['enterprise_id'], unique=False)
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contacts_version', sa.Integer(), server_default='0',
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.drop_column('contacts_version')
    with op.batch_alter_table('enterprise_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_contact_enterprise_id'))
    op.drop_table('enterprise_contact')
