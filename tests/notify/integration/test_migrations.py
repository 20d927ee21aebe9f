"""The migrations build the models' schema on SQLite and PostgreSQL (``alembic check``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from notify.adapters.sql.migrations import check
from notify.adapters.sql.migrations import upgrade_head

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_upgrade_head_then_no_drift(
    engine: str, make_sqlite_url: Callable[[str], str], make_pg_database: Callable[[str], str]
) -> None:
    url = make_sqlite_url("notify-mig") if engine == "sqlite" else make_pg_database("notify_mig")
    upgrade_head(url)
    upgrade_head(url)  # idempotent
    check(url)
