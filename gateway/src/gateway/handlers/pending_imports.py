"""Checked import files waiting for "确认导入" (see ``gateway.models.pending_imports``).

Use cases take a Session and never commit (the page does). Files older than a day are
dropped whenever a new one is kept, so the table never grows with abandoned checks.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from gateway.models import PendingImport
from yumiao_common.clock import utcnow

KEEP_FOR = timedelta(days=1)


def keep(session: Session, *, job_id: str, file_name: str, content: bytes,
         uploaded_by: str) -> None:
    """Keep the file of the check ``job_id`` (and forget checks older than a day)."""
    session.execute(delete(PendingImport).where(PendingImport.created_at
                                                < utcnow() - KEEP_FOR))
    session.add(PendingImport(job_id=job_id, file_name=file_name, content=content,
                              uploaded_by=uploaded_by))


def waiting(session: Session, job_id: str) -> bool:
    """Whether the file of check ``job_id`` is still kept (it can be committed)."""
    return session.get(PendingImport, job_id) is not None


def take(session: Session, job_id: str) -> PendingImport | None:
    """The kept file of check ``job_id``, removed from the store (committed once only)."""
    pending = session.get(PendingImport, job_id)
    if pending is not None:
        session.delete(pending)
    return pending
