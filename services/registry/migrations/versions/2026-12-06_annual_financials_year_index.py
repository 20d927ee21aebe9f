"""annual_financials: an index by year (with the firm and its R&D expense)

Issue 13 item 5: the progress report's like-for-like R&D growth reads one year's and the
year before's R&D expense per firm; by year, with the firm and the figure in the index, that is
an index-only read, and the running year (mostly not filed yet) is found empty at once instead
of by scanning every firm's every year. Expand only: an index, which the previous release
ignores.

Revision ID: 6a1d4c8e2f93
Revises: 3c9e1f7a2b64
Create Date: 2026-12-06 10:20:00
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '6a1d4c8e2f93'
down_revision: str | None = '3c9e1f7a2b64'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_annual_financials_year_rd', 'annual_financials',
                    ['year', 'enterprise_id', 'rd_expense'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_annual_financials_year_rd', table_name='annual_financials')
