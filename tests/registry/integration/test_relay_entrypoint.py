"""``python -m registry.relay`` publishes the registry's outbox to ``yumiao.events``: the
event of a committed change arrives once, with ``message_id`` = outbox id, and is marked sent.
(The relay's crash/restart semantics are tested with the shared relay in tests/common.)

The relay drains every due row, so it runs on a database of its own (per backend): on the
run's shared one it would first publish what every earlier test left in the outbox — hundreds
of rows into quorum queues in a full run, long enough on a loaded machine to miss the deadline.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from typing import Any

import pika
import pytest
from registry_testkit import HEADERS
from registry_testkit import enterprise_body
from registry_testkit import new_uscc
from sqlalchemy import select

from registry.adapters.sql.migrations import upgrade_head
from registry.app import create_app
from registry.models.base import outbox_table
from registry.settings import Settings
from yumiao_common.db.engine import make_session_factory

pytestmark = pytest.mark.integration


def _drain(channel: Any, queue: str) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    while True:
        method, properties, body = channel.basic_get(queue, auto_ack=True)
        if method is None:
            return out
        out.append((properties.message_id, json.loads(body)))


@pytest.fixture
def own_database(is_postgres: bool, make_pg_database: Callable[[str], str],
                 make_sqlite_url: Callable[[str], str]) -> str:
    """A migrated registry database of this test alone, on the backend of the run's one."""
    url = make_pg_database("registry_relay") if is_postgres else make_sqlite_url("registry-relay")
    upgrade_head(url)
    return url


def test_relay_publishes_a_committed_change_once(
    own_database: str, make_amqp_vhost: Callable[[], str],
) -> None:
    database_url = own_database
    app = create_app(Settings(database_url=database_url, log_json=False, log_level="WARNING"))
    client = app.test_client()
    amqp_url = make_amqp_vhost()
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = connection.channel()
    channel.exchange_declare("yumiao.events", exchange_type="topic", durable=True)
    queue = f"registry.test.{uuid.uuid4().hex[:8]}"
    channel.queue_declare(queue)
    channel.queue_bind(queue, "yumiao.events", routing_key="registry.#")
    uscc, rid = new_uscc(), uuid.uuid4().hex
    created = client.post("/api/v1/enterprises", json=enterprise_body(uscc),
                          headers={**HEADERS, "X-Request-ID": rid})
    assert created.status_code == 201, created.json
    env = {**os.environ, "REGISTRY_DATABASE_URL": database_url, "REGISTRY_AMQP_URL": amqp_url,
           "REGISTRY_LOG_JSON": "false"}
    done = subprocess.run([sys.executable, "-m", "registry.relay", "--once"], env=env,
                          timeout=120, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    mine = [(mid, body) for mid, body in _drain(channel, queue)
            if body.get("correlation_id") == rid]
    connection.close()
    [(message_id, body)] = mine
    assert body["type"] == "registry.enterprise.changed"
    with make_session_factory(app.extensions["registry.engine"])() as session:
        row = session.execute(select(outbox_table).where(
            outbox_table.c.correlation_id == rid)).one()
    assert message_id == str(row.id) and row.published_at is not None
