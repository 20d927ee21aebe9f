"""The import job: one row per upload, holding its state, progress, counts and errors.

State lives in the database (not in the worker's memory) so ``GET /imports/{id}`` answers
from any gunicorn worker. Statuses: ``queued`` → ``validating`` → ``writing`` → ``succeeded``
(``validated`` for a dry run) or ``failed`` (row errors, or a write refused by the database).
The final state of a committing job is written in the same transaction as the data, so a job
is ``succeeded`` exactly when its rows are there. The job runs in ``python -m registry.jobs``
(``JobLease``: the step queued and the lease of the worker running it); the upload waits for it
in ``import_upload`` and is deleted once the job has finished.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import LargeBinary
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from registry.models.base import Base
from yumiao_common.clock import utcnow
from yumiao_common.jobs import JobLease

FINISHED = frozenset({"succeeded", "validated", "failed"})


class ImportJob(JobLease, Base):
    """One bulk import (or dry run) of enterprises and their annual figures."""

    __tablename__ = "import_job"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    dry_run: Mapped[bool] = mapped_column(default=False)
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_kind: Mapped[str] = mapped_column(String(10))
    file_bytes: Mapped[int] = mapped_column(default=0)
    actor: Mapped[str] = mapped_column(String(200))
    request_id: Mapped[str | None] = mapped_column(String(128))
    #: data rows in the file (counted up front, so progress can be shown as a share)
    total_rows: Mapped[int | None]
    processed_rows: Mapped[int] = mapped_column(default=0)
    enterprises: Mapped[int] = mapped_column(default=0)
    financial_rows: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    error_count: Mapped[int] = mapped_column(default=0)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: What the file holds: ``enterprises`` (firms and yearly figures, the first import) or one
    #: of the record sheets (``certifications``, ``ip``, ``pools``; ``handlers.import_records``).
    sheet: Mapped[str] = mapped_column(String(20), default="enterprises",
                                       server_default="enterprises")
    #: Record sheets: rows left out on purpose (firm not in the registry, repeated row, record
    #: already on file), each reported with its row like an error but not blocking the commit.
    skipped: Mapped[int] = mapped_column(default=0, server_default="0")
    notices: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def notice_list(self) -> list[dict[str, Any]]:
        """The notices, an empty list for jobs that have none (every enterprise import)."""
        return self.notices or []


class ImportUpload(Base):
    """The uploaded file of a job, kept until a worker has run it (a restart reads it again)."""

    __tablename__ = "import_upload"

    job_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("import_job.id", ondelete="CASCADE"), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
