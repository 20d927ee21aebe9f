"""The gateway's migrations reach head on SQLite and PostgreSQL and match the models."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from alembic import command

from gateway.cli import alembic_config

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrade_head_then_check_finds_no_drift(
    backend: str, make_pg_database: Callable[[str], str], make_sqlite_url: Callable[[str], str]
) -> None:
    url = make_pg_database("gwmig") if backend == "postgresql" else make_sqlite_url("gwmig")
    config = alembic_config(url)
    command.upgrade(config, "head")
    command.check(config)
    command.downgrade(config, "base")
