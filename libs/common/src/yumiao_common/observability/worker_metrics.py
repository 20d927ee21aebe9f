"""The series worker processes export (prometheus_client's default registry).

Names and labels are what ``k8s/monitoring/alerts.yaml`` alerts on:

* ``yumiao_outbox_lag_seconds{service}``: age of the oldest unpublished outbox row (0 when
  the outbox is drained), read from the database at scrape time, so it keeps rising while the
  relay is stuck or down.
* ``yumiao_outbox_published_total{service}``: rows the relay published (confirmed, marked).
* ``yumiao_consumer_messages_total{consumer,outcome}``: messages a consumer settled, by
  ``ack`` / ``retry`` / ``park``.
* ``yumiao_parking_depth{queue}``: messages waiting in a parking queue (the broker's count;
  notify's keeper drains its parking queues into its ledger, so there a park shows in the
  consumer's ``park`` outcome instead).
* ``yumiao_sender_deliveries_total{channel,outcome}``: notify's pushes, ``sent`` /
  ``retry`` / ``failed``.
* ``yumiao_jobs_total{service,kind,outcome}``: steps a jobs worker settled (``done`` /
  ``raised`` / ``released`` / ``interrupted`` / ``resumed``, ``yumiao_common.jobs.worker``).
* ``yumiao_worker_heartbeat_age_seconds{process}``: seconds since the loop last beat.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from datetime import UTC

from prometheus_client import REGISTRY
from prometheus_client import Counter
from prometheus_client import Gauge
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Engine
from sqlalchemy import Table
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import text

from yumiao_common.clock import utcnow

log = logging.getLogger("yumiao.metrics")

OUTBOX_PUBLISHED = Counter(
    "yumiao_outbox_published_total", "Outbox rows published (confirmed and marked)",
    ["service"])
CONSUMER_MESSAGES = Counter(
    "yumiao_consumer_messages_total", "Messages a consumer settled, by outcome (ack/retry/park)",
    ["consumer", "outcome"])
PARKING_DEPTH = Gauge(
    "yumiao_parking_depth", "Messages waiting in a parking queue (broker count)", ["queue"])
SENDER_DELIVERIES = Counter(
    "yumiao_sender_deliveries_total", "Notification pushes, by channel and outcome",
    ["channel", "outcome"])
JOBS = Counter(
    "yumiao_jobs_total", "Job steps a jobs worker settled, by kind and outcome",
    ["service", "kind", "outcome"])
HEARTBEAT_AGE = Gauge(
    "yumiao_worker_heartbeat_age_seconds", "Seconds since the worker loop last beat",
    ["process"])

#: Outcomes of ``yumiao_consumer_messages_total``.
ACK, RETRY, PARK = "ack", "retry", "park"
#: A scrape never waits longer than this on the database for the outbox lag (PostgreSQL).
LAG_QUERY_TIMEOUT_MS = 2000


def oldest_unpublished_age(engine: Engine, table: Table) -> float:
    """Seconds since the oldest unpublished row of ``table`` was written; 0 when none is.

    Uses the outbox's partial index on unpublished rows; takes no lock, so it answers while a
    relay holds its claimed rows.
    """
    query = select(func.min(table.c.created_at)).where(table.c.published_at.is_(None))
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"SET LOCAL statement_timeout = {LAG_QUERY_TIMEOUT_MS}"))
        oldest = conn.execute(query).scalar()
    if oldest is None:
        return 0.0
    aware = oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)  # SQLite keeps naive UTC
    return max(0.0, (utcnow() - aware.astimezone(UTC)).total_seconds())


class OutboxLagCollector(Collector):
    """``yumiao_outbox_lag_seconds``, one sample per relay running in this process.

    Read at scrape time rather than by the relay loop: a stuck relay must not freeze the very
    number that shows it is stuck. A source whose query fails is left out of that scrape.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sources: dict[str, tuple[Engine, Table]] = {}

    def watch(self, service: str, engine: Engine, table: Table) -> None:
        with self._lock:
            self._sources[service] = (engine, table)

    def forget(self, service: str) -> None:
        with self._lock:
            self._sources.pop(service, None)

    def describe(self) -> Iterable[GaugeMetricFamily]:
        return [self._family()]

    def collect(self) -> Iterable[GaugeMetricFamily]:
        family = self._family()
        with self._lock:
            sources = list(self._sources.items())
        for service, (engine, table) in sources:
            try:
                family.add_metric([service], oldest_unpublished_age(engine, table))
            except Exception as exc:  # noqa: BLE001 - a scrape must still answer
                log.warning("metrics: outbox lag of %s unavailable: %r", service, exc)
        return [family]

    @staticmethod
    def _family() -> GaugeMetricFamily:
        return GaugeMetricFamily(
            "yumiao_outbox_lag_seconds",
            "Age in seconds of the oldest unpublished outbox row (0 when drained)",
            labels=["service"])


OUTBOX_LAG = OutboxLagCollector()
REGISTRY.register(OUTBOX_LAG)
