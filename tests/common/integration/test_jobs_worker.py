"""The jobs worker (yumiao_common.jobs) on a job table of its own, on PostgreSQL and SQLite.

Several workers share one queue and never run a job twice; a job whose worker died (its lease
ran out) is resumed when its kind allows it and failed with a visible reason otherwise; a
stopping worker lets its job finish within the grace period, or hands it back.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import String
from sqlalchemy import Table
from sqlalchemy import create_engine
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import Session
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import sessionmaker

from yumiao_common.clock import utcnow
from yumiao_common.db.engine import make_engine
from yumiao_common.db.engine import make_metadata
from yumiao_common.db.engine import make_session_factory
from yumiao_common.jobs import INTERRUPTED
from yumiao_common.jobs import JobLease
from yumiao_common.jobs import Timing
from yumiao_common.jobs import Worker
from yumiao_common.jobs import queue

pytestmark = pytest.mark.integration


class Base(DeclarativeBase):
    metadata = make_metadata()


class DemoJob(JobLease, Base):
    __tablename__ = "demo_job"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    status: Mapped[str] = mapped_column(String(20), default="queued")
    runs: Mapped[int] = mapped_column(default=0)
    message: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


TABLE: Table = DemoJob.__table__  # type: ignore[assignment]


@dataclass
class DemoKind:
    """Counts its runs in the row; ``hold`` keeps a run going until it is set."""

    name: str = "demo"
    restartable: bool = True
    max_attempts: int = 3
    seconds: float = 0.0
    hold: threading.Event | None = None
    started: threading.Event = field(default_factory=threading.Event)

    def run(self, factory: sessionmaker[Session], job_id: uuid.UUID) -> None:
        with factory.begin() as session:
            session.execute(update(DemoJob).where(DemoJob.id == job_id)
                            .values(runs=DemoJob.runs + 1, status="running"))
        self.started.set()
        if self.hold is not None:
            self.hold.wait(30)
        time.sleep(self.seconds)
        with factory.begin() as session:
            session.execute(update(DemoJob).where(DemoJob.id == job_id)
                            .values(status="done"))

    def interrupted(self, session: Session, job_id: uuid.UUID, reason: str) -> None:
        session.execute(update(DemoJob).where(DemoJob.id == job_id)
                        .values(status="failed", message=reason))


@pytest.fixture(params=("postgresql", "sqlite"))
def factory(request: pytest.FixtureRequest, make_pg_database: Callable[[str], str],
            make_sqlite_url: Callable[[str], str]) -> sessionmaker[Session]:
    url = (make_pg_database("jobs") if request.param == "postgresql"
           else make_sqlite_url("jobs"))
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    return make_session_factory(engine)


def add_jobs(factory: sessionmaker[Session], count: int, step: str = "demo") -> list[uuid.UUID]:
    with factory.begin() as session:
        jobs = [DemoJob() for _ in range(count)]
        for job in jobs:
            queue(job, step)
        session.add_all(jobs)
        session.flush()
        return [job.id for job in jobs]


def rows(factory: sessionmaker[Session]) -> dict[uuid.UUID, DemoJob]:
    with factory() as session:
        return {job.id: job for job in session.scalars(select(DemoJob))}


FAST = Timing(lease=timedelta(seconds=5), grace=5.0, poll=0.01)


def run_until(worker: Worker, done: Callable[[], bool], timeout: float = 30) -> None:
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:
        time.sleep(0.02)
    worker.stop.set()
    thread.join(30)
    assert done(), "the workers did not finish the queue in time"


def test_workers_sharing_a_queue_run_every_job_exactly_once(
        factory: sessionmaker[Session]) -> None:
    ids = add_jobs(factory, 30)
    workers = [Worker(factory, TABLE, [DemoKind(seconds=0.01)], FAST) for _ in range(3)]
    threads = [threading.Thread(target=w.run, daemon=True) for w in workers]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if all(j.status == "done" and j.run_step is None for j in rows(factory).values()):
            break
        time.sleep(0.05)
    for worker in workers:
        worker.stop.set()
    for thread in threads:
        thread.join(30)
    final = rows(factory)
    assert sorted(final) == sorted(ids)
    assert {j.runs for j in final.values()} == {1}, "a job ran twice"
    assert {j.status for j in final.values()} == {"done"}
    assert {(j.run_step, j.lease_owner) for j in final.values()} == {(None, None)}


def die_holding(factory: sessionmaker[Session], job_id: uuid.UUID, attempts: int = 1) -> None:
    """The state a worker leaves when it is killed mid-job: its lease runs out."""
    with factory.begin() as session:
        session.execute(update(DemoJob).where(DemoJob.id == job_id).values(
            status="running", runs=attempts, run_attempts=attempts, lease_owner="dead:1",
            lease_until=utcnow() - timedelta(seconds=1)))


def test_a_restartable_job_whose_worker_died_is_resumed(factory: sessionmaker[Session]) -> None:
    [job_id] = add_jobs(factory, 1)
    die_holding(factory, job_id)
    worker = Worker(factory, TABLE, [DemoKind()], FAST)
    run_until(worker, lambda: rows(factory)[job_id].status == "done")
    job = rows(factory)[job_id]
    assert (job.runs, job.run_step, job.lease_owner) == (2, None, None)


def test_a_job_that_must_not_rerun_is_failed_visibly_when_its_worker_died(
        factory: sessionmaker[Session]) -> None:
    [job_id] = add_jobs(factory, 1)
    die_holding(factory, job_id)
    worker = Worker(factory, TABLE, [DemoKind(restartable=False)], FAST)
    assert worker.recover() == 1
    job = rows(factory)[job_id]
    assert job.status == "failed" and job.message == INTERRUPTED
    assert "作业中断" in INTERRUPTED and "interrupted: worker stopped" in INTERRUPTED
    assert (job.runs, job.run_step, job.lease_owner) == (1, None, None)


def test_a_job_that_killed_its_workers_too_often_is_failed(
        factory: sessionmaker[Session]) -> None:
    [job_id] = add_jobs(factory, 1)
    die_holding(factory, job_id, attempts=3)
    worker = Worker(factory, TABLE, [DemoKind(max_attempts=3)], FAST)
    assert worker.recover() == 1
    assert rows(factory)[job_id].status == "failed"


def test_a_live_lease_is_left_alone(factory: sessionmaker[Session]) -> None:
    [job_id] = add_jobs(factory, 1)
    with factory.begin() as session:
        session.execute(update(DemoJob).where(DemoJob.id == job_id).values(
            lease_owner="alive:1", lease_until=utcnow() + timedelta(minutes=1)))
    worker = Worker(factory, TABLE, [DemoKind()], FAST)
    assert worker.recover() == 0
    assert worker.run_once() is False
    assert rows(factory)[job_id].runs == 0


def test_the_lease_is_renewed_while_a_job_runs(factory: sessionmaker[Session]) -> None:
    [job_id] = add_jobs(factory, 1)
    timing = Timing(lease=timedelta(seconds=0.6), grace=5.0, poll=0.01)
    kind = DemoKind(seconds=1.5)
    worker = Worker(factory, TABLE, [kind], timing)
    other = Worker(factory, TABLE, [DemoKind()], timing)
    thread = threading.Thread(target=worker.run_once, daemon=True)
    thread.start()
    assert kind.started.wait(10)
    for _ in range(5):  # well past the first lease: another worker still finds it held
        time.sleep(0.3)
        assert other.recover() == 0
    thread.join(30)
    job = rows(factory)[job_id]
    assert (job.status, job.runs, job.lease_owner) == ("done", 1, None)


def test_a_stopping_worker_lets_its_job_finish_within_the_grace_period(
        factory: sessionmaker[Session]) -> None:
    [job_id] = add_jobs(factory, 1)
    hold = threading.Event()
    kind = DemoKind(hold=hold)
    worker = Worker(factory, TABLE, [kind], FAST)
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    assert kind.started.wait(10)
    worker.stop.set()  # what SIGTERM does
    time.sleep(0.3)
    assert thread.is_alive(), "the worker left before its job finished"
    hold.set()
    thread.join(30)
    job = rows(factory)[job_id]
    assert (job.status, job.run_step, job.lease_owner) == ("done", None, None)
    assert not worker.abandoned


def test_a_job_outlasting_the_grace_period_is_handed_back(
        factory: sessionmaker[Session]) -> None:
    [job_id] = add_jobs(factory, 1)
    hold = threading.Event()
    kind = DemoKind(hold=hold)
    timing = Timing(lease=timedelta(seconds=5), grace=0.3, poll=0.01)
    worker = Worker(factory, TABLE, [kind], timing)
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    assert kind.started.wait(10)
    worker.stop.set()
    thread.join(10)
    assert not thread.is_alive() and worker.abandoned
    job = rows(factory)[job_id]
    assert (job.run_step, job.lease_owner, job.run_attempts) == ("demo", None, 0)
    hold.set()
    successor = Worker(factory, TABLE, [DemoKind()], FAST)
    run_until(successor, lambda: rows(factory)[job_id].run_step is None)
    assert rows(factory)[job_id].status == "done"


def test_a_worker_waits_out_a_locked_database_and_then_runs_the_job(
    make_sqlite_url: Callable[[str], str],
) -> None:
    """Seen in the e2e stack on a loaded machine: scoring's consumer held SQLite's write lock
    past the busy timeout while it stored thousands of evaluations, the worker's claim raised
    "database is locked" and the scoring-jobs process died, taking ``make up`` down with it."""
    url = make_sqlite_url("jobs-busy")
    # a short busy timeout stands in for a lock held longer than the real 30 s
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 0.05})
    Base.metadata.create_all(engine)
    worker = Worker(make_session_factory(engine), TABLE, [DemoKind()], FAST)
    factory = make_session_factory(make_engine(url))  # the test's own reads and writes wait
    # Its first connection switches the file to WAL, which SQLite refuses at once ("database
    # is locked", no busy wait) while another connection is inside a transaction, as the
    # worker's rounds are once the lock is gone: connect before anyone holds it. (Under two
    # pytest workers the race was lost now and then.)
    rows(factory)
    holder = sqlite3.connect(str(make_url(url).database), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process writing a large batch
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    try:
        time.sleep(0.5)  # the worker's rounds meet the lock ("database is locked")
        assert thread.is_alive(), "the worker died on a busy database"
        holder.execute("COMMIT")
        [job_id] = add_jobs(factory, 1)
        deadline = time.monotonic() + 20
        while rows(factory)[job_id].status != "done" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert rows(factory)[job_id].status == "done"
    finally:
        worker.stop.set()
        thread.join(10)
        holder.close()
        engine.dispose()
