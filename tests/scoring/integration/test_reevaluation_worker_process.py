"""Re-evaluations run in ``python -m scoring.jobs``, a process of its own.

A lock on the profile table holds a phase mid-way (it waits to read the profiles), so the
worker can be killed or stopped at a known point. Both phases are safe to run again: a killed
worker's phase is resumed by the next worker; a stopped worker (SIGTERM) finishes its phase.
"""

from __future__ import annotations

import signal
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from alembic import command
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from scoring.app import create_app
from scoring.cli import alembic_config
from scoring.models import Reevaluation
from scoring.settings import Settings
from tests.job_workers import start_worker_process
from tests.job_workers import stop_process
from tests.job_workers import table_locked
from yumiao_common.db.engine import make_engine
from yumiao_common.db.engine import make_session_factory

pytestmark = pytest.mark.integration
ACTOR = {"X-Actor": "analyst-li"}
CHANGE = {"parameters": {"agri_leader_municipal.n3_sales.value": "35000000"},
          "reason": "市级标准提高 / municipal bar raised"}


@pytest.fixture
def url(make_pg_database: Callable[[str], str]) -> str:
    """A database of its own: the in-process worker of the other tests never sees it."""
    database = make_pg_database("scoring_jobs")
    command.upgrade(alembic_config(database), "head")
    return database


@pytest.fixture
def client(url: str) -> FlaskClient:
    app = create_app(Settings(database_url=url, log_json=False, parameter_cache_seconds=0))
    return app.test_client()


@pytest.fixture
def sessions(url: str) -> sessionmaker[Session]:
    return make_session_factory(make_engine(url))


def body(response: Any) -> dict[str, Any]:
    """A JSON object answer."""
    data = response.get_json()
    assert isinstance(data, dict), data
    return data


def wait_status(client: FlaskClient, job_id: str, statuses: set[str],
                timeout: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = body(client.get(f"/api/v1/reevaluations/{job_id}"))
        if job["status"] in statuses:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job not {statuses}: {job}")


def test_a_preview_whose_worker_was_killed_is_resumed_by_the_next_worker(
        client: FlaskClient, url: str, sessions: sessionmaker[Session]) -> None:
    with table_locked(url, "enterprise_profile") as release:
        job_id = body(client.post("/api/v1/reevaluations", headers=ACTOR, json=CHANGE))["id"]
        first = start_worker_process("scoring", url)
        try:
            wait_status(client, job_id, {"previewing"})  # progress visible through the API
            first.send_signal(signal.SIGKILL)
            first.wait(10)
        finally:
            stop_process(first)
        release()
    assert body(client.get(f"/api/v1/reevaluations/{job_id}"))["status"] == "previewing"
    second = start_worker_process("scoring", url)
    try:
        job = wait_status(client, job_id, {"previewed", "failed"})
    finally:
        stop_process(second)
    assert job["status"] == "previewed", job
    with sessions() as session:
        row = session.get(Reevaluation, job["id"])
        assert row is not None
        assert (row.run_attempts, row.run_step, row.lease_owner) == (2, None, None)


def held(sessions: sessionmaker[Session], job_id: str, step: str) -> None:
    """Wait until a worker holds ``step`` of the job."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with sessions() as session:
            row = session.get(Reevaluation, uuid.UUID(job_id))
            if row is not None and row.run_step == step and row.lease_owner is not None:
                return
        time.sleep(0.05)
    raise AssertionError(f"no worker took {step}")


def test_a_stopped_worker_finishes_its_activation_before_it_exits(
        client: FlaskClient, url: str, sessions: sessionmaker[Session]) -> None:
    worker = start_worker_process("scoring", url, grace=60)
    try:
        job_id = body(client.post("/api/v1/reevaluations", headers=ACTOR, json=CHANGE))["id"]
        wait_status(client, job_id, {"previewed"})
        with table_locked(url, "enterprise_profile") as release:
            activate = client.post(f"/api/v1/reevaluations/{job_id}/activate", headers=ACTOR)
            assert activate.status_code == 202, body(activate)
            held(sessions, job_id, "activate")  # and waiting to read the profiles
            worker.send_signal(signal.SIGTERM)
            time.sleep(1.0)
            assert worker.poll() is None, "the worker left its activation unfinished"
            release()
            assert worker.wait(30) == 0
    finally:
        stop_process(worker)
    job = body(client.get(f"/api/v1/reevaluations/{job_id}"))
    assert (job["status"], job["activated_by"]) == ("activated", "analyst-li"), job
