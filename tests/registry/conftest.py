"""registry test fixtures: one migrated database per backend (SQLite and PostgreSQL) per run.

Tests that take ``app``/``client``/``session`` run once per backend. They use fresh credit
codes (``new_uscc``) instead of truncating tables or wrapping tests in an outer transaction:
the SQLite driver's savepoints are unreliable, and the concurrency and reminder tests need
real commits anyway. So tests share each database and run in any order.
The helpers live in ``registry_testkit`` (this folder is put on ``sys.path``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from registry.adapters.sql.migrations import upgrade_head
from registry.app import create_app
from registry.settings import Settings
from tests.job_workers import service_worker
from tests.job_workers import worker_thread
from yumiao_common.db.engine import make_session_factory

sys.path.insert(0, str(Path(__file__).parent))

from registry_testkit import new_uscc  # noqa: E402

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest,
    make_pg_database: Callable[[str], str],
    make_sqlite_url: Callable[[str], str],
) -> Iterator[str]:
    """A migrated registry database on each backend, with its jobs worker running (imports)."""
    if request.param == "postgresql":
        url = make_pg_database("registry")
    else:
        url = make_sqlite_url("registry")
    upgrade_head(url)
    with worker_thread(service_worker("registry", url)):
        yield url


@pytest.fixture(scope="session")
def app(database_url: str) -> Flask:
    settings = Settings(database_url=database_url, log_json=False, log_level="WARNING",
                        max_content_length=64 * 1024)
    return create_app(settings)


@pytest.fixture(scope="session")
def is_postgres(database_url: str) -> bool:
    return database_url.startswith("postgresql")


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="session")
def sessions(app: Flask) -> sessionmaker[Session]:
    return make_session_factory(app.extensions["registry.engine"])


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions() as s:
        yield s


@pytest.fixture
def uscc() -> str:
    """A fresh valid credit code nobody else in the run uses."""
    return new_uscc()


@pytest.fixture
def enterprise(client: FlaskClient, uscc: str) -> dict[str, Any]:
    """A registered bearing maker in 沙镇镇 with one year of figures."""
    from registry_testkit import create_enterprise

    return create_enterprise(client, uscc)
