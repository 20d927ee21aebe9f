"""SMS and contacts (issue 14): deliveries gain a recipient (a contact), the provider's message
id and the receipt time; one delivery per (notice, channel, recipient); contact_lists holds the
registry's contact snapshots, sms_usage the daily SMS counts.

Expand-safe: the previous release writes one delivery per (notice, channel) with the default
empty recipient, which the wider unique key still admits and still dedupes.

Revision ID: 0006_notify_sms_contacts
Revises: 0005_notify_notices_by_corr
Create Date: 2026-12-06 07:40:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006_notify_sms_contacts'
down_revision: str | None = '0005_notify_notices_by_corr'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recipient', sa.String(length=40), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('provider_ref', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('receipt_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint('uq_deliveries_notice_id_channel', type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_deliveries_notice_id_channel_recipient'),
            ['notice_id', 'channel', 'recipient'])
        batch_op.create_index(batch_op.f('ix_deliveries_provider_ref'), ['provider_ref'],
                              unique=False)
    op.create_table(
        'contact_lists',
        sa.Column('uscc', sa.String(length=18), nullable=False),
        sa.Column('enterprise_name', sa.String(length=200), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('contacts', sa.JSON(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('uscc', name=op.f('pk_contact_lists')),
    )
    op.create_table(
        'sms_usage',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('key', sa.String(length=11), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('day', 'key', name=op.f('pk_sms_usage')),
    )


def downgrade() -> None:
    op.drop_table('sms_usage')
    op.drop_table('contact_lists')
    # Back to one delivery per (notice, channel): contacts' deliveries go with their feature.
    op.execute("DELETE FROM deliveries WHERE recipient <> ''")
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliveries_provider_ref'))
        batch_op.drop_constraint('uq_deliveries_notice_id_channel_recipient', type_='unique')
        batch_op.create_unique_constraint('uq_deliveries_notice_id_channel',
                                          ['notice_id', 'channel'])
        batch_op.drop_column('receipt_at')
        batch_op.drop_column('provider_ref')
        batch_op.drop_column('recipient')
