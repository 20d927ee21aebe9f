"""Imports run in ``python -m registry.jobs``, a process of its own (PostgreSQL).

The job is held mid-way by a lock on the enterprise table (the write waits on it), so the
worker can be killed or stopped at a known point. An import commits nothing before its one
write transaction, so a job whose worker was killed is run again from its stored upload (we
chose restart over failing it: the user gets the import they asked for, exactly once); one
asked to stop (SIGTERM) finishes first.
"""

from __future__ import annotations

import csv
import io
import signal
import time
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from registry_testkit import new_uscc
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from registry.adapters.files.columns import COLUMNS
from registry.adapters.sql.migrations import upgrade_head
from registry.app import create_app
from registry.models import Enterprise
from registry.models import ImportJob
from registry.models import ImportUpload
from registry.settings import Settings
from tests.job_workers import start_worker_process
from tests.job_workers import stop_process
from tests.job_workers import table_locked
from yumiao_common.db.engine import make_engine
from yumiao_common.db.engine import make_session_factory

pytestmark = pytest.mark.integration
HEADERS = {"X-Actor": "curator:wang"}


@pytest.fixture
def url(make_pg_database: Callable[[str], str]) -> str:
    """A database of its own: no in-process worker of the other tests takes these jobs."""
    database = make_pg_database("registry_jobs")
    upgrade_head(database)
    return database


@pytest.fixture
def client(url: str) -> FlaskClient:
    app = create_app(Settings(database_url=url, log_json=False, log_level="WARNING"))
    return app.test_client()


@pytest.fixture
def sessions(url: str) -> sessionmaker[Session]:
    return make_session_factory(make_engine(url))


def upload(client: FlaskClient, codes: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in COLUMNS])
    for code in codes:
        row = {c.key: c.example for c in COLUMNS} | {
            "uscc": code, "name": f"聊城作业测试有限公司{code[-6:]}", "year": "2024"}
        writer.writerow([row.get(c.key, "") for c in COLUMNS])
    response = client.post("/api/v1/imports", headers=HEADERS, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(out.getvalue().encode()), "firms.csv")})
    assert response.status_code == 202, body(response)
    return str(response.headers["Location"])


def body(response: Any) -> dict[str, Any]:
    """A JSON object answer."""
    data = response.get_json()
    assert isinstance(data, dict), data
    return data


def wait_status(client: FlaskClient, location: str, statuses: set[str],
                timeout: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = body(client.get(location))
        if job["status"] in statuses:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job not {statuses}: {job}")


def counted(sessions: sessionmaker[Session], codes: list[str]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(Enterprise)
                              .where(Enterprise.uscc.in_(codes))) or 0


def test_an_upload_waits_queued_until_a_worker_runs_it(client: FlaskClient, url: str,
                                                      sessions: sessionmaker[Session]) -> None:
    codes = [new_uscc() for _ in range(3)]
    location = upload(client, codes)
    assert body(client.get(location))["status"] == "queued"
    worker = start_worker_process("registry", url)
    try:
        job = wait_status(client, location, {"succeeded", "failed"})
    finally:
        stop_process(worker)
    assert (job["status"], job["created"], job["processed_rows"]) == ("succeeded", 3, 3), job
    assert counted(sessions, codes) == 3
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(ImportUpload)) == 0


def test_an_import_whose_worker_was_killed_is_run_again_by_the_next_worker(
        client: FlaskClient, url: str, sessions: sessionmaker[Session]) -> None:
    codes = [new_uscc() for _ in range(4)]
    with table_locked(url, "enterprise") as release:
        location = upload(client, codes)
        first = start_worker_process("registry", url)
        try:
            shown = wait_status(client, location, {"writing"})
            assert shown["processed_rows"] == 4  # progress visible through the API
            first.send_signal(signal.SIGKILL)
            first.wait(10)
        finally:
            stop_process(first)
        release()
    assert body(client.get(location))["status"] == "writing"  # nobody runs it now
    assert counted(sessions, codes) == 0
    second = start_worker_process("registry", url)
    try:
        job = wait_status(client, location, {"succeeded", "failed"})
    finally:
        stop_process(second)
    assert (job["status"], job["created"]) == ("succeeded", 4), job
    assert counted(sessions, codes) == 4  # once: the killed try wrote nothing
    with sessions() as session:
        row = session.scalars(select(ImportJob).where(ImportJob.id == job["id"])).one()
        assert (row.run_attempts, row.run_step, row.lease_owner) == (2, None, None)


def test_a_stopped_worker_finishes_its_import_before_it_exits(
        client: FlaskClient, url: str, sessions: sessionmaker[Session]) -> None:
    codes = [new_uscc() for _ in range(2)]
    with table_locked(url, "enterprise") as release:
        location = upload(client, codes)
        worker = start_worker_process("registry", url, grace=60)
        try:
            wait_status(client, location, {"writing"})
            worker.send_signal(signal.SIGTERM)
            time.sleep(1.0)
            assert worker.poll() is None, "the worker left its import unfinished"
            release()
            assert worker.wait(30) == 0
        finally:
            stop_process(worker)
    job = body(client.get(location))
    assert (job["status"], job["created"]) == ("succeeded", 2), job
    assert counted(sessions, codes) == 2
