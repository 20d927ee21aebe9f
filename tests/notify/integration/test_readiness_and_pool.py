"""notify's web process: ready while the broker is down, pool bounded by its settings.

The web writes delivery requests to the outbox and never speaks AMQP, so /readyz checks the
database (reachable, at the code's schema) only: a RabbitMQ outage (the outage the outbox
absorbs) must not take notify out of its Service. Every notify process opens its engine with
the pool bounds of its settings (the connection budget in k8s/README.md multiplies them by the
number of processes).
"""

from __future__ import annotations

import socket

import pytest
from sqlalchemy import QueuePool

from notify.app import create_app
from notify.settings import Settings

pytestmark = pytest.mark.integration


def closed_port_amqp_url() -> str:
    """An AMQP URL nothing listens on (the shared broker stays up for the other tests)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"amqp://guest:guest@127.0.0.1:{port}/%2F"


def test_ready_while_the_broker_is_unreachable(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"amqp_url": closed_port_amqp_url()}))
    answer = app.test_client().get("/readyz")
    assert answer.status_code == 200, answer.json
    assert answer.json == {"status": "ready", "checks": {"database": "ok", "schema": "ok"}}


def test_not_ready_when_the_database_is_unreachable(settings: Settings) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    down = f"postgresql+psycopg://postgres@127.0.0.1:{port}/notify"
    app = create_app(settings.model_copy(update={"database_url": down,
                                                 "db_pool_timeout_seconds": 0.5}))
    answer = app.test_client().get("/readyz")
    assert answer.status_code == 503
    assert answer.json is not None
    assert answer.json["checks"]["database"].startswith("error: ")


def test_the_web_process_opens_the_pool_its_settings_bound(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={
        "db_pool_size": 3, "db_max_overflow": 1, "db_pool_timeout_seconds": 0.5}))
    pool = app.extensions["notify.engine"].pool
    assert isinstance(pool, QueuePool)
    assert (pool.size(), pool._max_overflow, pool._timeout) == (3, 1, 0.5)
