"""``seed-demo`` on SQLite and PostgreSQL: bulk-loaded, idempotent, snapshots match the registry.

The command comes from the yumiao-demo distribution (a ``flask.commands`` entry point), so it is
invoked the way ``flask --app registry.app seed-demo`` finds it: through ``FlaskGroup``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest
from flask import Flask
from flask.cli import FlaskGroup
from sqlalchemy import select
from sqlalchemy import text

from registry.adapters.sql.migrations import upgrade_head
from registry.app import create_app
from registry.handlers.profile import build_profile
from registry.models import Enterprise
from registry.settings import Settings
from yumiao_common.contracts.profile import Profile

TABLES = ("enterprise", "annual_financials", "ip_asset", "award", "rd_institution",
          "standard_led", "certification", "pool_membership", "stage_move", "audit_log",
          "outbox")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_seed_demo_loads_once_and_a_second_run_changes_nothing(
    backend: str,
    make_pg_database: Callable[[str], str],
    make_sqlite_url: Callable[[str], str],
) -> None:
    url = make_pg_database("seed") if backend == "postgresql" else make_sqlite_url("seed")
    upgrade_head(url)
    app = create_app(Settings(database_url=url, log_json=False, log_level="WARNING"))
    runner = app.test_cli_runner()
    flask_command_line = FlaskGroup(create_app=lambda: app)
    engine = app.extensions["registry.engine"]

    def counts() -> dict[str, int]:
        with engine.connect() as conn:
            return {t: conn.scalar(text(f"SELECT count(*) FROM {t}")) or 0 for t in TABLES}

    first = runner.invoke(flask_command_line, ["seed-demo", "--n", "150"])
    assert first.exit_code == 0, first.output
    assert "150 added" in first.output
    loaded = counts()
    assert loaded["enterprise"] == loaded["outbox"] == loaded["audit_log"] == 150
    assert loaded["stage_move"] >= loaded["pool_membership"] > 20
    assert all(loaded[t] > 0 for t in TABLES)

    second = runner.invoke(flask_command_line, ["seed-demo", "--n", "150"])
    assert second.exit_code == 0 and "0 added, 150 already there" in second.output
    assert counts() == loaded

    with app.extensions["yumiao.session_factory"]() as session:
        payload = session.execute(text("SELECT payload FROM outbox LIMIT 1")).scalar_one()
        event = payload if isinstance(payload, dict) else json.loads(payload)
        profile = event["payload"]["profile"]
        code = profile["enterprise"]["uscc"]
        firm = session.scalars(select(Enterprise).where(Enterprise.uscc == code)).one()
        as_of = date.fromisoformat(profile["as_of"])
        assert profile == build_profile(session, firm, as_of)
        live = sorted(session.scalars(text(
            "SELECT pool FROM pool_membership WHERE enterprise_id = :id AND stage NOT IN "
            "('rejected', 'withdrawn')").bindparams(id=firm.id)))
        assert event["payload"].get("pools", live) == live
        assert event["payload"].get("town_code", firm.town_code) == firm.town_code
        Profile.model_validate(profile)
    engine.dispose()


def test_seed_demo_refuses_an_app_other_than_the_registry() -> None:
    """Flask offers plugin commands to every app: the demo must not write another service's
    database."""
    other = Flask("notify")
    result = other.test_cli_runner().invoke(FlaskGroup(create_app=lambda: other),
                                            ["seed-demo", "--n", "1"])
    assert result.exit_code == 2
    assert "seed-demo loads the registry only" in result.output
