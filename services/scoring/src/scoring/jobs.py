"""``python -m scoring.jobs``: runs re-evaluation previews and activations, outside the web.

The request queues the phase and answers 202; this worker claims it, runs it
(``handlers.reevaluation_jobs``) and keeps its lease while it runs. Both phases are safe to run
again, so one whose worker died is resumed (at most three starts; then it is failed visibly).
``--once`` runs what is queued, then exits. The worker port (``SCORING_WORKER_METRICS_PORT``)
serves ``/metrics`` and ``/healthz``; the loop beats while it renews a running job's lease.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Table
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from scoring.handlers import reevaluation_jobs
from scoring.models import Reevaluation
from scoring.settings import Settings
from yumiao_common import jobs
from yumiao_common.db.engine import engine_from_settings
from yumiao_common.db.engine import make_session_factory
from yumiao_common.logging import configure_logging
from yumiao_common.observability.worker_server import WorkerProbe
from yumiao_common.observability.worker_server import start_worker_observability


@dataclass(frozen=True)
class PhaseKind:
    """A re-evaluation phase (``jobs.JobKind``)."""

    name: str
    runs: Callable[[sessionmaker[Session], uuid.UUID], None]
    restartable: bool = True
    max_attempts: int = 3

    def run(self, factory: sessionmaker[Session], job_id: uuid.UUID) -> None:
        self.runs(factory, job_id)

    def interrupted(self, session: Session, job_id: uuid.UUID, reason: str) -> None:
        reevaluation_jobs.fail_interrupted(session, job_id, reason)


def kinds(settings: Settings) -> tuple[PhaseKind, ...]:
    """The two phases; an activation writes ``SCORING_REEVALUATION_WRITE_BATCH`` rows a time."""
    activate = functools.partial(reevaluation_jobs.run_queued_activation,
                                 write_batch=settings.reevaluation_write_batch)
    return (PhaseKind(reevaluation_jobs.PREVIEW, reevaluation_jobs.run_queued_preview),
            PhaseKind(reevaluation_jobs.ACTIVATE, activate))


def make_worker(settings: Settings, factory: sessionmaker[Session],
                probe: WorkerProbe | None = None) -> jobs.Worker:
    """The worker over scoring's job table, timed by ``SCORING_JOB_*``; it beats ``probe``."""
    timing = jobs.Timing(lease=timedelta(seconds=settings.job_lease_seconds),
                         grace=settings.job_grace_seconds)
    return jobs.Worker(factory, _table(), kinds(settings), timing, probe=probe)


def _table() -> Table:
    return Reevaluation.__table__  # type: ignore[return-value]


def main(argv: Sequence[str] | None = None) -> int:
    settings = Settings()
    configure_logging(settings.service_name, settings.log_level, json_format=settings.log_json)
    factory = make_session_factory(engine_from_settings(settings))
    probe = start_worker_observability(settings, "scoring.jobs")  # /metrics, /healthz
    try:
        return jobs.main(make_worker(settings, factory, probe), argv)
    finally:
        probe.close()


if __name__ == "__main__":
    raise SystemExit(main())
