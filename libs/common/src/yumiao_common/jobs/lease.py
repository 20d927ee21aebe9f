"""The columns a job table carries so that workers can share it, and queueing a step.

A row has work to do while ``run_step`` names it (``"import"``, ``"preview"`` …); a worker
holds it while ``lease_owner`` is set and ``lease_until`` (its heartbeat) is in the future.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column


class JobLease:
    """Mixin for a service's job model: the step queued and the lease of its worker."""

    #: The step a worker must run next (a ``JobKind.name``); None: nothing to run.
    run_step: Mapped[str | None] = mapped_column(String(32), index=True, default=None)
    #: Who asked for the step (an activation's actor); the job's own columns say the rest.
    run_by: Mapped[str | None] = mapped_column(String(200), default=None)
    #: Times a worker has started this step (a step that keeps killing workers stops).
    run_attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    #: The worker running the step; None while queued.
    lease_owner: Mapped[str | None] = mapped_column(String(128), default=None)
    #: The worker's lease ends here unless renewed (the heartbeat moves it forward).
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


def queue(job: JobLease, step: str, *, by: str | None = None) -> None:
    """Ask a worker to run ``step`` of ``job`` (the caller commits)."""
    job.run_step, job.run_by, job.run_attempts = step, by, 0
