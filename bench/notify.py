"""notify end to end vs. bare pika, and signed webhooks vs. a bare keep-alive POST loop.

Not a test: ``.venv/bin/python bench/notify.py [N [WEBHOOKS]]`` (defaults 10000, 2000).
Fresh PostgreSQL databases and a fresh vhost, dropped at the end.

1. Real path: N ``scoring.eligibility.changed`` events written as outbox rows (a producer's
   outbox, Core executemany) → the shared relay (thread) → RabbitMQ → ``python -m
   notify.consumer`` (subprocess, started before the clock; batches of 1,000 with prefetch
   2,000, so the next batch arrives while one commits) → notices in the in-app inbox.
   The clock runs from the first outbox write to the N-th stored notice.
2. Baseline, same broker, same N: the fastest bare pika loop — persistent publishes to a
   quorum queue with confirms kept in flight (window 1,000, ``SelectConnection``), then
   consuming with prefetch 1,000 and one multiple-ack per 500.
3. Webhooks: WEBHOOKS delivery requests queued in ``notify.deliveries``, then the sender
   (in-process thread) pushes them, signed, to a sink subprocess; baseline is a bare
   ``requests.Session`` keep-alive POST loop of as many requests to the same sink.

Prints ``webhooks: deliveries=N ratio_to_raw_http=R2`` and, last,
``notify: events=N seconds=S ratio_to_raw_pika=R lost=L duplicates=D``.
"""

from __future__ import annotations

import os
import sys

from yumiao_common.clock import beijing_today

# This file is named like the package it measures: drop bench/ from the path first.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]

import json  # noqa: E402
import subprocess  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from http.server import BaseHTTPRequestHandler  # noqa: E402
from http.server import ThreadingHTTPServer  # noqa: E402
from typing import Any  # noqa: E402

import pika  # noqa: E402
import requests  # noqa: E402
from sqlalchemy import create_engine  # noqa: E402
from sqlalchemy import func  # noqa: E402
from sqlalchemy import insert  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlalchemy import text  # noqa: E402

from notify.adapters.queues import EVENTS_QUEUE  # noqa: E402
from notify.adapters.queues import RELAY_QUEUES  # noqa: E402
from notify.adapters.sql.migrations import upgrade_head  # noqa: E402
from notify.domain.templates import TemplateSet  # noqa: E402
from notify.handlers.notices import process_events  # noqa: E402
from notify.handlers.policies import create_policy  # noqa: E402
from notify.models.messaging import outbox_table  # noqa: E402
from notify.models.notice import Notice  # noqa: E402
from notify.models.preference import Preference  # noqa: E402
from notify.sender import build as build_sender  # noqa: E402
from notify.settings import Settings  # noqa: E402
from yumiao_common.contracts.scoring import EligibilityChanged  # noqa: E402
from yumiao_common.contracts.scoring import EligibilityChangedPayload  # noqa: E402
from yumiao_common.db.engine import make_engine  # noqa: E402
from yumiao_common.db.engine import make_metadata  # noqa: E402
from yumiao_common.db.engine import make_session_factory  # noqa: E402
from yumiao_common.identifiers import generate_uscc  # noqa: E402
from yumiao_common.messaging.outbox import add_events  # noqa: E402
from yumiao_common.messaging.outbox import define_outbox_table  # noqa: E402
from yumiao_common.messaging.relay import RelayConfig  # noqa: E402
from yumiao_common.messaging.relay import run_relay  # noqa: E402
from yumiao_common.messaging.topology import declare_topology  # noqa: E402
from yumiao_common.messaging.topology import queue_counts  # noqa: E402

ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
SECRET = "bench-secret-0123456789"
TIER = "bench_tier"


def sink_main(port_file: str) -> None:
    """Sink subprocess: count POSTs; ``GET /count`` reports; keep-alive HTTP/1.1."""
    counts = {"n": 0}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with lock:
                counts["n"] += 1
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:  # noqa: N802
            body = str(counts["n"]).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_a: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(port_file, "w") as fh:
        fh.write(str(server.server_port))
    server.serve_forever()


def uscc(i: int) -> str:
    return generate_uscc("91", "371502", f"{i:08d}")


def event(i: int, tier: str = TIER) -> EligibilityChanged:
    return EligibilityChanged(payload=EligibilityChangedPayload(
        uscc=uscc(i), enterprise_name=f"基准企业{i}", tier=tier, before="near", after="eligible",
        criteria_gained=("rd_ratio",), rulebook_version="bench.1", as_of=beijing_today()))


def raw_pika(amqp_url: str, n: int) -> float:
    """Seconds to publish n (confirms in flight, window 1,000) and consume them (batched acks)."""
    queue, body = f"bench.raw.{uuid.uuid4().hex[:6]}", event(0).model_dump_json().encode()
    setup = pika.BlockingConnection(pika.URLParameters(amqp_url))
    setup.channel().queue_declare(queue, durable=True, arguments={"x-queue-type": "quorum"})
    setup.close()
    state = {"sent": 0, "acked": 0}
    started = time.perf_counter()

    def pump(ch: Any) -> None:
        while state["sent"] < n and state["sent"] - state["acked"] < 1000:
            ch.basic_publish("", queue, body, pika.BasicProperties(delivery_mode=2))
            state["sent"] += 1

    def on_confirm(frame: Any) -> None:
        tag = frame.method.delivery_tag
        state["acked"] = tag if frame.method.multiple else state["acked"] + 1
        if state["acked"] >= n:
            conn.close()
        else:
            pump(channel_box[0])

    def on_channel(ch: Any) -> None:
        channel_box.append(ch)
        ch.confirm_delivery(ack_nack_callback=on_confirm, callback=lambda _f: pump(ch))

    channel_box: list[Any] = []
    conn: Any = pika.SelectConnection(pika.URLParameters(amqp_url),
                                 on_open_callback=lambda c: c.channel(on_open_callback=on_channel),
                                 on_close_callback=lambda *_: conn.ioloop.stop())
    conn.ioloop.start()
    consumer = pika.BlockingConnection(pika.URLParameters(amqp_url))
    ch = consumer.channel()
    ch.basic_qos(prefetch_count=1000)
    got = 0
    for method, _p, _b in ch.consume(queue):
        got += 1
        if got % 500 == 0 or got == n:
            ch.basic_ack(method.delivery_tag, multiple=True)
        if got == n:
            break
    elapsed = time.perf_counter() - started
    ch.cancel()
    ch.queue_delete(queue)
    consumer.close()
    return elapsed


def real_path(notify_url: str, producer_url: str, amqp_url: str, n: int) -> tuple[float, int, int]:
    env = os.environ | {"NOTIFY_DATABASE_URL": notify_url, "NOTIFY_AMQP_URL": amqp_url,
                        "NOTIFY_LOG_JSON": "false", "NOTIFY_LOG_LEVEL": "WARNING"}
    consumer = subprocess.Popen([sys.executable, "-m", "notify.consumer", "--batch-size", "1000",
                                 "--prefetch", "2000"], env=env)
    producer_engine = make_engine(producer_url)
    producer_outbox = define_outbox_table(make_metadata())
    producer_outbox.metadata.create_all(producer_engine)
    events = [event(i) for i in range(n)]
    notify_engine = make_engine(notify_url)
    _wait_consumer(amqp_url)
    stop = threading.Event()
    started = time.perf_counter()
    with make_session_factory(producer_engine).begin() as session:
        add_events(session, producer_outbox, events)
    relay = threading.Thread(target=run_relay, args=(amqp_url, producer_engine, producer_outbox,
                                                     RelayConfig(batch_size=1000,
                                                                 batches_in_flight=2,
                                                                 poll_interval=0.01)),
                             kwargs={"stop_event": stop}, daemon=True)
    relay.start()
    count = 0
    while count < n and time.perf_counter() - started < 300:
        time.sleep(0.02)
        with notify_engine.connect() as conn:
            count = conn.scalar(select(func.count()).select_from(Notice)) or 0
    elapsed = time.perf_counter() - started
    stop.set()
    consumer.terminate()
    consumer.wait(10)
    relay.join(10)
    with notify_engine.connect() as conn:
        rows = conn.scalar(select(func.count()).select_from(Notice)) or 0
        distinct = conn.scalar(select(func.count(func.distinct(Notice.uscc)))) or 0
    producer_engine.dispose()
    notify_engine.dispose()
    return elapsed, n - distinct, rows - distinct


def _wait_consumer(amqp_url: str) -> None:
    for _ in range(200):
        if queue_counts(amqp_url, EVENTS_QUEUE.name)[1]:
            return
        time.sleep(0.05)
    raise RuntimeError("notify consumer did not start")


def webhooks(notify_url: str, amqp_url: str, m: int, sink: str) -> float:
    """Sender seconds / bare keep-alive POST loop seconds for m pushes to the same sink."""
    sessions = make_session_factory(make_engine(notify_url))
    with sessions.begin() as session:
        session.execute(insert(Preference), [dict(
            uscc=uscc(10_000_000 + i), language="zh-CN", channels=["inapp", "webhook"],
            webhook_url=sink + "/hook", webhook_secret=SECRET, version=1) for i in range(m)])
    templates = TemplateSet()
    for start in range(0, m, 1000):
        with sessions.begin() as session:
            process_events(session, [event(10_000_000 + i, "bench_hook")
                                     for i in range(start, min(m, start + 1000))],
                           templates=templates, weekly_cap=5)
    run_relay(amqp_url, make_engine(notify_url), outbox_table, RelayConfig(once=True),
              registry=RELAY_QUEUES)
    body = json.dumps({"subject": "x" * 80, "body": "y" * 400}).encode()
    http = requests.Session()
    started = time.perf_counter()
    for _ in range(m):
        http.post(sink + "/raw", data=body, headers={"Content-Type": "application/json"})
    raw = time.perf_counter() - started
    # The sink listens on loopback: allowed the way a bureau allows an on-premises receiver.
    settings = Settings(database_url=notify_url, amqp_url=amqp_url, log_level="WARNING",
                        log_json=False, webhook_allowed_targets=["127.0.0.1/32"],
                        webhook_allowed_ports=[int(sink.rsplit(":", 1)[1])])
    sender = build_sender(settings, sessions)
    started = time.perf_counter()
    thread = threading.Thread(target=sender.run, daemon=True)
    thread.start()
    while int(http.get(sink + "/count").text) < 2 * m and time.perf_counter() - started < 300:
        time.sleep(0.01)
    pushed = time.perf_counter() - started
    sender.stop()
    thread.join(10)
    return pushed / raw


def main(n: int, m: int) -> None:
    name = f"yb_{int(time.time())}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    dbs = [f"{name}_notify", f"{name}_producer"]
    with admin.connect() as conn:
        for db in dbs:
            conn.execute(text(f'CREATE DATABASE "{db}"'))
    subprocess.run(["rabbitmqctl", "-q", "add_vhost", name], check=True)
    subprocess.run(["rabbitmqctl", "-q", "set_permissions", "-p", name, "guest", ".*", ".*", ".*"],
                   check=True)
    amqp_url = f"amqp://guest:guest@127.0.0.1:5672/{name}"
    notify_url, producer_url = (ADMIN.rsplit("/", 1)[0] + "/" + db for db in dbs)
    port_file = f"/tmp/{name}.port"
    sink = subprocess.Popen([sys.executable, __file__, "--sink", port_file])
    try:
        upgrade_head(notify_url)
        with make_session_factory(make_engine(notify_url)).begin() as session:
            for tier in (TIER, "bench_hook"):
                create_policy(session, data=dict(
                    code=f"{tier}-award", trigger="eligible", tier=tier, name_zh="基准奖励",
                    name_en="bench award", summary_zh="测", summary_en="t", benefit_zh="奖励",
                    benefit_en="award", amount_yuan=100000, source_document="doc"),
                    actor="bench", reason="bench")
        declare_topology(amqp_url, RELAY_QUEUES)
        raw = raw_pika(amqp_url, n)
        seconds, lost, duplicates = real_path(notify_url, producer_url, amqp_url, n)
        while not os.path.exists(port_file):
            time.sleep(0.05)
        with open(port_file) as fh:
            sink_url = f"http://127.0.0.1:{fh.read().strip()}"
        r2 = webhooks(notify_url, amqp_url, m, sink_url)
        print(f"raw_pika: messages={n} seconds={raw:.3f}", flush=True)
        print(f"webhooks: deliveries={m} ratio_to_raw_http={r2:.2f}", flush=True)
        print(f"notify: events={n} seconds={seconds:.3f} ratio_to_raw_pika={seconds / raw:.2f} "
              f"lost={lost} duplicates={duplicates}", flush=True)
    finally:
        sink.terminate()
        if os.path.exists(port_file):
            os.remove(port_file)
        subprocess.run(["rabbitmqctl", "-q", "delete_vhost", name], check=False)
        with admin.connect() as conn:
            for db in dbs:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--sink":
        sink_main(sys.argv[2])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000,
             int(sys.argv[2]) if len(sys.argv) > 2 else 2000)
