"""problem: a due date (问题清单 answered by when)

Issue 12 item 5: a problem raised is put on the list with the day the bureau means to have it
answered. Expand only: one nullable column the previous release neither reads nor writes.

Revision ID: 3c9f5e1a7d42
Revises: 2f7c9a4e1b63
Create Date: 2026-12-06 13:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3c9f5e1a7d42"
down_revision: str | None = "2f7c9a4e1b63"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("problem", schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("problem", schema=None) as batch_op:
        batch_op.drop_column("due_on")
