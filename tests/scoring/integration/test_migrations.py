"""scoring's migrations build the models' schema on SQLite and PostgreSQL, with no drift."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from alembic import command
from sqlalchemy import inspect

from scoring.cli import alembic_config
from scoring.models import Base
from yumiao_common.db.engine import make_engine

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrade_head_then_check_finds_no_drift(
    backend: str, make_sqlite_url: Callable[[str], str], make_pg_database: Callable[[str], str]
) -> None:
    url = make_sqlite_url("scoring-mig") if backend == "sqlite" else make_pg_database("scmig")
    config = alembic_config(url)
    command.upgrade(config, "head")
    command.check(config)  # raises when the models and the migrations disagree
    engine = make_engine(url)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    command.downgrade(config, "base")
    assert "evaluation" not in inspect(engine).get_table_names()
    engine.dispose()
