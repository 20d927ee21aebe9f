"""notify test fixtures: one migrated PostgreSQL database per run, the app, factories.

Tests use unique enterprise codes (``new_uscc``) instead of truncating tables, so they can
share the database and run in any order; the seeded §7 catalogue is shared and read-only.
The factories live in ``notify_testkit`` (this folder is put on ``sys.path``, as test files
are imported with ``--import-mode=importlib``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from notify.adapters.sql.migrations import upgrade_head
from notify.app import create_app
from notify.handlers.policies import seed_policies
from notify.settings import Settings
from yumiao_common.db.engine import make_engine
from yumiao_common.db.engine import make_session_factory

sys.path.insert(0, str(Path(__file__).parent))

from notify_testkit import new_uscc  # noqa: E402


@pytest.fixture(scope="session")
def database_url(make_pg_database: Callable[[str], str]) -> str:
    url = make_pg_database("notify")
    upgrade_head(url)
    factory = make_session_factory(make_engine(url))
    with factory.begin() as session:
        seed_policies(session, actor="test:seed")
    return url


@pytest.fixture(scope="session")
def settings(database_url: str, amqp_url: str) -> Settings:
    return Settings(database_url=database_url, amqp_url=amqp_url, log_json=False)


@pytest.fixture(scope="session")
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(database_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def app(settings: Settings) -> Flask:
    return create_app(settings)


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture()
def uscc() -> str:
    return new_uscc()


