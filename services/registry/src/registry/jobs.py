"""``python -m registry.jobs``: runs bulk imports, outside the web workers.

The request stores the upload with a queued job and answers 202; this worker claims the job,
validates and writes it (``handlers.imports.run_queued``), and keeps its lease while it runs.
An import is all or nothing (nothing is written before the one transaction that also marks it
``succeeded``), so one whose worker died is run again from its stored upload, at most twice;
a third death fails it visibly. ``--once`` runs what is queued, then exits. The worker port
(``REGISTRY_WORKER_METRICS_PORT``) serves ``/metrics`` and ``/healthz``; the loop beats while it
renews a running import's lease.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Table
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from registry.adapters.files.upload_limits import UploadLimits
from registry.handlers.imports import IMPORT_STEP
from registry.handlers.imports import fail_interrupted
from registry.handlers.imports import run_queued
from registry.models.import_job import ImportJob
from registry.settings import Settings
from yumiao_common import jobs
from yumiao_common.db.engine import engine_from_settings
from yumiao_common.db.engine import make_session_factory
from yumiao_common.logging import configure_logging
from yumiao_common.observability.worker_server import WorkerProbe
from yumiao_common.observability.worker_server import start_worker_observability


@dataclass(frozen=True)
class ImportKind:
    """An import job (``jobs.JobKind``), with the service's upload limits."""

    limits: UploadLimits
    name: str = IMPORT_STEP
    restartable: bool = True
    max_attempts: int = 2

    def run(self, factory: sessionmaker[Session], job_id: uuid.UUID) -> None:
        run_queued(factory, job_id, limits=self.limits)

    def interrupted(self, session: Session, job_id: uuid.UUID, reason: str) -> None:
        fail_interrupted(session, job_id, reason)


def make_worker(settings: Settings, factory: sessionmaker[Session],
                probe: WorkerProbe | None = None) -> jobs.Worker:
    """The worker over registry's job table, timed by ``REGISTRY_JOB_*``; it beats ``probe``."""
    return jobs.Worker(factory, _table(), [ImportKind(UploadLimits.from_settings(settings))],
                       timing(settings), probe=probe)


def timing(settings: Settings) -> jobs.Timing:
    return jobs.Timing(lease=timedelta(seconds=settings.job_lease_seconds),
                       grace=settings.job_grace_seconds)


def _table() -> Table:
    return ImportJob.__table__  # type: ignore[return-value]


def main(argv: Sequence[str] | None = None) -> int:
    settings = Settings()
    configure_logging(settings.service_name, settings.log_level, json_format=settings.log_json)
    factory = make_session_factory(engine_from_settings(settings))
    probe = start_worker_observability(settings, "registry.jobs")  # /metrics, /healthz
    try:
        return jobs.main(make_worker(settings, factory, probe), argv)
    finally:
        probe.close()


if __name__ == "__main__":
    raise SystemExit(main())
