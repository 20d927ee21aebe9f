"""submission, submission_evidence: firms' own yearly reports and their evidence files
(issue 15). Expand only: two new tables nothing of the previous release reads.

Revision ID: 2f7c9a4e1b63
Revises: 7b3e9d2c5a18
Create Date: 2026-12-06 13:10:26.772577
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2f7c9a4e1b63"
down_revision: str | None = "7b3e9d2c5a18"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("open_year", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("decisions", sa.JSON(), nullable=False),
        sa.Column("applied", sa.JSON(), nullable=False),
        sa.Column("review_note", sa.String(length=1000), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sa.String(length=200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprise.id"],
            name=op.f("fk_submission_enterprise_id_enterprise"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission")),
        sa.UniqueConstraint(
            "enterprise_id", "open_year", name=op.f("uq_submission_enterprise_id_open_year")
        ),
    )
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_submission_enterprise_id"), ["enterprise_id"], unique=False
        )
        batch_op.create_index(
            "ix_submission_status_submitted_at", ["status", "submitted_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_submission_uscc"), ["uscc"], unique=False)

    op.create_table(
        "submission_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("item", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=300), nullable=False),
        sa.Column("scanned", sa.Boolean(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
            name=op.f("fk_submission_evidence_submission_id_submission"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission_evidence")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_submission_evidence_storage_key")),
    )
    with op.batch_alter_table("submission_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_submission_evidence_submission_id"), ["submission_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_submission_evidence_uscc"), ["uscc"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("submission_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submission_evidence_uscc"))
        batch_op.drop_index(batch_op.f("ix_submission_evidence_submission_id"))

    op.drop_table("submission_evidence")
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submission_uscc"))
        batch_op.drop_index("ix_submission_status_submitted_at")
        batch_op.drop_index(batch_op.f("ix_submission_enterprise_id"))

    op.drop_table("submission")
