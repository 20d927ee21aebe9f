"""Gateway test fixtures: recording upstreams, a migrated database per backend, demo accounts.

The gateway app runs on PostgreSQL (session scope) with three ``RecordingUpstream`` servers as
registry, scoring and notify; tests that need the real services start them in
``integration/test_real_services.py``. Accounts are made once per database with the shared
password ``PASSWORD``; tests use fresh names for whatever they create.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from flask import Flask
from flask.testing import FlaskClient

from gateway.app import create_app
from gateway.cli import alembic_config
from gateway.handlers import accounts

# tests/gateway (its testkit) and tests/ (kits shared by every service's tests)
sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parent.parent)]

from gateway_testkit import PASSWORD  # noqa: E402
from gateway_testkit import USCC_A  # noqa: E402
from gateway_testkit import USCC_B  # noqa: E402
from gateway_testkit import RecordingUpstream  # noqa: E402
from gateway_testkit import make_settings  # noqa: E402


@pytest.fixture(scope="session")
def upstreams() -> Iterator[dict[str, RecordingUpstream]]:
    servers = {name: RecordingUpstream(name).start() for name in ("registry", "scoring", "notify")}
    yield servers
    for server in servers.values():
        server.stop()


@pytest.fixture(autouse=True)
def _clean_upstreams(upstreams: dict[str, RecordingUpstream]) -> None:
    for server in upstreams.values():
        server.reset()


@pytest.fixture(scope="session")
def migrated_url(make_pg_database: Callable[[str], str]) -> str:
    url = make_pg_database("gateway")
    command.upgrade(alembic_config(url), "head")
    return url


@pytest.fixture(scope="session")
def app(migrated_url: str, upstreams: dict[str, RecordingUpstream]) -> Flask:
    app = create_app(make_settings(migrated_url, upstreams))
    with app.app_context():
        session = app.extensions["yumiao.session_factory"]()
        for name in ("admin", "curator", "viewer"):
            accounts.create_account(session, username=name, password=PASSWORD, role=name)
        for uscc in (USCC_A, USCC_B):
            accounts.create_account(session, username=None, password=PASSWORD,
                                            role="enterprise", uscc=uscc)
        session.commit()
        session.close()
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
