"""Workers are observable (issue 11, item 3): each serves ``/metrics`` and ``/healthz``.

Real PostgreSQL and RabbitMQ: a relay exports the age of its oldest unpublished outbox row
(and 0 once it is published), a consumer counts what it settled and reads its parking
queue's depth, and a relay stuck on a database call (the outbox locked by another
transaction) stops beating, so its ``/healthz`` answers 503 until it moves again.
"""

from __future__ import annotations

import socket
import threading
import uuid
from datetime import timedelta
from typing import Any

import pytest
import requests
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text
from sqlalchemy import update

from yumiao_common.clock import utcnow
from yumiao_common.messaging.backoff import Backoff
from yumiao_common.messaging.relay import RelayConfig
from yumiao_common.messaging.relay import run_relay
from yumiao_common.observability.worker_server import WorkerProbe
from yumiao_common.observability.worker_server import start_worker_observability
from yumiao_common.settings import CommonSettings

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _probe(stale_after: float = 30.0) -> WorkerProbe:
    settings = CommonSettings(service_name=f"test-{uuid.uuid4().hex[:8]}",
                              worker_metrics_port=_free_port(),
                              worker_stale_seconds=stale_after)
    probe = start_worker_observability(settings, f"{settings.service_name}.relay")
    assert probe.port is not None
    return probe


def _scrape(probe: WorkerProbe, name: str, labels: dict[str, str]) -> float | None:
    body = requests.get(f"http://127.0.0.1:{probe.port}/metrics", timeout=10).text
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    return None


def _healthz(probe: WorkerProbe) -> int:
    return requests.get(f"http://127.0.0.1:{probe.port}/healthz", timeout=10).status_code


class RunningRelay:
    """A relay polling in a thread until stopped (as ``python -m <svc>.relay`` runs)."""

    def __init__(self, db: Any, bus: Any, probe: WorkerProbe) -> None:
        self.stop = threading.Event()
        config = RelayConfig(exchange=bus.exchange, poll_interval=0.1)
        self.thread = threading.Thread(
            target=run_relay, daemon=True,
            args=(bus.url, db.engine, db.outbox, config),
            kwargs={"registry": [bus.queue], "backoff": Backoff(base=0.2, cap=1.0),
                    "stop_event": self.stop, "probe": probe})
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(20)


def test_a_relay_exports_the_outbox_lag_until_the_row_is_published(
    pg_db: Any, bus: Any, kit: Any
) -> None:
    (event,) = pg_db.write([kit.moved(1)])
    # Written two minutes ago and refused by the broker once: not due for another minute.
    with pg_db.engine.begin() as conn:
        conn.execute(update(pg_db.outbox).values(
            created_at=utcnow() - timedelta(minutes=2),
            next_attempt_at=utcnow() + timedelta(minutes=1)))
    probe = _probe()
    relay = RunningRelay(pg_db, bus, probe)
    service = {"service": probe.service}
    try:
        lag = _scrape(probe, "yumiao_outbox_lag_seconds", service)
        assert lag is not None and lag >= 120
        published = _scrape(probe, "yumiao_outbox_published_total", service) or 0.0

        with pg_db.engine.begin() as conn:  # due now: the relay publishes it
            conn.execute(update(pg_db.outbox).values(next_attempt_at=None))
        assert kit.wait_until(lambda: pg_db.unpublished() == 0)
        assert _scrape(probe, "yumiao_outbox_lag_seconds", service) == 0.0
        assert kit.wait_until(lambda: _scrape(
            probe, "yumiao_outbox_published_total", service) == published + 1)
        assert _healthz(probe) == 200
    finally:
        relay.close()
        probe.close()


def test_a_relay_stuck_on_the_database_turns_its_healthz_503(
    pg_db: Any, bus: Any, kit: Any
) -> None:
    probe = _probe(stale_after=1.0)
    relay = RunningRelay(pg_db, bus, probe)
    try:
        assert kit.wait_until(lambda: _healthz(probe) == 200)
        locker = pg_db.engine.connect()
        try:  # another transaction holds the outbox: the relay's next claim waits on it
            locker.execute(text(f"LOCK TABLE {pg_db.outbox.name} IN ACCESS EXCLUSIVE MODE"))
            assert kit.wait_until(lambda: _healthz(probe) == 503, timeout=10)
            body = requests.get(f"http://127.0.0.1:{probe.port}/healthz", timeout=10).json()
            assert body["status"] == "stale" and body["heartbeat_age"] > 1.0
        finally:
            locker.rollback()
            locker.close()
        assert kit.wait_until(lambda: _healthz(probe) == 200, timeout=10)
    finally:
        relay.close()
        probe.close()


def _counted(consumer: str, outcome: str) -> float:
    value = REGISTRY.get_sample_value("yumiao_consumer_messages_total",
                                      {"consumer": consumer, "outcome": outcome})
    return value or 0.0


def test_a_consumer_counts_what_it_handled_and_what_it_parked(
    pg_db: Any, bus: Any, kit: Any
) -> None:
    events = pg_db.write([kit.moved(i) for i in range(5)] + [kit.moved(99, name="毒丸")])
    assert bus.relay(pg_db) == 0
    name = bus.queue.name
    consumer, thread, _ = kit.start_consumer(
        pg_db, bus, kit.recording_handler(pg_db, fail_on="毒丸"), parking_probe_interval=0.1)
    try:
        assert kit.wait_until(lambda: _counted(name, "park") == 1)
        assert _counted(name, "ack") == 5  # the failed batch isolated one by one, then acked
        assert len(pg_db.effect_ids()) == len(events) - 1
        assert _counted(name, "retry") == bus.queue.max_attempts - 1
        assert kit.wait_until(lambda: REGISTRY.get_sample_value(
            "yumiao_parking_depth", {"queue": bus.queue.parking}) == 1)
        assert consumer.probe.heartbeat.age() < 5
    finally:
        consumer.stop()
        thread.join(20)
