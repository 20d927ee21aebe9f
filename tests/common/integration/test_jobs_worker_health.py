"""A jobs worker is observable like the other workers (issue 11, item 3), on real PostgreSQL.

Its port answers ``/healthz`` 200 while it waits for work and while it runs a step longer than
the staleness window (it beats while it renews the lease), 503 once its loop is stuck (the lease
renewal blocked on a locked row), and ``/metrics`` counts the steps it ran by kind and outcome.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import timedelta

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import String
from sqlalchemy import Table
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy import update
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import Session
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import sessionmaker

from yumiao_common.clock import utcnow
from yumiao_common.db.engine import make_engine
from yumiao_common.db.engine import make_metadata
from yumiao_common.db.engine import make_session_factory
from yumiao_common.jobs import JobLease
from yumiao_common.jobs import Timing
from yumiao_common.jobs import Worker
from yumiao_common.jobs import queue
from yumiao_common.observability.worker_server import WorkerProbe
from yumiao_common.observability.worker_server import start_worker_observability
from yumiao_common.settings import CommonSettings

pytestmark = pytest.mark.integration

#: Seconds without a beat before ``/healthz`` answers 503 (short, so the test is quick).
STALE = 1.0


class Base(DeclarativeBase):
    metadata = make_metadata()


class ProbedJob(JobLease, Base):
    __tablename__ = "probed_job"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    status: Mapped[str] = mapped_column(String(20), default="queued")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


TABLE: Table = ProbedJob.__table__  # type: ignore[assignment]


@dataclass
class SlowKind:
    """A step that runs until ``release`` is set (a long import or re-evaluation)."""

    name: str = "slow"
    restartable: bool = True
    max_attempts: int = 3
    started: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def run(self, factory: sessionmaker[Session], job_id: uuid.UUID) -> None:
        self.started.set()
        self.release.wait(30)
        with factory.begin() as session:
            session.execute(update(ProbedJob).where(ProbedJob.id == job_id)
                            .values(status="done"))

    def interrupted(self, session: Session, job_id: uuid.UUID, reason: str) -> None:
        session.execute(update(ProbedJob).where(ProbedJob.id == job_id)
                        .values(status="failed"))


@dataclass
class Running:
    worker: Worker
    kind: SlowKind
    probe: WorkerProbe
    factory: sessionmaker[Session]

    def healthz(self) -> int:
        return requests.get(f"http://127.0.0.1:{self.probe.port}/healthz",
                            timeout=10).status_code

    def jobs_total(self, outcome: str) -> float | None:
        body = requests.get(f"http://127.0.0.1:{self.probe.port}/metrics", timeout=10).text
        for family in text_string_to_metric_families(body):
            for sample in family.samples:
                if sample.name == "yumiao_jobs_total" and sample.labels == {
                        "service": self.probe.service, "kind": "slow", "outcome": outcome}:
                    return float(sample.value)
        return None

    def add_job(self) -> uuid.UUID:
        with self.factory.begin() as session:
            job = ProbedJob()
            queue(job, "slow")
            session.add(job)
            session.flush()
            return job.id

    def status(self, job_id: uuid.UUID) -> str:
        with self.factory() as session:
            return session.execute(select(ProbedJob.status)
                                   .where(ProbedJob.id == job_id)).scalar_one()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(condition: Callable[[], bool], timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def running(make_pg_database: Callable[[str], str]) -> Iterator[Running]:
    engine = make_engine(make_pg_database("jobs_health"))
    Base.metadata.create_all(engine)
    factory = make_session_factory(engine)
    settings = CommonSettings(service_name=f"test-{uuid.uuid4().hex[:8]}",
                              worker_metrics_port=_free_port(), worker_stale_seconds=STALE)
    probe = start_worker_observability(settings, f"{settings.service_name}.jobs")
    assert probe.port is not None
    kind = SlowKind()
    # The lease is renewed every second: longer than STALE would allow if only a renewal beat.
    worker = Worker(factory, TABLE, [kind], Timing(lease=timedelta(seconds=3), grace=5.0,
                                                   poll=0.05), probe=probe)
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    try:
        yield Running(worker, kind, probe, factory)
    finally:
        kind.release.set()
        worker.stop.set()
        thread.join(20)
        probe.close()
        engine.dispose()


def test_an_idle_jobs_worker_is_healthy(running: Running) -> None:
    time.sleep(STALE * 2)  # past the staleness window: only the poll loop's beats keep it up
    assert running.healthz() == 200


def test_a_jobs_worker_on_a_long_step_stays_healthy_and_counts_the_step(running: Running
                                                                       ) -> None:
    job_id = running.add_job()
    assert running.kind.started.wait(20)
    time.sleep(STALE * 3)  # the step outlasts the window several times over
    assert running.healthz() == 200
    assert running.status(job_id) == "queued"  # still running
    running.kind.release.set()
    assert _wait(lambda: running.jobs_total("done") == 1.0)
    assert running.status(job_id) == "done"
    assert running.healthz() == 200


def test_a_jobs_worker_whose_lease_renewal_is_stuck_turns_unhealthy(running: Running) -> None:
    job_id = running.add_job()
    assert running.kind.started.wait(20)
    with running.factory() as blocker:  # holds the job's row: the renewal UPDATE waits on it
        blocker.execute(text("SELECT id FROM probed_job WHERE id = :id FOR UPDATE"),
                        {"id": job_id})
        assert _wait(lambda: running.healthz() == 503, timeout=10)
        blocker.rollback()
    assert _wait(lambda: running.healthz() == 200, timeout=10)
    running.kind.release.set()
    assert _wait(lambda: running.jobs_total("done") == 1.0)
