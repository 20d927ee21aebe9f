"""A service's parking ledger end to end: a consumer that keeps failing parks a message, the
ledger lists it, the bureau replays it once, the consumer (its cause removed) applies it once.

Shared by registry's and scoring's tests so both walk the same steps as notify's sender; the
consumer runs with its real keeper (``consumer.parking_keeper``) on a short retry ladder in a
vhost of the test's own.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pika
from flask.testing import FlaskClient

from yumiao_common.contracts.base import Event
from yumiao_common.messaging.consumer import Consumer
from yumiao_common.messaging.consumer import ConsumerConfig
from yumiao_common.messaging.consumer import Handler
from yumiao_common.messaging.consumer import parking_keeper
from yumiao_common.messaging.topology import ConsumerQueue
from yumiao_common.messaging.topology import declare_consumer_queue

DEADLINE = 120.0
ACTOR = {"X-Actor": "user:admin"}


def quick(queue: ConsumerQueue) -> ConsumerQueue:
    """The service's queue with a ladder of fifths of a second (same attempts, same names)."""
    return replace(queue, retry_delays=tuple(0.2 for _ in queue.retry_delays))


def publish(amqp_url: str, queue: ConsumerQueue, event: Event) -> None:
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        channel = connection.channel()
        declare_consumer_queue(channel, queue)
        channel.confirm_delivery()
        channel.basic_publish("", queue.name, event.model_dump_json().encode(),
                              pika.BasicProperties(message_id=str(event.id), type=event.type,
                                                   delivery_mode=2,
                                                   content_type="application/json"))
    finally:
        connection.close()


def run_until(amqp_url: str, queue: ConsumerQueue, sessions: Any, inbox: Any, handler: Handler,
              parked: Any, done: Callable[[], bool]) -> None:
    """Run the consumer with its parking keeper until ``done()``; fail after ``DEADLINE``."""
    consumer = Consumer(amqp_url, queue, sessions, inbox, handler,
                        config=ConsumerConfig(batch_wait=0.01),
                        on_idle=[parking_keeper(sessions, parked, queue, interval=0.1)])
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + DEADLINE
    try:
        while not done():
            assert thread.is_alive(), f"{queue.name}: the consumer stopped"
            assert time.monotonic() < deadline, f"{queue.name}: not done in {DEADLINE:.0f}s"
            time.sleep(0.1)
    finally:
        consumer.stop()
        thread.join(30)


def listed(client: FlaskClient, prefix: str, message_id: str,
           status: str = "parked") -> dict[str, Any] | None:
    """The ledger's row of ``message_id`` as the list of ``status`` shows it (every page)."""
    cursor: str | None = None
    while True:
        resp = client.get(prefix, query_string={"limit": 200, "status": status, **(
            {"cursor": cursor} if cursor else {})})
        assert resp.status_code == 200, resp.get_json()
        page = resp.get_json()
        for item in page["items"]:
            if item["message_id"] == message_id:
                return dict(item)
        cursor = page["next_cursor"]
        if not cursor:
            return None


def replay_once(client: FlaskClient, prefix: str, parked_id: str) -> dict[str, Any]:
    """Ask for the replay with a reason (202), then again (409 in the common error shape)."""
    resp = client.post(f"{prefix}/{parked_id}/replay", headers=ACTOR,
                       json={"reason": "修复后重放 / replay after the fix"})
    assert resp.status_code == 202, resp.get_json()
    row = dict(resp.get_json())
    again = client.post(f"{prefix}/{parked_id}/replay", headers=ACTOR,
                        json={"reason": "再来一次"})
    assert again.status_code == 409, again.get_json()
    assert again.get_json()["error"]["code"] == "conflict"
    return row


def unknown_is_404(client: FlaskClient, prefix: str) -> None:
    resp = client.post(f"{prefix}/{uuid.uuid4()}/replay", headers=ACTOR, json={"reason": "x"})
    assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "not_found"
