"""``python -m registry.relay`` publishes the registry's outbox to ``yumiao.events``: the
event of a committed change arrives once, with ``message_id`` = outbox id, and is marked sent.
(The relay's crash/restart semantics are tested with the shared relay in tests/common.)"""

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
from flask.testing import FlaskClient
from registry_testkit import HEADERS
from registry_testkit import enterprise_body
from registry_testkit import new_uscc
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.models.base import outbox_table

pytestmark = pytest.mark.integration


def _drain(channel: Any, queue: str) -> list[tuple[str, dict[str, Any]]]:
    out = []
    while True:
        method, properties, body = channel.basic_get(queue, auto_ack=True)
        if method is None:
            return out
        out.append((properties.message_id, json.loads(body)))


def test_relay_publishes_a_committed_change_once(
    client: FlaskClient, session: Session, database_url: str,
    make_amqp_vhost: Callable[[], str],
) -> None:
    amqp_url = make_amqp_vhost()
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = connection.channel()
    channel.exchange_declare("yumiao.events", exchange_type="topic", durable=True)
    queue = f"registry.test.{uuid.uuid4().hex[:8]}"
    channel.queue_declare(queue)
    channel.queue_bind(queue, "yumiao.events", routing_key="registry.#")
    uscc, rid = new_uscc(), uuid.uuid4().hex
    client.post("/api/v1/enterprises", json=enterprise_body(uscc),
                headers={**HEADERS, "X-Request-ID": rid})
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
    row = session.execute(select(outbox_table).where(
        outbox_table.c.correlation_id == rid)).one()
    assert message_id == str(row.id) and row.published_at is not None
