"""``seed-demo`` on SQLite and PostgreSQL: bulk-loaded, idempotent, snapshots match the registry."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy import text

from registry.app import create_app
from registry.migrate import upgrade_head
from registry.models import Enterprise
from registry.profile import build_profile
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
    engine = app.extensions["registry.engine"]

    def counts() -> dict[str, int]:
        with engine.connect() as conn:
            return {t: conn.scalar(text(f"SELECT count(*) FROM {t}")) or 0 for t in TABLES}

    first = runner.invoke(args=["seed-demo", "--n", "150"])
    assert first.exit_code == 0, first.output
    assert "150 added" in first.output
    loaded = counts()
    assert loaded["enterprise"] == loaded["outbox"] == loaded["audit_log"] == 150
    assert loaded["stage_move"] >= loaded["pool_membership"] > 20
    assert all(loaded[t] > 0 for t in TABLES)

    second = runner.invoke(args=["seed-demo", "--n", "150"])
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
