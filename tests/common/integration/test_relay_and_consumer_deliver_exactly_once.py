"""Outbox → relay → RabbitMQ → consumer: each committed event takes effect exactly once.

A rolled-back transaction emits nothing; two relays on PostgreSQL never publish one row twice;
a duplicate delivery (the relay re-publishing after a lost mark) changes nothing.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import pika
import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from yumiao_common.messaging.outbox import add_events
from yumiao_common.messaging.relay import RelayConfig
from yumiao_common.messaging.relay import run_relay
from yumiao_common.messaging.topology import ConsumerQueue

pytestmark = pytest.mark.integration


def drain_ids(amqp_url: str, queue: str) -> list[str]:
    """Every message id in ``queue`` (consumed and acked)."""
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = connection.channel()
    channel.basic_qos(prefetch_count=1000)
    ids = []
    for method, properties, _body in channel.consume(queue, inactivity_timeout=0.5):
        if method is None:
            break
        ids.append(properties.message_id)
        channel.basic_ack(method.delivery_tag)
    connection.close()
    return ids


def test_committed_events_reach_the_consumer_once_and_rolled_back_ones_never(
    any_db: Any, bus: Any, kit: Any
) -> None:
    committed = any_db.write(kit.moved(i) for i in range(300))
    with Session(any_db.engine) as session:
        add_events(session, any_db.outbox, [kit.moved(1000 + i) for i in range(50)])
        session.rollback()

    code = bus.relay(any_db, batch_size=64)
    _, thread, _ = kit.start_consumer(any_db, bus, kit.recording_handler(any_db), idle_stop=0.5)
    thread.join(30)

    assert code == 0 and any_db.unpublished() == 0
    effects = Counter(any_db.effect_ids())
    assert set(effects) == {e.id for e in committed}
    assert max(effects.values()) == 1


def test_two_relays_on_postgresql_never_publish_the_same_row(
    pg_db: Any, bus: Any, kit: Any
) -> None:
    events = pg_db.write(kit.moved(i) for i in range(4000))
    codes: list[int] = []

    def relay() -> None:
        codes.append(bus.relay(pg_db, batch_size=100, batches_in_flight=2))

    threads = [threading.Thread(target=relay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    ids = drain_ids(bus.url, bus.queue.name)
    assert codes == [0, 0] and pg_db.unpublished() == 0
    assert len(ids) == len(set(ids)) == len(events)


def test_a_duplicate_delivery_changes_nothing(pg_db: Any, bus: Any, kit: Any) -> None:
    events = pg_db.write(kit.moved(i) for i in range(20))
    bus.relay(pg_db)
    # The relay lost its marks (crash between confirm and commit): everything goes out again.
    with pg_db.session_factory.begin() as session:
        session.execute(update(pg_db.outbox).values(published_at=None))
    bus.relay(pg_db)

    _, thread, _ = kit.start_consumer(pg_db, bus, kit.recording_handler(pg_db), idle_stop=0.5)
    thread.join(30)

    assert sorted(map(str, pg_db.effect_ids())) == sorted(str(e.id) for e in events)


def test_an_event_nobody_consumes_stays_unpublished_with_the_reason(
    pg_db: Any, bus: Any, kit: Any
) -> None:
    pg_db.write([kit.moved(0)])
    unbound = ConsumerQueue(f"{bus.queue.name}.other", ("registry.enterprise.changed",),
                            exchange=bus.exchange)
    config = RelayConfig(once=True, exchange=bus.exchange)
    assert run_relay(bus.url, pg_db.engine, pg_db.outbox, config, registry=[unbound]) == 0

    with Session(pg_db.engine) as session:
        row = session.execute(pg_db.outbox.select()).one()
    assert row.published_at is None and row.attempts == 1
    assert "NO_ROUTE" in row.last_error and row.next_attempt_at is not None


def test_relay_and_consumer_exit_non_zero_when_the_broker_refuses_the_topology(
    pg_db: Any, bus: Any, kit: Any
) -> None:
    connection = pika.BlockingConnection(pika.URLParameters(bus.url))
    connection.channel().queue_declare(bus.queue.name, durable=True)  # classic, not quorum
    connection.close()

    assert bus.relay(pg_db) == 1
    _, thread, codes = kit.start_consumer(pg_db, bus, kit.recording_handler(pg_db))
    thread.join(10)
    assert codes == [1]
