"""enterprise: restricted_products flag, srdi_dev_score_prev, product fields and quality items
nullable (missing is not empty)

* ``restricted_products``: the MIIT general condition "products not of a prohibited,
  restricted or obsolete category" (63号 第五条); null = not known.
* ``srdi_dev_score_prev``: the previous year's 专精特新 platform score (2026 re-reviews).
* ``main_product_fields`` and ``quality_items`` become nullable: null = never recorded
  (unknown), ``[]`` = recorded as none. The old registry wrote ``[]`` for every firm whose
  lists were never recorded, and an explicit "none" cannot be told apart from that default,
  so existing ``[]`` rows become null (unknown); non-empty lists are kept as they are. A
  wrong "none" fails gates a firm may pass; unknown asks for the answer instead.

Revision ID: 5b8e2d91c4a7
Revises: 7c3f1e52b8d4
Create Date: 2026-12-06 04:40:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '5b8e2d91c4a7'
down_revision: str | None = '7c3f1e52b8d4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LISTS = ('main_product_fields', 'quality_items')


def upgrade() -> None:
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.add_column(sa.Column('restricted_products', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('srdi_dev_score_prev', sa.Numeric(6, 2), nullable=True))
        for name in _LISTS:
            batch_op.alter_column(name, existing_type=sa.JSON(), nullable=True)
    for name in _LISTS:
        op.execute(f"UPDATE enterprise SET {name} = NULL WHERE CAST({name} AS TEXT) = '[]'")


def downgrade() -> None:
    for name in _LISTS:
        op.execute(f"UPDATE enterprise SET {name} = '[]' WHERE {name} IS NULL"
                   f" OR CAST({name} AS TEXT) = 'null'")
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        for name in _LISTS:
            batch_op.alter_column(name, existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column('srdi_dev_score_prev')
        batch_op.drop_column('restricted_products')
