"""Relay throughput: N outbox rows on PostgreSQL → RabbitMQ (confirmed), one relay process.

Not a test: run ``.venv/bin/python bench/messaging_relay.py [N [BATCH [IN_FLIGHT]]]``.
It creates a throwaway database and vhost, writes N events with ``add_events``, drains
them with ``run_relay`` (``once``), checks the sink queue holds exactly N messages, times
bare pika publishing as many (confirms in flight, window 1,000) on the same broker, and prints
``relay: rows=N seconds=S msgs_per_s=R ratio_to_raw_pika=X``.
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from datetime import UTC
from datetime import datetime
from typing import Any

import pika
from sqlalchemy import create_engine
from sqlalchemy import text
from sqlalchemy.orm import Session

from yumiao_common.contracts.registry import PipelineMoved
from yumiao_common.db import make_engine
from yumiao_common.db import make_metadata
from yumiao_common.db import make_session_factory
from yumiao_common.messaging.consumer import Consumer
from yumiao_common.messaging.consumer import ConsumerConfig
from yumiao_common.messaging.inbox import define_inbox_table
from yumiao_common.messaging.outbox import add_events
from yumiao_common.messaging.outbox import define_outbox_table
from yumiao_common.messaging.relay import RelayConfig
from yumiao_common.messaging.relay import run_relay
from yumiao_common.messaging.topology import ConsumerQueue

ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def event(n: int) -> PipelineMoved:
    return PipelineMoved.model_validate(
        {"payload": {"uscc": "91371500614071479T", "enterprise_name": f"企业{n}",
                     "pool": "hnte_reserve", "from_stage": "nominated", "to_stage": "screened",
                     "actor": "bench", "moved_at": datetime.now(UTC)}}
    )


def raw_pika(amqp_url: str, exchange: str, n: int, window: int = 1000) -> float:
    """Seconds for bare pika to publish n persistent messages, confirms kept in flight."""
    state = {"sent": 0, "confirmed": 0}
    body = event(0).model_dump_json().encode()
    properties = pika.BasicProperties(delivery_mode=2, content_type="application/json")

    def pump(channel: Any) -> None:
        while state["sent"] < n and state["sent"] - state["confirmed"] < window:
            channel.basic_publish(exchange, "registry.pipeline.moved", body, properties)
            state["sent"] += 1

    def on_confirm(frame: Any) -> None:
        state["confirmed"] = frame.method.delivery_tag
        if state["confirmed"] >= n:
            connection.close()
        else:
            pump(channel_box[0])

    def on_channel(channel: Any) -> None:
        channel_box.append(channel)
        channel.confirm_delivery(ack_nack_callback=on_confirm, callback=lambda _f: pump(channel))

    channel_box: list[Any] = []
    started = time.perf_counter()
    connection = pika.SelectConnection(
        pika.URLParameters(amqp_url),
        on_open_callback=lambda c: c.channel(on_open_callback=on_channel),
        on_close_callback=lambda c, _r: c.ioloop.stop(),
    )
    connection.ioloop.start()
    return time.perf_counter() - started


def consume_all(amqp_url: str, engine: Any, sink: ConsumerQueue, n: int) -> float:
    """Seconds for the consumer base to take n messages through its inbox (no-op handler)."""
    metadata = make_metadata()
    inbox = define_inbox_table(metadata)
    metadata.create_all(engine)
    consumer = Consumer(amqp_url, sink, make_session_factory(engine), inbox,
                        lambda _s, _e: None, config=ConsumerConfig(idle_stop=0.3))
    started = time.perf_counter()
    consumer.run()
    assert consumer.handled == n, consumer.handled
    return time.perf_counter() - started - 0.3


def main(n: int, batch_size: int = 500, in_flight: int = 2) -> None:
    name = f"yb_{int(time.time())}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    subprocess.run(["rabbitmqctl", "-q", "add_vhost", name], check=True)
    subprocess.run(["rabbitmqctl", "-q", "set_permissions", "-p", name, "guest", ".*", ".*", ".*"],
                   check=True)
    amqp_url = f"amqp://guest:guest@127.0.0.1:5672/{name}"
    engine = make_engine(ADMIN.rsplit("/", 1)[0] + "/" + name)
    try:
        metadata = make_metadata()
        outbox = define_outbox_table(metadata)
        metadata.create_all(engine)
        with Session(engine) as session:
            add_events(session, outbox, (event(i) for i in range(n)))
            session.commit()
        sink = ConsumerQueue("bench.sink", ("registry.pipeline.moved",))
        started = time.perf_counter()
        config = RelayConfig(once=True, batch_size=batch_size, batches_in_flight=in_flight)
        code = run_relay(amqp_url, engine, outbox, config, registry=[sink])
        seconds = time.perf_counter() - started
        connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
        depth = connection.channel().queue_declare(sink.name, passive=True).method.message_count
        connection.close()
        assert code == 0 and depth == n, (code, depth)
        consumed = consume_all(amqp_url, engine, sink, n)
        print(f"consumer (batches of 500, inbox claim, one commit per batch): "
              f"{n / consumed:.0f} msgs/s")
        raw = raw_pika(amqp_url, "yumiao.events", n)
        print(f"raw pika (confirms in flight, window 1000): {n / raw:.0f} msgs/s")
        print(f"relay: rows={n} seconds={seconds:.2f} msgs_per_s={n / seconds:.0f} "
              f"ratio_to_raw_pika={seconds / raw:.2f}")
    finally:
        engine.dispose()
        subprocess.run(["rabbitmqctl", "-q", "delete_vhost", name], check=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:4])) if len(sys.argv) > 1 else main(20_000)
