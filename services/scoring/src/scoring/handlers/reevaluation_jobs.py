"""Re-evaluation phases as jobs of ``python -m scoring.jobs``: queue them, run them once.

A request queues a phase (``queue_preview``/``queue_activation``) and answers 202; the jobs
worker runs it. Both phases may run again after their worker died: the preview rewrites its
impact, and the activation writes everything in one transaction (nothing of a killed try
remains). A phase whose job has already moved on (previewed, activated, failed) is not run
again, so a worker that dies after the phase committed but before it let go of the job does
no harm.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from scoring.handlers import reevaluations
from scoring.models import Reevaluation
from yumiao_common.jobs import queue

PREVIEW, ACTIVATE = "preview", "activate"


def queue_preview(job: Reevaluation, actor: str) -> None:
    """Ask the jobs worker to compute the job's impact (the caller commits)."""
    queue(job, PREVIEW, by=actor)


def queue_activation(job: Reevaluation, actor: str) -> None:
    """Ask the jobs worker to activate the job's change for ``actor`` (the caller commits)."""
    queue(job, ACTIVATE, by=actor)


def _state(factory: sessionmaker[Session], job_id: uuid.UUID) -> tuple[str | None, str]:
    with factory() as session:
        job = session.get(Reevaluation, job_id)
        if job is None:
            return None, ""
        return job.status, job.run_by or job.created_by


def run_queued_preview(factory: sessionmaker[Session], job_id: uuid.UUID) -> None:
    """Compute the impact unless the job is already past its preview."""
    status, _actor = _state(factory, job_id)
    if status in ("pending", "previewing"):
        reevaluations.run_preview(factory, job_id)


def run_queued_activation(factory: sessionmaker[Session], job_id: uuid.UUID, *,
                          write_batch: int = reevaluations.DEFAULT_WRITE_BATCH) -> None:
    """Activate unless the job is already activated or failed (``write_batch`` rows per
    executemany: ``SCORING_REEVALUATION_WRITE_BATCH``)."""
    status, actor = _state(factory, job_id)
    if status in ("pending", "previewed", "activating"):
        reevaluations.run_activation(factory, job_id, actor, write_batch)


def fail_interrupted(session: Session, job_id: uuid.UUID, reason: str) -> None:
    """Fail a job that will not run again; its GET shows ``reason`` (the change is not active)."""
    job = session.get(Reevaluation, job_id)
    if job is None or job.status in ("activated", "failed"):
        return
    job.status, job.error = "failed", reason[:2000]
