"""Pods wait for their schema: the init container's gate against real PostgreSQL databases."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from yumiao_common.db.engine import make_engine
from yumiao_common.db.migrations import Migrations
from yumiao_common.db.schema_gate import SERVICES
from yumiao_common.db.schema_gate import locate
from yumiao_common.db.schema_gate import schema_state
from yumiao_common.db.schema_gate import wait_for_schema

ROOT = Path(__file__).resolve().parents[2]


def _gate(service: str, url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", f"{service.upper()}_DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "yumiao_common.db.schema_gate", service, *extra],
        capture_output=True, text=True, timeout=60, env=env, cwd=ROOT,
    )


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_finds_its_migrations(service: str) -> None:
    schema = locate(service)
    assert (schema.migrations_dir / "versions").is_dir()


def test_gate_waits_for_the_migration_then_lets_the_pod_start(
    make_pg_database: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = make_pg_database("gate")
    # Not migrated: the init container gives up (exit 1) and the kubelet retries the pod.
    unmigrated = _gate("gateway", url, "--timeout", "0")
    assert unmigrated.returncode == 1, unmigrated.stderr
    assert "not migrated" in unmigrated.stderr

    monkeypatch.setenv("GATEWAY_DATABASE_URL", url)
    schema = locate("gateway")
    Migrations(schema.migrations_dir.parent, "GATEWAY").upgrade_head(url)
    migrated = _gate("gateway", url, "--timeout", "0")
    assert migrated.returncode == 0, migrated.stderr


def test_an_older_revision_waits_and_a_newer_unknown_one_passes(
    make_pg_database: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = make_pg_database("gate")
    monkeypatch.setenv("GATEWAY_DATABASE_URL", url)
    schema = locate("gateway")
    Migrations(schema.migrations_dir.parent, "GATEWAY").upgrade_head(url)
    head = schema_state(schema).head
    engine = make_engine(url)
    try:
        revisions = list(ScriptDirectory(str(schema.migrations_dir)).walk_revisions())
        older = revisions[-1].revision  # the first migration: an older release's schema
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": older})
        state = schema_state(schema)
        assert not state.ready and state.current == {older} and state.head == head
        sleeps: list[float] = []
        ticks = iter(range(100))
        assert wait_for_schema(schema, timeout=3, interval=1, clock=lambda: float(next(ticks)),
                               sleep=sleeps.append) is None
        assert sleeps == [1, 1]  # checked at t=1, 2 and 3, then gave up

        # A revision this code does not know: the next release has migrated (expand first).
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = 'from_next_release'"))
        state = schema_state(schema)
        assert state.ready and state.ahead
    finally:
        engine.dispose()
