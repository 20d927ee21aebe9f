"""A firm's own yearly report (issue 15) and the evidence files attached to it.

A ``Submission`` holds what the firm filed for one fiscal year as JSON (``content``: the year's
figures, its compliance flags and the new IP, awards, institutions and standards it reports),
the bureau's decisions per field, and what of it has been written into the registry
(``applied``: field path → value, so an item accepted in a first review is not created again
when the firm resubmits the fields that were returned).

One firm has at most one *open* submission (draft, submitted or returned) a year:
``open_year`` is the year while open and NULL once closed, and (enterprise, open_year) is
unique — NULLs never collide on SQLite or PostgreSQL, so closed submissions pile up freely.

``SubmissionEvidence`` is one uploaded file: its bytes live in the evidence store
(``adapters/files/evidence_store``, a local volume or S3) under ``storage_key``; the row keeps
the type sniffed from the content, the size and the SHA-256 checked on every read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import Boolean
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from registry.models.base import Base
from yumiao_common.clock import utcnow


class Submission(Base):
    """One firm's report of one fiscal year, from draft to the bureau's decision."""

    __tablename__ = "submission"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "open_year"),
        # The bureau's queue: submitted ones, oldest first.
        Index("ix_submission_status_submitted_at", "status", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    year: Mapped[int]
    #: The year while the submission is open (draft, submitted, returned); NULL once closed.
    open_year: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(20), default="draft")
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: Every decision taken, oldest first: {field, outcome, reason, reviewer, decided_at}.
    decisions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: Field path → the value written into the registry when it was accepted.
    applied: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    review_note: Mapped[str | None] = mapped_column(String(1000))
    created_by: Mapped[str] = mapped_column(String(200))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    __mapper_args__ = {"version_id_col": version}


class SubmissionEvidence(Base):
    """One evidence file of a submission, attached to one item (a field path or "general")."""

    __tablename__ = "submission_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), index=True
    )
    #: The firm's credit code, kept on the row so no read can serve one firm's file to another.
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    item: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(300), unique=True)
    #: Whether the configured scan command passed the file (False: no scanner configured).
    scanned: Mapped[bool] = mapped_column(Boolean, default=False)
    uploaded_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
