"""Run a service's jobs worker (``yumiao_common.jobs.Worker``) in a thread of the test process.

The real loop over the real job table, as ``python -m <svc>.jobs`` runs it, only polling faster
so tests do not wait a second per job. Tests of crashes start real worker processes instead.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager

from yumiao_common.jobs import Worker


@contextmanager
def worker_thread(worker: Worker, poll: float = 0.05) -> Iterator[Worker]:
    """Run ``worker`` until the block ends; its running job (if any) finishes first."""
    worker.timing = dataclasses.replace(worker.timing, poll=poll)
    thread = threading.Thread(target=worker.run, name=f"jobs-{worker.owner}", daemon=True)
    thread.start()
    try:
        yield worker
    finally:
        worker.stop.set()
        thread.join(60)


def service_worker(service: str, database_url: str) -> Worker:
    """``<service>.jobs.make_worker`` over ``database_url`` (registry or scoring)."""
    from yumiao_common.db.engine import make_engine
    from yumiao_common.db.engine import make_session_factory

    factory = make_session_factory(make_engine(database_url))
    if service == "registry":
        import registry.jobs
        import registry.settings

        return registry.jobs.make_worker(
            registry.settings.Settings(database_url=database_url), factory)
    import scoring.jobs
    import scoring.settings

    return scoring.jobs.make_worker(scoring.settings.Settings(database_url=database_url), factory)


def start_worker_process(service: str, database_url: str, *, lease: int = 1,
                         grace: int = 30) -> subprocess.Popen[bytes]:
    """``python -m <service>.jobs`` as a real process (for kill and stop tests)."""
    prefix = service.upper()
    env = {**os.environ, f"{prefix}_DATABASE_URL": database_url, f"{prefix}_LOG_JSON": "false",
           f"{prefix}_JOB_LEASE_SECONDS": str(lease), f"{prefix}_JOB_GRACE_SECONDS": str(grace)}
    return subprocess.Popen([sys.executable, "-m", f"{service}.jobs"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    """Stop ``proc`` as k8s does (SIGTERM: it lets go of its job), SIGKILL if it lingers."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
    proc.wait(30)


@contextmanager
def table_locked(database_url: str, table: str) -> Iterator[Callable[[], None]]:
    """Hold ``table`` locked on PostgreSQL (a job touching it waits mid-way); yields release."""
    from sqlalchemy import text

    from yumiao_common.db.engine import make_engine

    engine = make_engine(database_url)
    connection = engine.connect()
    transaction = connection.begin()
    connection.execute(text(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))

    def release() -> None:
        if transaction.is_active:
            transaction.rollback()

    try:
        yield release
    finally:
        release()
        connection.close()
        engine.dispose()
