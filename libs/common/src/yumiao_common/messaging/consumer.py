"""The consumer base: batched, deduplicated, acked after commit, never looping forever.

Why it is shaped like this:

* **Effect and inbox in one transaction, ack after commit.** A crash before the commit
  redelivers the message; a crash after the commit but before the ack redelivers it too, and
  the inbox claim then makes it a no-op. That is the "effectively exactly once" of
  architecture.md.
* **Batches.** Up to ``batch_size`` deliveries (or whatever arrived before ``batch_wait`` of
  quiet) are parsed, claimed and handled in ONE transaction and acked with one
  ``basic_ack(multiple=True)``: one commit per batch instead of per message is what lets a
  consumer keep up with the broker. If the batch fails, it is replayed one message per
  transaction so the poison message is isolated and the rest still commit.
* **No endless redelivery.** An unparseable message is rejected (``requeue=False``) and the
  queue dead-letters it to ``<queue>.parking``. A handler failure is re-published to the retry
  ladder ``<queue>.retry.<k>`` (TTL, then back to the queue) with the attempt count in a
  header; after ``max_attempts`` it is parked with the error. A database outage is not the
  message's fault: it drops the connection (unacked messages return) and backs off.
* **Lifecycle apart from policy.** ``_Session`` is one connection; :meth:`Consumer.run`
  reconnects with :class:`~.backoff.Backoff`; a channel closed by the broker exits non-zero.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
import time
from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pika
from pika.adapters.blocking_connection import BlockingChannel
from pika.exceptions import AMQPError
from pika.exceptions import ChannelClosedByBroker
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy import Table
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from yumiao_common.contracts.base import Event
from yumiao_common.contracts.events import parse_event
from yumiao_common.db.engine import make_engine
from yumiao_common.db.engine import make_session_factory
from yumiao_common.logging import configure_logging
from yumiao_common.logging import request_id
from yumiao_common.messaging.backoff import Backoff
from yumiao_common.messaging.inbox import claim_many
from yumiao_common.messaging.topology import ATTEMPTS_HEADER
from yumiao_common.messaging.topology import ConsumerQueue
from yumiao_common.messaging.topology import consumer_queue
from yumiao_common.messaging.topology import declare_consumer_queue
from yumiao_common.settings import CommonSettings

log = logging.getLogger("yumiao.consumer")

#: ``handle(session, events)``: apply the effects of new (never seen) events; never commit.
Handler = Callable[[Session, list[Event]], None]
ERROR_HEADER = "x-yumiao-error"


def each(handle_one: Callable[[Session, Event], None]) -> Handler:
    """Adapt a one-event handler to the batch signature."""

    def handle(session: Session, events: list[Event]) -> None:
        for event in events:
            handle_one(session, event)

    return handle


@dataclass(frozen=True)
class ConsumerConfig:
    batch_size: int = 500
    #: Seconds of quiet that close a partial batch (keeps latency low when traffic is light).
    batch_wait: float = 0.005
    prefetch: int = 1000
    #: Stop after this many seconds with nothing to do (tests, benchmarks); None = never.
    idle_stop: float | None = None


@dataclass(frozen=True)
class Delivery:
    tag: int
    properties: pika.BasicProperties
    body: bytes
    event: Event | None = None

    @property
    def attempts(self) -> int:
        return int((self.properties.headers or {}).get(ATTEMPTS_HEADER, 0))


class Consumer:
    """Consume one queue with ``handler``; :meth:`run` blocks, :meth:`stop` is thread-safe."""

    def __init__(
        self,
        amqp_url: str,
        queue: ConsumerQueue,
        session_factory: sessionmaker[Session],
        inbox: Table,
        handler: Handler,
        *,
        name: str | None = None,
        config: ConsumerConfig = ConsumerConfig(),
        backoff: Backoff | None = None,
    ) -> None:
        self.amqp_url, self.queue, self.inbox, self.handler = amqp_url, queue, inbox, handler
        self.session_factory, self.config = session_factory, config
        self.name = name or queue.name
        self.backoff = backoff or Backoff()
        self.stop_event = threading.Event()
        self.handled = 0

    def stop(self) -> None:
        self.stop_event.set()

    def run(self) -> int:
        """Consume until stopped or idle; returns the process exit code."""
        while not self.stop_event.is_set():
            try:
                if _Session(self).consume():
                    return 0
            except ChannelClosedByBroker as exc:
                log.error("consumer %s: channel closed by broker, exiting: %s", self.name, exc)
                return 1
            except (AMQPError, OperationalError) as exc:
                log.warning("consumer %s: connection or database lost: %r", self.name, exc)
            delay = self.backoff.next()
            log.info("consumer %s: reconnecting in %.1fs", self.name, delay)
            self.stop_event.wait(delay)
        return 0


class _Session:
    """One AMQP connection: consume, batch, apply, ack."""

    def __init__(self, owner: Consumer) -> None:
        self.owner, self.queue, self.config = owner, owner.queue, owner.config
        self.connection = pika.BlockingConnection(pika.URLParameters(owner.amqp_url))
        self.channel = self.connection.channel()
        declare_consumer_queue(self.channel, self.queue)
        self.channel.basic_qos(prefetch_count=self.config.prefetch)
        self.publisher: BlockingChannel = self.connection.channel()
        self.publisher.confirm_delivery()
        owner.backoff.reset()

    def consume(self) -> bool:
        """Returns True when stopped or idle (exit), False never (errors raise)."""
        try:
            return self._loop()
        finally:
            if self.connection.is_open:
                self.connection.close()

    def _loop(self) -> bool:
        pending: list[Delivery] = []
        quiet_since = time.monotonic()
        stream = self.channel.consume(self.queue.name, inactivity_timeout=self.config.batch_wait)
        for method, properties, body in stream:
            if method is not None:
                pending.append(Delivery(method.delivery_tag, properties, body))
                quiet_since = time.monotonic()
                if len(pending) < self.config.batch_size and not self.owner.stop_event.is_set():
                    continue
            if pending:
                self._process(pending)
                pending = []
                quiet_since = time.monotonic()  # idle means nothing to do, not a slow batch
            if self.owner.stop_event.is_set() or self._idle_for(quiet_since):
                return True
        return True

    def _idle_for(self, quiet_since: float) -> bool:
        limit = self.config.idle_stop
        return limit is not None and time.monotonic() - quiet_since >= limit

    def _process(self, deliveries: list[Delivery]) -> None:
        parsed = [d for d in map(self._parse, deliveries) if d is not None]
        if not parsed:
            return
        try:
            self._apply(parsed)
        except OperationalError:
            raise  # the database, not the message: reconnect and back off
        except Exception as exc:
            if len(parsed) == 1:
                self._fail(parsed[0], exc)
                return
            log.warning("consumer %s: batch of %d failed (%s); isolating one by one",
                        self.owner.name, len(parsed), exc)
            self._one_by_one(parsed)
            return
        self.channel.basic_ack(parsed[-1].tag, multiple=True)

    def _parse(self, delivery: Delivery) -> Delivery | None:
        try:
            event = parse_event(delivery.body)
        except (ValidationError, ValueError) as exc:
            with request_id(delivery.properties.correlation_id):
                log.error("consumer %s: unparseable message %s parked: %s", self.owner.name,
                          delivery.properties.message_id, str(exc)[:500])
            self.channel.basic_reject(delivery.tag, requeue=False)
            return None
        return Delivery(delivery.tag, delivery.properties, delivery.body, event)

    def _apply(self, deliveries: list[Delivery]) -> None:
        """Claim the ids and apply the new events, all in one transaction."""
        events = [d.event for d in deliveries if d.event is not None]
        with self.owner.session_factory.begin() as session:
            fresh = claim_many(session, self.owner.inbox, [e.id for e in events], self.owner.name)
            new = []
            for event in events:  # the same id twice in one batch is applied once
                if event.id in fresh:
                    fresh.discard(event.id)
                    new.append(event)
            if new:
                self.owner.handler(session, new)
        self.owner.handled += len(new)

    def _one_by_one(self, deliveries: list[Delivery]) -> None:
        for delivery in deliveries:
            try:
                self._apply([delivery])
            except OperationalError:
                raise
            except Exception as exc:
                self._fail(delivery, exc)
            else:
                self.channel.basic_ack(delivery.tag)

    def _fail(self, delivery: Delivery, exc: Exception) -> None:
        """Send a failed message down the retry ladder, or park it once attempts run out."""
        attempts = delivery.attempts + 1
        error = f"{type(exc).__name__}: {exc}"[:1000]
        with request_id(delivery.properties.correlation_id):
            target = self._log_failure(delivery, attempts, error)
        self.publisher.basic_publish("", target, delivery.body,
                                     _with_headers(delivery.properties, attempts, error),
                                     mandatory=True)
        self.channel.basic_ack(delivery.tag)

    def _log_failure(self, delivery: Delivery, attempts: int, error: str) -> str:
        """Log where a failed message goes (retry queue or parking); returns that queue."""
        if attempts >= self.queue.max_attempts:
            log.error("consumer %s: message %s parked after %d attempts: %s",
                      self.owner.name, delivery.properties.message_id, attempts, error)
            return self.queue.parking
        target = self.queue.retry_queue(attempts)
        log.warning("consumer %s: message %s failed (attempt %d), retry via %s: %s",
                    self.owner.name, delivery.properties.message_id, attempts, target, error)
        return target


def _with_headers(properties: Any, attempts: int, error: str | None) -> pika.BasicProperties:
    """A persistent copy of ``properties`` carrying the attempt count (x-death dropped)."""
    headers = {k: v for k, v in (properties.headers or {}).items() if not k.startswith("x-")}
    headers[ATTEMPTS_HEADER] = attempts
    if error:
        headers[ERROR_HEADER] = error
    return pika.BasicProperties(
        content_type=properties.content_type,
        delivery_mode=2,
        message_id=properties.message_id,
        type=properties.type,
        correlation_id=properties.correlation_id,
        timestamp=properties.timestamp,
        headers=headers,
    )


def main(
    settings: CommonSettings,
    queue_name: str,
    handler: Handler,
    inbox: Table,
    *,
    engine: Engine | None = None,
    argv: Sequence[str] | None = None,
) -> int:
    """Entry point for ``python -m <svc>.consumer``.

    ``raise SystemExit(main(Settings(), "notify.events", handle, inbox_table))``. Options:
    ``--batch-size``, ``--prefetch``, ``--idle-exit SECONDS`` (stop when idle; tests).
    """
    parser = argparse.ArgumentParser(prog=f"{settings.service_name}.consumer")
    parser.add_argument("--batch-size", type=int, default=ConsumerConfig.batch_size)
    parser.add_argument("--prefetch", type=int, default=ConsumerConfig.prefetch)
    parser.add_argument("--idle-exit", type=float, default=None)
    args = parser.parse_args(argv)
    configure_logging(settings.service_name, settings.log_level, json_format=settings.log_json)
    engine = engine or make_engine(settings.database_url)
    config = ConsumerConfig(
        batch_size=args.batch_size, prefetch=args.prefetch, idle_stop=args.idle_exit
    )
    consumer = Consumer(settings.amqp_url, consumer_queue(queue_name), make_session_factory(engine),
                        inbox, handler, config=config)
    signal.signal(signal.SIGTERM, lambda *_: consumer.stop())
    signal.signal(signal.SIGINT, lambda *_: consumer.stop())
    return consumer.run()
