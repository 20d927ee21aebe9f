"""A message a handler cannot process is retried with back-off, then parked, never looped.

The rest of its batch still commits (the batch falls back to one-by-one); an unparseable
message is parked at once; a parked message replayed after the fix takes effect once.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pika
import pytest

from yumiao_common.messaging.parking import peek_parked
from yumiao_common.messaging.parking import replay_parked

pytestmark = pytest.mark.integration


def publish_raw(bus: Any, body: bytes) -> None:
    connection = pika.BlockingConnection(pika.URLParameters(bus.url))
    channel = connection.channel()
    channel.confirm_delivery()
    properties = pika.BasicProperties(delivery_mode=2, message_id="garbage-1")
    channel.basic_publish(bus.exchange, "registry.pipeline.moved", body, properties)
    connection.close()


def test_poison_message_is_parked_after_its_attempts_and_replays_once_fixed(
    pg_db: Any, bus: Any, kit: Any
) -> None:
    good = pg_db.write(kit.moved(i) for i in range(10))
    (poison,) = pg_db.write([kit.moved(99, name="POISON")])
    assert bus.relay(pg_db) == 0
    publish_raw(bus, b"{not json")
    calls: list[str] = []

    consumer, thread, codes = kit.start_consumer(
        pg_db, bus, kit.recording_handler(pg_db, fail_on="POISON", calls=calls), idle_stop=2.0
    )
    assert kit.wait_until(lambda: len(peek_parked(bus.url, bus.queue)) == 2, timeout=15)
    consumer.stop()
    thread.join(10)

    parked = {m.message_id: m for m in peek_parked(bus.url, bus.queue)}
    assert codes == [0]
    # Three attempts (the first ran twice: in its batch, then isolated), then parked.
    assert Counter(calls)["POISON"] == bus.queue.max_attempts + 1 == 4
    assert parked[str(poison.id)].attempts == 3
    assert "cannot handle" in str(parked[str(poison.id)].error)
    assert "garbage-1" in parked
    assert sorted(map(str, pg_db.effect_ids())) == sorted(str(e.id) for e in good)

    assert replay_parked(bus.url, bus.queue, message_ids={str(poison.id)}) == 1
    _, thread, _ = kit.start_consumer(pg_db, bus, kit.recording_handler(pg_db), idle_stop=0.5)
    thread.join(10)
    assert Counter(pg_db.effect_ids())[poison.id] == 1
    assert [m.message_id for m in peek_parked(bus.url, bus.queue)] == ["garbage-1"]
