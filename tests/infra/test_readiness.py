"""/readyz says whether a web process can serve: its database, at its code's schema.

Never the broker: the web processes write events to the outbox and never talk AMQP, so a
RabbitMQ outage must not take every pod out of its Service (the outage the outbox absorbs).
A database left behind the code's migration head is not ready, and says why.
"""

from __future__ import annotations

import socket
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import QueuePool
from sqlalchemy import text

from yumiao_common.db.engine import make_engine
from yumiao_common.db.migrations import Migrations
from yumiao_common.db.schema_gate import CodeRevisions
from yumiao_common.db.schema_gate import env_prefix
from yumiao_common.db.schema_gate import migrations_dir

WEB_SERVICES = ("registry", "scoring", "notify", "gateway")


def closed_port_amqp_url() -> str:
    """An AMQP URL nothing listens on (the shared broker stays up for everyone else)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"amqp://guest:guest@127.0.0.1:{port}/%2F"


def build_app(service: str, database_url: str, **overrides: object) -> Flask:
    if service == "registry":
        from registry.app import create_app as registry_app
        from registry.settings import Settings as RegistrySettings

        return registry_app(RegistrySettings(database_url=database_url, demo_mode=True,
                                             log_json=False, **overrides))  # type: ignore[arg-type]
    if service == "notify":
        from notify.app import create_app as notify_app
        from notify.settings import Settings as NotifySettings

        return notify_app(NotifySettings(database_url=database_url, demo_mode=True,
                                         log_json=False, **overrides))  # type: ignore[arg-type]
    if service == "scoring":
        from scoring.app import create_app as scoring_app
        from scoring.settings import Settings as ScoringSettings

        return scoring_app(ScoringSettings(database_url=database_url, demo_mode=True,
                                           log_json=False, **overrides))  # type: ignore[arg-type]
    from gateway.app import create_app as gateway_app
    from gateway.settings import Settings as GatewaySettings

    return gateway_app(GatewaySettings(database_url=database_url, demo_mode=True,
                                       log_json=False, **overrides))  # type: ignore[arg-type]


def migrated(service: str, make_pg_database: Callable[[str], str]) -> str:
    url = make_pg_database(f"ready-{service}")
    Migrations(migrations_dir(service).parent, env_prefix(service).rstrip("_")).upgrade_head(url)
    return url


@pytest.mark.parametrize("service", ["registry", "notify"])  # the two that used to check it
def test_a_web_process_is_ready_while_the_broker_is_unreachable(
    service: str, make_pg_database: Callable[[str], str],
) -> None:
    url = migrated(service, make_pg_database)
    app = build_app(service, url, amqp_url=closed_port_amqp_url())
    answer = app.test_client().get("/readyz")
    assert answer.status_code == 200, answer.json
    assert answer.json == {"status": "ready", "checks": {"database": "ok", "schema": "ok"}}


@pytest.mark.parametrize("service", ["registry", "notify", "gateway"])  # scoring: one migration
def test_a_database_behind_the_code_is_not_ready_and_says_why(
    service: str, make_pg_database: Callable[[str], str],
) -> None:
    url = migrated(service, make_pg_database)
    client = build_app(service, url).test_client()
    assert client.get("/readyz").status_code == 200
    revisions = CodeRevisions.read(migrations_dir(service))
    [head] = revisions.head
    older = sorted(revisions.known - revisions.head)[0]  # an earlier release's schema
    set_revision(url, older)
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json == {"status": "not_ready", "checks": {
        "database": "ok", "schema": f"not ready: database at {older}, code expects {head}"}}
    set_revision(url, "from_next_release")  # the next release migrated first: still serves
    assert client.get("/readyz").status_code == 200


@pytest.mark.parametrize("service", WEB_SERVICES)
def test_an_unmigrated_database_is_not_ready(
    service: str, make_pg_database: Callable[[str], str],
) -> None:
    url = migrated(service, make_pg_database)
    client = build_app(service, url).test_client()
    set_revision(url, None)
    answer = client.get("/readyz")
    assert answer.status_code == 503
    body = answer.get_json()
    assert body["checks"]["schema"].startswith(
        "not ready: database at none (not migrated), code expects ")


def set_revision(url: str, revision: str | None) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM alembic_version"))
            if revision is not None:
                conn.execute(text("INSERT INTO alembic_version VALUES (:r)"), {"r": revision})
    finally:
        engine.dispose()


@pytest.mark.parametrize("service", WEB_SERVICES)
def test_the_web_process_opens_the_pool_its_settings_bound(
    service: str, make_pg_database: Callable[[str], str],
) -> None:
    app = build_app(service, make_pg_database(f"pool-{service}"), db_pool_size=3,
                    db_max_overflow=1, db_pool_timeout_seconds=0.5)
    engine = next(v for k, v in app.extensions.items() if k.endswith(".engine"))
    pool = engine.pool
    assert isinstance(pool, QueuePool)
    assert (pool.size(), pool._max_overflow, pool._timeout) == (3, 1, 0.5)
