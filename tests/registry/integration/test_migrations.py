"""Alembic: ``upgrade head`` on fresh SQLite and PostgreSQL databases, no drift between the
models and the migrations (``alembic check``), and the full downgrade/upgrade round trip."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from alembic import command
from sqlalchemy import inspect

from registry.adapters.sql.migrations import alembic_config
from registry.adapters.sql.migrations import check
from registry.adapters.sql.migrations import upgrade_head
from yumiao_common.db.engine import make_engine

pytestmark = pytest.mark.integration


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request: pytest.FixtureRequest, make_pg_database: Callable[[str], str],
              make_sqlite_url: Callable[[str], str]) -> str:
    if request.param == "postgresql":
        return make_pg_database("registry_mig")
    return make_sqlite_url("registry_mig")


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_head_creates_every_table_and_matches_the_models(fresh_url: str) -> None:
    upgrade_head(fresh_url)
    upgrade_head(fresh_url)  # idempotent
    check(fresh_url)  # raises on any drift
    assert {"enterprise", "annual_financials", "ip_asset", "award", "rd_institution",
            "standard_led", "certification", "expiry_reminder", "pool_membership",
            "stage_move", "audit_log", "outbox"} <= _tables(fresh_url)


def test_downgrade_to_base_and_back(fresh_url: str) -> None:
    upgrade_head(fresh_url)
    command.downgrade(alembic_config(fresh_url), "base")
    assert _tables(fresh_url) <= {"alembic_version"}
    upgrade_head(fresh_url)
    check(fresh_url)
