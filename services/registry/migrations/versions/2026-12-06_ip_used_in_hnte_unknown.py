"""ip_asset.used_in_hnte nullable: NULL = not known whether a Class II item was already used in
an HNTE recognition (issue 8 review item 1). Existing rows keep their values: the API accepted
an explicit false, and a value the bureau stated cannot be told from one that was defaulted, so
none is erased; new rows without the field stay NULL (unknown).

Revision ID: 9e4a7c2d1f30
Revises: 5b8e2d91c4a7
Create Date: 2026-12-06 05:10:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '9e4a7c2d1f30'
down_revision: str | None = '5b8e2d91c4a7'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('ip_asset', schema=None) as batch_op:
        batch_op.alter_column('used_in_hnte', existing_type=sa.Boolean(), nullable=True)


def downgrade() -> None:
    # NOT NULL again: an unknown use goes back to the old default (false).
    op.execute("UPDATE ip_asset SET used_in_hnte = false WHERE used_in_hnte IS NULL")
    with op.batch_alter_table('ip_asset', schema=None) as batch_op:
        batch_op.alter_column('used_in_hnte', existing_type=sa.Boolean(), nullable=False)
