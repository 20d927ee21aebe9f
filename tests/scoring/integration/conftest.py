"""Fixtures of scoring's integration tests: a migrated PostgreSQL database, the app, profiles.

One database per run (migrated once with Alembic, exactly as ``flask migrate`` does); tests
that need an empty read model ask for ``clean_db``. Profiles are built from the profile.md
example with fresh, valid credit codes, so tests never collide on keys.
"""

from __future__ import annotations

import copy
import itertools
import time
import uuid
from collections.abc import Callable
from collections.abc import Iterator
from typing import Any

import pytest
from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine
from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from scoring.app import create_app
from scoring.cli import alembic_config
from scoring.models import Base
from scoring.models import Reevaluation
from scoring.settings import Settings
from tests.contracts.golden import example_profile
from tests.job_workers import service_worker
from tests.job_workers import worker_thread
from yumiao_common.contracts.registry import EnterpriseChanged
from yumiao_common.contracts.registry import EnterpriseChangedPayload
from yumiao_common.db.engine import make_engine
from yumiao_common.identifiers import generate_uscc

_SEQ = itertools.count(1)

_GOLDEN = example_profile()
#: The golden example profile (tests/contracts/) over three years, holding no certificate yet
#: and without the HNTE experts' marks (tests that need them add them).
BASE_PROFILE: dict[str, Any] = {
    **_GOLDEN,
    "assessments": {k: v for k, v in _GOLDEN["assessments"].items() if k != "hnte_expert"},
    "financials": [
        {
            "year": year,
            "employees": 120,
            "science_staff": 30,
            "rd_staff": 20,
            "operating_revenue": revenue,
            "sales_revenue": revenue - 1_000_000,
            "main_business_revenue": revenue - 3_000_000,
            "total_income": revenue + 500_000,
            "hightech_revenue": revenue * 7 // 10,
            "rd_expense": revenue * 6 // 100,
            "rd_expense_domestic": revenue * 6 // 100,
            "total_cost": revenue * 8 // 10,
            "total_assets": 60_000_000,
            "total_liabilities": 30_000_000,
            "fixed_assets": 20_000_000,
            "net_profit": 4_000_000,
            "total_profit": 4_700_000,
            "interest_expense": 300_000,
            "new_equity_financing": 0,
            "tech_conversions": 3,
        }
        for year, revenue in ((2022, 36_000_000), (2023, 42_000_000), (2024, 48_000_000))
    ],
    "certifications": [],
}


def new_uscc() -> str:
    """A valid, never-repeated credit code (random body per run, counter within it)."""
    body = f"{uuid.uuid4().int % 36**3:03d}"[:3].upper() + f"{next(_SEQ):05d}"
    return generate_uscc(
        "91",
        "371502",
        body.replace("I", "1")
        .replace("O", "0")
        .replace("S", "5")
        .replace("V", "7")
        .replace("Z", "2"),
    )


def make_profile(**enterprise: Any) -> dict[str, Any]:
    """The base profile with a fresh credit code; ``enterprise`` overrides its fields."""
    profile = copy.deepcopy(BASE_PROFILE)
    profile["enterprise"]["uscc"] = new_uscc()
    profile["enterprise"].update(enterprise)
    return profile


def enterprise_changed(
    profile: dict[str, Any], version: int = 1, **payload: Any
) -> EnterpriseChanged:
    return EnterpriseChanged(
        payload=EnterpriseChangedPayload(profile=profile, change="test", version=version, **payload)
    )


@pytest.fixture(name="make_profile")
def make_profile_fixture() -> Callable[..., dict[str, Any]]:
    """Factory of valid profiles with fresh credit codes (see ``make_profile``)."""
    return make_profile


@pytest.fixture(name="enterprise_changed")
def enterprise_changed_fixture() -> Callable[..., EnterpriseChanged]:
    return enterprise_changed


@pytest.fixture(scope="session")
def database_url(make_pg_database: Callable[[str], str]) -> Iterator[str]:
    """The migrated database, with its jobs worker running (re-evaluations)."""
    url = make_pg_database("scoring")
    command.upgrade(alembic_config(url), "head")
    with worker_thread(service_worker("scoring", url)):
        yield url


@pytest.fixture(scope="session")
def app(database_url: str) -> Flask:
    return create_app(
        Settings(database_url=database_url, log_json=False, parameter_cache_seconds=0)
    )


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="session")
def factory(app: Flask) -> sessionmaker[Session]:
    return app.extensions["scoring.session_factory"]  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def engine(app: Flask) -> Engine:
    return app.extensions["scoring.engine"]  # type: ignore[no-any-return]


@pytest.fixture
def clean_db(factory: sessionmaker[Session]) -> Iterator[None]:
    """Empty every scoring table before the test (the read model is shared per run).

    Jobs an earlier test queued (the fuzz suite posts re-evaluations) finish first: deleting
    rows under a running activation deadlocks on PostgreSQL. The jobs worker (``database_url``)
    runs them; a job is done once no step of it is queued or held.
    """
    def no_job_left() -> bool:
        with factory() as session:
            busy = select(Reevaluation.id).where(Reevaluation.run_step.is_not(None)).limit(1)
            return session.execute(busy).first() is None

    wait_for(no_job_left, timeout=60)
    with factory.begin() as session:
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(delete(table))
    yield


@pytest.fixture(name="wait_for")
def wait_for_fixture() -> Callable[..., Any]:
    return wait_for


def wait_for(check: Callable[[], Any], timeout: float = 20.0) -> Any:
    """Poll ``check`` until it returns something truthy (jobs run in threads)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_sessions(
    request: pytest.FixtureRequest,
    make_sqlite_url: Callable[[str], str],
    make_pg_database: Callable[[str], str],
) -> Iterator[sessionmaker[Session]]:
    """Sessions on a new scoring database of each backend, migrated to head: for tests of what
    the two stores give back alike (stored JSON, ranking reads), apart from the shared one."""
    name = request.node.name.split("[")[0][-40:]
    url = make_sqlite_url(name) if request.param == "sqlite" else make_pg_database(name)
    command.upgrade(alembic_config(url), "head")
    engine = make_engine(url)
    yield sessionmaker(engine)
    engine.dispose()
