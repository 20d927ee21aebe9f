"""ranking filter indexes: evaluation (tier, verdict, uscc), enterprise_profile (town_code, uscc)

Issue 16: at 100,000 firms a ranking filtered by town and verdict counted its firms by reading
every profile of the town and then each one's evaluation row (~4,000 heap visits, 40–80 ms a
request on a busy machine); with both keys in the indexes the count is a merge of two
index-only scans (~10 ms), and a verdict filter alone counts from the index. The town index
gains the key column (it replaces ``ix_enterprise_profile_town_code``, which no code names:
every lookup by town is served by the new one). Expand only: indexes.

Revision ID: 5c2e8a1f7b93
Revises: 9b41c7e5a2d0
Create Date: 2026-12-06 17:15:00
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '5c2e8a1f7b93'
down_revision: str | None = '9b41c7e5a2d0'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_evaluation_tier_verdict', 'evaluation', ['tier', 'verdict', 'uscc'])
    op.create_index('ix_enterprise_profile_town_uscc', 'enterprise_profile',
                    ['town_code', 'uscc'])
    op.drop_index('ix_enterprise_profile_town_code', table_name='enterprise_profile')


def downgrade() -> None:
    op.create_index('ix_enterprise_profile_town_code', 'enterprise_profile', ['town_code'])
    op.drop_index('ix_enterprise_profile_town_uscc', table_name='enterprise_profile')
    op.drop_index('ix_evaluation_tier_verdict', table_name='evaluation')
