"""Messaging throughput: relay, consumer base and both together, each against bare pika.

Not a test: run ``.venv/bin/python bench/messaging_relay.py [N [BATCH [IN_FLIGHT]]]``
(default N = 20,000, the relay's default batch and window). It creates a throwaway database
and vhost and, on one broker in one run (the machine is shared: compare ratios, not rates):

1. relay: N outbox rows (``add_events``) drained by ``run_relay`` (``once``) into a quorum
   queue, vs bare pika publishing N persistent messages with confirms in flight (window
   1,000, ``SelectConnection``);
2. consumer: the consumer base (inbox claim, no-op handler, one commit per batch) taking the
   N messages, vs a bare pika consumer (prefetch 1,000, one multiple-ack per 500);
3. end to end: N fresh outbox rows → relay (thread) → RabbitMQ → consumer base (its own
   process, connected before the clock) vs bare publisher → bare consumer (own process), the
   two sides running concurrently in both. Lost and duplicated messages are counted.

Prints ``consumer: …``, ``end_to_end: …`` and, last, ``relay: rows=N seconds=S msgs_per_s=R
ratio_to_raw_pika=X``.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC
from datetime import datetime
from typing import Any

import pika
from sqlalchemy import Engine
from sqlalchemy import Table
from sqlalchemy import create_engine
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy.orm import Session

from yumiao_common.contracts.registry import PipelineMoved
from yumiao_common.db.engine import make_engine
from yumiao_common.db.engine import make_metadata
from yumiao_common.db.engine import make_session_factory
from yumiao_common.messaging.consumer import Consumer
from yumiao_common.messaging.inbox import define_inbox_table
from yumiao_common.messaging.outbox import add_events
from yumiao_common.messaging.outbox import define_outbox_table
from yumiao_common.messaging.relay import RelayConfig
from yumiao_common.messaging.relay import run_relay
from yumiao_common.messaging.topology import ConsumerQueue
from yumiao_common.messaging.topology import declare_topology
from yumiao_common.messaging.topology import queue_counts

ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
SINK = ConsumerQueue("bench.sink", ("registry.pipeline.moved",))
CONSUMER = "bench"


def event(n: int) -> PipelineMoved:
    return PipelineMoved.model_validate(
        {"payload": {"uscc": "91371500614071479T", "enterprise_name": f"企业{n}",
                     "pool": "hnte_reserve", "from_stage": "nominated", "to_stage": "screened",
                     "actor": "bench", "moved_at": datetime.now(UTC)}}
    )


def raw_publish(amqp_url: str, n: int, window: int = 1000) -> float:
    """Seconds for bare pika to publish n persistent messages, confirms kept in flight."""
    state = {"sent": 0, "confirmed": 0}
    body = event(0).model_dump_json().encode()
    properties = pika.BasicProperties(delivery_mode=2, content_type="application/json")

    def pump(channel: Any) -> None:
        while state["sent"] < n and state["sent"] - state["confirmed"] < window:
            channel.basic_publish(SINK.exchange, "registry.pipeline.moved", body, properties)
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


def raw_consume(amqp_url: str, n: int, ready: Any = None) -> tuple[float, list[str]]:
    """Bare pika: take n messages, prefetch 1,000, one multiple-ack per 500; (seconds, ids)."""
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = connection.channel()
    channel.basic_qos(prefetch_count=1000)
    ids: list[str] = []
    if ready:
        ready()
    started = time.perf_counter()
    for method, properties, _body in channel.consume(SINK.name, inactivity_timeout=30):
        if method is None:
            break
        ids.append(properties.message_id)
        if len(ids) % 500 == 0 or len(ids) >= n:
            channel.basic_ack(method.delivery_tag, multiple=True)
        if len(ids) >= n:
            break
    seconds = time.perf_counter() - started
    connection.close()
    return seconds, ids


def real_consume(amqp_url: str, db_url: str, n: int, ready: Any = None) -> tuple[float, int]:
    """The consumer base (inbox claim, no-op handler) until n are handled; (seconds, handled).

    ``handled`` counts only events the inbox had not seen: above n would be a duplicate.
    """
    engine = make_engine(db_url)
    inbox = define_inbox_table(make_metadata())
    consumer = Consumer(amqp_url, SINK, make_session_factory(engine), inbox,
                        lambda _s, _e: None, name=CONSUMER)
    started = [time.perf_counter()]

    def watch() -> None:
        if ready:
            ready()
        started[0] = time.perf_counter()
        while consumer.handled < n:
            time.sleep(0.002)
        started.append(time.perf_counter())
        consumer.stop()

    watcher = threading.Thread(target=watch)
    watcher.start()
    consumer.run()
    watcher.join()
    engine.dispose()
    return started[1] - started[0], consumer.handled


def in_child(args: list[str]) -> subprocess.Popen[str]:
    """Start a consumer side in its own process; returns once it is connected."""
    child = subprocess.Popen([sys.executable, __file__, "--child", *args],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    return child


def child_main(kind: str, amqp_url: str, db_url: str, n: int) -> None:
    def ready() -> None:
        print("ready", flush=True)

    if kind == "raw":
        _, ids = raw_consume(amqp_url, n, ready)
        print(len(ids), flush=True)
    else:
        print(real_consume(amqp_url, db_url, n, ready)[1], flush=True)


def end_to_end(amqp_url: str, db_url: str, engine: Engine, outbox: Table, n: int,
               config: RelayConfig) -> tuple[float, float, int, int]:
    """(real seconds, raw seconds, lost, duplicates) with both sides running concurrently."""
    write(engine, outbox, n)
    child = in_child(["real", amqp_url, db_url, str(n)])
    started = time.perf_counter()
    code = run_relay(amqp_url, engine, outbox, config, registry=[SINK])
    out, _ = child.communicate(timeout=300)
    real = time.perf_counter() - started
    assert code == 0 and child.returncode == 0, (code, child.returncode)
    handled = int(out)
    inbox = define_inbox_table(make_metadata())
    with Session(engine) as session:
        claimed = session.execute(select(func.count()).select_from(inbox)).scalar_one()
        unpublished = session.execute(
            select(func.count()).where(outbox.c.published_at.is_(None))).scalar_one()
    lost = 2 * n - claimed + unpublished  # the consumer phase claimed the first n
    child = in_child(["raw", amqp_url, db_url, str(n)])
    started = time.perf_counter()
    raw_publish(amqp_url, n)
    out, _ = child.communicate(timeout=300)
    raw = time.perf_counter() - started
    assert int(out) == n, out
    return real, raw, lost, handled - n


def write(engine: Engine, outbox: Table, n: int) -> None:
    with Session(engine) as session:
        add_events(session, outbox, (event(i) for i in range(n)))
        session.commit()


def queue_depth(amqp_url: str) -> int:
    return queue_counts(amqp_url, SINK.name)[0]


def main(n: int, batch_size: int = RelayConfig.batch_size,
         in_flight: int = RelayConfig.batches_in_flight) -> None:
    name = f"yb_{int(time.time())}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    subprocess.run(["rabbitmqctl", "-q", "add_vhost", name], check=True)
    subprocess.run(["rabbitmqctl", "-q", "set_permissions", "-p", name, "guest", ".*", ".*", ".*"],
                   check=True)
    amqp_url = f"amqp://guest:guest@127.0.0.1:5672/{name}"
    db_url = ADMIN.rsplit("/", 1)[0] + "/" + name
    engine = make_engine(db_url)
    try:
        metadata = make_metadata()
        outbox = define_outbox_table(metadata)
        define_inbox_table(metadata)
        metadata.create_all(engine)
        declare_topology(amqp_url, [SINK])
        write(engine, outbox, n)
        config = RelayConfig(once=True, batch_size=batch_size, batches_in_flight=in_flight)
        started = time.perf_counter()
        code = run_relay(amqp_url, engine, outbox, config, registry=[SINK])
        seconds = time.perf_counter() - started
        assert code == 0 and queue_depth(amqp_url) == n, code
        consumed, _ = real_consume(amqp_url, db_url, n)
        raw = raw_publish(amqp_url, n)
        raw_consumed, _ = raw_consume(amqp_url, n)
        print(f"consumer: messages={n} seconds={consumed:.2f} msgs_per_s={n / consumed:.0f} "
              f"raw_msgs_per_s={n / raw_consumed:.0f} "
              f"ratio_to_raw_pika={consumed / raw_consumed:.2f}")
        real_e2e, raw_e2e, lost, duplicates = end_to_end(amqp_url, db_url, engine, outbox, n,
                                                         config)
        print(f"end_to_end: events={n} seconds={real_e2e:.2f} raw_seconds={raw_e2e:.2f} "
              f"ratio_to_raw_pika={real_e2e / raw_e2e:.2f} lost={lost} duplicates={duplicates}")
        print(f"relay: rows={n} seconds={seconds:.2f} msgs_per_s={n / seconds:.0f} "
              f"raw_msgs_per_s={n / raw:.0f} ratio_to_raw_pika={seconds / raw:.2f}")
    finally:
        engine.dispose()
        subprocess.run(["rabbitmqctl", "-q", "delete_vhost", name], check=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child_main(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    else:
        main(*(int(arg) for arg in sys.argv[1:4])) if len(sys.argv) > 1 else main(20_000)
