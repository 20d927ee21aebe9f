"""The worker loop: claim a step, run it under a renewed lease, stop gracefully.

One step at a time per worker process (run several processes for more): the step runs in a
thread while the main thread renews the lease and watches for SIGTERM. On SIGTERM the worker
claims nothing more and gives the running step ``grace`` seconds; a step still running then is
released to the queue (restartable) or failed visibly, and the process exits.

The worker beats its probe (``yumiao_common.observability``) each time round the poll loop and
while it renews a running step's lease, so ``/healthz`` stays 200 through a long job and turns
503 only when the loop itself is stuck (e.g. on a database call). Every step it settles is
counted in ``yumiao_jobs_total{service,kind,outcome}``.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import threading
import time
import uuid
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from typing import Protocol

from sqlalchemy import Table
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from yumiao_common.jobs.claims import Claim
from yumiao_common.jobs.claims import Leases
from yumiao_common.observability.worker_metrics import JOBS
from yumiao_common.observability.worker_server import WorkerProbe

log = logging.getLogger(__name__)

#: The reason a step that will not run again shows (the job's own message/error column).
INTERRUPTED = ("作业中断：工作进程停止，未完成的部分未写入 / interrupted: worker stopped; "
               "the unfinished part was not written")

#: Outcomes of ``yumiao_jobs_total``: the step returned (its row says how it went); it raised
#: (failed by the worker's last net); it outlasted the grace period and went back to the queue;
#: it was failed with ``INTERRUPTED`` (or had no kind here); a dead worker's step was requeued.
DONE, RAISED, RELEASED, INTERRUPTED_OUTCOME, RESUMED = (
    "done", "raised", "released", "interrupted", "resumed")


class JobKind(Protocol):
    """One step a service queues: how to run it and how to fail it visibly."""

    @property
    def name(self) -> str:
        """The ``run_step`` value it runs."""

    @property
    def restartable(self) -> bool:
        """True when running the step again after its worker died is safe (it committed
        nothing half-way, or it redoes what it did); False: it is failed with ``INTERRUPTED``."""

    @property
    def max_attempts(self) -> int:
        """Starts of a restartable step before it is failed instead (a step that kills its
        worker, e.g. out of memory, must not kill every worker forever)."""

    def run(self, factory: sessionmaker[Session], job_id: uuid.UUID) -> None:
        """Do the step and record its outcome in the job's row; a finished job is a no-op."""

    def interrupted(self, session: Session, job_id: uuid.UUID, reason: str) -> None:
        """Mark the job failed with ``reason`` where its GET endpoint shows it (no commit)."""


@dataclass(frozen=True)
class Timing:
    #: A lease not renewed for this long is taken to mean its worker died.
    lease: timedelta = timedelta(seconds=30)
    #: After SIGTERM, how long the running step may take to finish.
    grace: float = 60.0
    #: Seconds between looks at an empty queue.
    poll: float = 1.0


class Worker:
    """Runs the steps of one job table (``table``) with the ``kinds`` given."""

    def __init__(self, factory: sessionmaker[Session], table: Table,
                 kinds: Sequence[JobKind], timing: Timing = Timing(), *,
                 name: str | None = None, probe: WorkerProbe | None = None) -> None:
        self.factory = factory
        self.leases = Leases(table, factory)
        self.kinds: Mapping[str, JobKind] = {k.name: k for k in kinds}
        self.timing = timing
        self.owner = name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.stop = threading.Event()
        #: Set while a step runs in a thread that outlived the grace period.
        self.abandoned = False
        #: Beaten by the loops; its ``service`` labels the job counter.
        self.probe = probe or WorkerProbe.detached(table.name, f"{table.name}.jobs")

    def recover(self) -> int:
        """Resume or fail every step whose worker died; how many were found."""
        found = 0
        for claim in self.leases.expired():
            if not self.leases.take_expired(claim, self.owner, self.timing.lease):
                continue  # another worker got there first
            found += 1
            kind = self.kinds.get(claim.step)
            if kind is not None and kind.restartable and claim.attempts < kind.max_attempts:
                log.warning("jobs: %s %s: its worker died; resuming (attempt %d)",
                            claim.step, claim.job_id, claim.attempts + 1)
                self.leases.requeue(claim, self.owner)
                self._count(claim.step, RESUMED)
            else:
                log.error("jobs: %s %s: its worker died; failing it", claim.step, claim.job_id)
                self._fail(claim, kind)
                self._count(claim.step, INTERRUPTED_OUTCOME)
        return found

    def run_once(self) -> bool:
        """Claim and run one step; False when the queue was empty (or the worker stopping)."""
        if self.stop.is_set():
            return False
        claim = self.leases.claim(self.owner, self.timing.lease)
        if claim is None:
            return False
        kind = self.kinds.get(claim.step)
        if kind is None:
            log.error("jobs: %s %s: no such step here", claim.step, claim.job_id)
            self._fail(claim, None)
            self._count(claim.step, INTERRUPTED_OUTCOME)
            return True
        log.info("jobs: %s %s: started (attempt %d)", claim.step, claim.job_id, claim.attempts)
        raised = threading.Event()
        thread = threading.Thread(target=self._run_step, args=(kind, claim, raised),
                                  daemon=True, name=f"job-{claim.step}-{claim.job_id}")
        thread.start()
        outcome = self._watch(thread, claim, kind)
        self._count(claim.step, RAISED if outcome == DONE and raised.is_set() else outcome)
        return True

    def run(self) -> None:
        """Recover, then run steps until ``stop`` is set. A database that does not answer for
        a while (SQLite busy past its timeout while another process writes a large batch, a
        dropped connection) is waited out, not fatal: the next round tries again."""
        while not self.stop.is_set():
            try:
                self.probe.beat()
                self.recover()
                while self.run_once():
                    self.probe.beat()
            except OperationalError as exc:
                log.warning("jobs: the database did not answer (%s); trying again",
                            getattr(exc, "orig", exc))
            self.stop.wait(self.timing.poll)

    def _count(self, step: str, outcome: str) -> None:
        JOBS.labels(self.probe.service, step, outcome).inc()

    def _run_step(self, kind: JobKind, claim: Claim, raised: threading.Event) -> None:
        try:
            kind.run(self.factory, claim.job_id)
        except Exception:  # noqa: BLE001 - a step records its own failure; this is a last net
            raised.set()
            log.exception("jobs: %s %s: raised", claim.step, claim.job_id)
            with self.factory.begin() as session:
                kind.interrupted(session, claim.job_id,
                                 "作业失败 / The job failed (see the service log)")

    def _watch(self, thread: threading.Thread, claim: Claim, kind: JobKind) -> str:
        """Renew the lease (and beat) until the step ends; after SIGTERM, wait ``grace`` at
        most. Returns the outcome: ``DONE``, or what ``_give_back`` did with the step."""
        renew_every = max(self.timing.lease.total_seconds() / 3, 0.05)
        renewed = time.monotonic()
        deadline: float | None = None
        while thread.is_alive():
            self.probe.beat()
            now = time.monotonic()
            if self.stop.is_set() and deadline is None:
                log.info("jobs: stopping; %s %s may finish within %.0fs", claim.step,
                         claim.job_id, self.timing.grace)
                deadline = now + self.timing.grace
            if deadline is not None and now >= deadline:
                return self._give_back(claim, kind)
            if now - renewed >= renew_every:
                self._renew(claim)
                renewed = now
            thread.join(min(renew_every, 0.1))
        self.leases.finish(claim, self.owner)
        log.info("jobs: %s %s: done", claim.step, claim.job_id)
        return DONE

    def _renew(self, claim: Claim) -> None:
        try:
            if not self.leases.renew(claim, self.owner, self.timing.lease):
                log.error("jobs: %s %s: lease lost to another worker", claim.step,
                          claim.job_id)
        except Exception:  # noqa: BLE001 - a busy database: try again at the next beat
            log.warning("jobs: lease renewal failed; retrying", exc_info=True)

    def _give_back(self, claim: Claim, kind: JobKind) -> str:
        self.abandoned = True
        if kind.restartable:
            log.warning("jobs: %s %s: not done within the grace period; released",
                        claim.step, claim.job_id)
            self.leases.release(claim, self.owner)
            return RELEASED
        log.error("jobs: %s %s: not done within the grace period; failed",
                  claim.step, claim.job_id)
        self._fail(claim, kind)
        return INTERRUPTED_OUTCOME

    def _fail(self, claim: Claim, kind: JobKind | None) -> None:
        with self.factory.begin() as session:
            if kind is not None:
                kind.interrupted(session, claim.job_id, INTERRUPTED)
        self.leases.drop(claim, self.owner)


def main(worker: Worker, argv: Sequence[str] | None = None) -> int:
    """Entry point for ``python -m <svc>.jobs`` (``--once``: run what is queued, then exit)."""
    service = worker.leases.table.name
    parser = argparse.ArgumentParser(prog="jobs")
    parser.add_argument("--once", action="store_true", help="run the queued jobs, then exit")
    args = parser.parse_args(argv)

    def stop(_signum: int, _frame: Any) -> None:
        worker.stop.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("jobs: worker %s on %s started", worker.owner, service)
    if args.once:
        worker.recover()
        while worker.run_once():
            pass
    else:
        worker.run()
    log.info("jobs: worker %s on %s stopped", worker.owner, service)
    if worker.abandoned:  # the released step's thread must not write after the hand-over
        logging.shutdown()
        os._exit(0)
    return 0
