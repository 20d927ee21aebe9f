"""plans, indicators, year-end snapshots, corrections and their journal; seeds the 2023–2025 plan

Monitoring against targets (plan item 129, issue 13). Expand only: new tables. The seeded plan
is the district's 2023–2025 action plan (征求意见稿, which carries no document number) with
the targets its items 8, 9 and 65 name; the bureau types baselines and town splits in the UI.

Revision ID: 8d2f6a4c1e57
Revises: 3c6f0a8e2b14
Create Date: 2026-12-06 07:30:00
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision: str = '8d2f6a4c1e57'
down_revision: str | None = '3c6f0a8e2b14'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PLAN_TITLE = ("东昌府区深化新旧动能转换推进绿色低碳高质量发展三年行动计划（2023-2025年）"
              "（征求意见稿）")
#: (measure, final target, yearly targets, note)
SEED: tuple[tuple[str, str | None, dict[str, str], str], ...] = (
    ("hnte_held", "120", {}, "第8条：到2025年力争高新技术企业达到120家"),
    ("srdi_provincial_held", "35", {}, "第8条：省级以上“专精特新”企业达到35家"),
    ("tech_sme_registered", "150", {}, "第9条：全区科技型中小企业突破150家"),
    ("agri_leader_new", "20", {}, "第65条：新增农业产业化龙头企业20家"),
    ("reserve_admitted", "20", {"2023": "20", "2024": "20", "2025": "20"},
     "第9条：每年动态储备20家左右后备潜力企业"),
    ("rd_growth", "15", {"2023": "15", "2024": "15", "2025": "15"},
     "研发费用年均增长不低于15%"),
    ("innovation_platforms", None, {}, "计划未定量，跟踪监测 / no figure in the plan: tracked"),
)


def upgrade() -> None:
    plan = op.create_table(
        'plan',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('document_number', sa.String(length=100), nullable=True),
        sa.Column('start_year', sa.Integer(), nullable=False),
        sa.Column('end_year', sa.Integer(), nullable=False),
        sa.Column('created_by', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan')),
    )
    indicator = op.create_table(
        'plan_indicator',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('measure', sa.String(length=40), nullable=False),
        sa.Column('baseline', sa.Numeric(precision=20, scale=2), nullable=True),
        sa.Column('final_target', sa.Numeric(precision=20, scale=2), nullable=True),
        sa.Column('yearly_targets', sa.JSON(), nullable=False),
        sa.Column('town_targets', sa.JSON(), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['plan_id'], ['plan.id'],
                                name=op.f('fk_plan_indicator_plan_id_plan'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_indicator')),
        sa.UniqueConstraint('plan_id', 'measure', name=op.f('uq_plan_indicator_plan_id_measure')),
    )
    op.create_index(op.f('ix_plan_indicator_plan_id'), 'plan_indicator', ['plan_id'],
                    unique=False)
    op.create_table(
        'monitoring_audit',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('entity', sa.String(length=40), nullable=False),
        sa.Column('entity_id', sa.Integer(), nullable=True),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('actor', sa.String(length=200), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('request_id', sa.String(length=128), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_audit')),
    )
    op.create_table(
        'year_snapshot',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('as_of', sa.Date(), nullable=False),
        sa.Column('taken_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('taken_by', sa.String(length=200), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('figures', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_year_snapshot')),
        sa.UniqueConstraint('year', name=op.f('uq_year_snapshot_year')),
    )
    op.create_table(
        'snapshot_correction',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('snapshot_id', sa.Integer(), nullable=False),
        sa.Column('measure', sa.String(length=40), nullable=False),
        sa.Column('town_code', sa.String(length=9), nullable=True),
        sa.Column('from_value', sa.String(length=40), nullable=True),
        sa.Column('to_value', sa.String(length=40), nullable=False),
        sa.Column('actor', sa.String(length=200), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['snapshot_id'], ['year_snapshot.id'],
                                name=op.f('fk_snapshot_correction_snapshot_id_year_snapshot'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_snapshot_correction')),
    )
    op.create_index(op.f('ix_snapshot_correction_snapshot_id'), 'snapshot_correction',
                    ['snapshot_id'], unique=False)
    now = datetime.now(UTC)
    op.bulk_insert(plan, [{"id": 1, "title": PLAN_TITLE, "document_number": None,
                           "start_year": 2023, "end_year": 2025, "created_by": "system:migration",
                           "created_at": now, "updated_at": now, "version": 1}])
    op.bulk_insert(indicator, [
        {"plan_id": 1, "position": position, "measure": measure,
         "baseline": None, "final_target": None if final is None else Decimal(final),
         "yearly_targets": yearly, "town_targets": {}, "note": note}
        for position, (measure, final, yearly, note) in enumerate(SEED)])
    if op.get_bind().dialect.name == "postgresql":  # the explicit id must not collide later
        op.execute("SELECT setval(pg_get_serial_sequence('plan', 'id'), 1)")


def downgrade() -> None:
    op.drop_index(op.f('ix_snapshot_correction_snapshot_id'), table_name='snapshot_correction')
    op.drop_table('snapshot_correction')
    op.drop_table('year_snapshot')
    op.drop_table('monitoring_audit')
    op.drop_index(op.f('ix_plan_indicator_plan_id'), table_name='plan_indicator')
    op.drop_table('plan_indicator')
    op.drop_table('plan')
