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
* **Lifecycle apart from policy.** ``_Session`` is one connection; :meth:`QueueConsumer.run`
  reconnects with :class:`~.backoff.Backoff`; a channel closed by the broker exits non-zero.
* **One base, two kinds of handler.** :class:`Consumer` is the usual one: an inbox claim and
  the effect in one transaction (:class:`InboxHandler`). A consumer whose dedupe is its own
  state check (notify's sender: claim rows, push, settle) gives :class:`QueueConsumer` a
  :class:`BatchHandler` that runs its own transactions and returns a :data:`Verdict` per
  message (ack, retry at a given step, park with a reason); the base publishes, acks, logs
  and parks the same way for both. ``on_idle`` tasks (a :class:`~.parking.ParkingKeeper`) run
  on the publishing channel whenever the queue is quiet.
* **Observable.** Every turn of the loop beats the consumer's
  :class:`~yumiao_common.observability.worker_server.WorkerProbe` (a handler stuck on the
  database stops the beats: ``/healthz`` turns 503); settled messages are counted by outcome
  and the parking queue's depth is read from the broker every ``parking_probe_interval``.
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
from typing import Final
from typing import Protocol

import pika
from pika.adapters.blocking_connection import BlockingChannel
from pika.adapters.utils.connection_workflow import AMQPConnectorException
from pika.exceptions import AMQPError
from pika.exceptions import ChannelClosedByBroker
from sqlalchemy import Engine
from sqlalchemy import Table
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from yumiao_common.contracts.base import Event
from yumiao_common.contracts.events import parse_event
from yumiao_common.db.engine import engine_from_settings
from yumiao_common.db.engine import make_session_factory
from yumiao_common.logging import configure_logging
from yumiao_common.logging import request_id
from yumiao_common.messaging.backoff import Backoff
from yumiao_common.messaging.inbox import claim_many
from yumiao_common.messaging.parking import ERROR_HEADER
from yumiao_common.messaging.parking import ParkingKeeper
from yumiao_common.messaging.parking import parked_properties
from yumiao_common.messaging.topology import ATTEMPTS_HEADER
from yumiao_common.messaging.topology import ConsumerQueue
from yumiao_common.messaging.topology import consumer_queue
from yumiao_common.messaging.topology import declare_consumer_queue
from yumiao_common.observability.worker_metrics import ACK as ACKED
from yumiao_common.observability.worker_metrics import CONSUMER_MESSAGES
from yumiao_common.observability.worker_metrics import PARK as PARKED
from yumiao_common.observability.worker_metrics import PARKING_DEPTH
from yumiao_common.observability.worker_metrics import RETRY as RETRIED
from yumiao_common.observability.worker_server import WorkerProbe
from yumiao_common.observability.worker_server import start_worker_observability
from yumiao_common.parking.ledger import SqlParkingLedger
from yumiao_common.settings import CommonSettings

__all__ = ["ERROR_HEADER", "ACK", "Ack", "BatchHandler", "Consumer", "ConsumerConfig",
           "Delivery", "Handler", "IdleTask", "InboxHandler", "Park", "QueueConsumer", "Retry",
           "Verdict", "each", "main", "parking_keeper", "run_until_signalled"]

log = logging.getLogger("yumiao.consumer")

#: ``handle(session, events)``: apply the effects of new (never seen) events; never commit.
Handler = Callable[[Session, list[Event]], None]


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
    #: Seconds between reads of the parking queue's depth (``yumiao_parking_depth``).
    parking_probe_interval: float = 15.0


@dataclass(frozen=True)
class Delivery:
    tag: int
    properties: pika.BasicProperties
    body: bytes
    event: Event | None = None

    @property
    def attempts(self) -> int:
        return int((self.properties.headers or {}).get(ATTEMPTS_HEADER, 0))

    @property
    def correlation_id(self) -> str | None:
        """The change behind the message: the AMQP property, else the event's own field."""
        if self.properties.correlation_id:
            return str(self.properties.correlation_id)
        return self.event.correlation_id if self.event is not None else None


@dataclass(frozen=True)
class Ack:
    """Done (handled, or nothing left to do): ack after the handler's commit."""


@dataclass(frozen=True)
class Retry:
    """Failed for now: down the retry ladder, then acked.

    ``attempt`` is the ladder step (the handler's own count, e.g. a delivery row's attempts);
    None counts the message's attempt header, parking it once the queue's attempts run out.
    """

    error: str
    attempt: int | None = None


@dataclass(frozen=True)
class Park:
    """Never going to work without a person: parked with ``reason``, then acked."""

    reason: str


ACK: Final = Ack()
Verdict = Ack | Retry | Park


class BatchHandler(Protocol):
    """Handle parsed deliveries (``delivery.event`` set); one verdict per delivery, in order.

    Runs (and commits) its own transactions: the base acks only after it returns. Raising
    ``OperationalError`` means the database is away (reconnect, everything returns); any other
    exception replays the batch one delivery at a time, and a lone delivery that raises goes
    down the retry ladder by its attempt header.
    """

    def __call__(self, deliveries: list[Delivery]) -> Sequence[Verdict]: ...


class IdleTask(Protocol):
    """Work a consumer does when its queue is quiet, on its publishing channel (confirms on)."""

    def tick(self, channel: BlockingChannel) -> None: ...


class InboxHandler:
    """The usual handler: claim the event ids in the inbox and apply the new ones, one commit."""

    def __init__(self, session_factory: sessionmaker[Session], inbox: Table, handler: Handler,
                 name: str) -> None:
        self.session_factory, self.inbox, self.handler, self.name = (
            session_factory, inbox, handler, name)
        self.handled = 0

    def __call__(self, deliveries: list[Delivery]) -> Sequence[Verdict]:
        events = [d.event for d in deliveries if d.event is not None]
        with self.session_factory.begin() as session:
            fresh = claim_many(session, self.inbox, [e.id for e in events], self.name)
            new = []
            for event in events:  # the same id twice in one batch is applied once
                if event.id in fresh:
                    fresh.discard(event.id)
                    new.append(event)
            if new:
                self.handler(session, new)
        self.handled += len(new)
        return [ACK] * len(deliveries)


class QueueConsumer:
    """Consume one queue with a :class:`BatchHandler`; :meth:`run` blocks, :meth:`stop` is
    thread-safe."""

    def __init__(
        self,
        amqp_url: str,
        queue: ConsumerQueue,
        handler: BatchHandler,
        *,
        parse: Callable[[bytes], Event] = parse_event,
        name: str | None = None,
        config: ConsumerConfig = ConsumerConfig(),
        backoff: Backoff | None = None,
        on_idle: Sequence[IdleTask] = (),
        probe: WorkerProbe | None = None,
    ) -> None:
        self.amqp_url, self.queue, self.handler, self.parse = amqp_url, queue, handler, parse
        self.config, self.on_idle = config, tuple(on_idle)
        self.name = name or queue.name
        self.backoff = backoff or Backoff()
        self.stop_event = threading.Event()
        #: Beaten every turn of the loop; ``start_worker_observability`` serves it.
        self.probe = probe or WorkerProbe.detached(queue.name, self.name)

    def stop(self) -> None:
        self.stop_event.set()

    def run(self) -> int:
        """Consume until stopped or idle; returns the process exit code."""
        while not self.stop_event.is_set():
            self.probe.beat()  # connecting and backing off are progress too
            try:
                if _Session(self).consume():
                    return 0
            except ChannelClosedByBroker as exc:
                log.error("consumer %s: channel closed by broker, exiting: %s", self.name, exc)
                return 1
            except (AMQPError, AMQPConnectorException, OperationalError) as exc:
                # AMQPConnectorException: pika raises a handshake timeout of a busy broker as
                # its own type, not an AMQPError; it is as passing as a refused connection.
                log.warning("consumer %s: connection or database lost: %r", self.name, exc)
            delay = self.backoff.next()
            log.info("consumer %s: reconnecting in %.1fs", self.name, delay)
            self.stop_event.wait(delay)
        return 0


class Consumer(QueueConsumer):
    """The usual consumer: events parsed by ``parse_event``, deduplicated by ``inbox``."""

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
        on_idle: Sequence[IdleTask] = (),
        probe: WorkerProbe | None = None,
    ) -> None:
        self.inbox_handler = InboxHandler(session_factory, inbox, handler, name or queue.name)
        super().__init__(amqp_url, queue, self.inbox_handler, name=name, config=config,
                         backoff=backoff, on_idle=on_idle, probe=probe)

    @property
    def handled(self) -> int:
        """Events applied (first deliveries only) since the consumer was built."""
        return self.inbox_handler.handled


class _Session:
    """One AMQP connection: consume, batch, hand over, divert what failed, ack."""

    def __init__(self, owner: QueueConsumer) -> None:
        self.owner, self.queue, self.config = owner, owner.queue, owner.config
        self.connection = pika.BlockingConnection(pika.URLParameters(owner.amqp_url))
        self.channel = self.connection.channel()
        declare_consumer_queue(self.channel, self.queue)
        self.channel.basic_qos(prefetch_count=self.config.prefetch)
        self.publisher: BlockingChannel = self.connection.channel()
        self.publisher.confirm_delivery()
        owner.backoff.reset()
        self.depth_read_at: float | None = None

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
            self.owner.probe.beat()
            self._read_parking_depth()
            if method is not None:
                pending.append(Delivery(method.delivery_tag, properties, body))
                quiet_since = time.monotonic()
                if len(pending) < self.config.batch_size and not self.owner.stop_event.is_set():
                    continue
            if pending:
                self._process(pending)
                pending = []
                quiet_since = time.monotonic()  # idle means nothing to do, not a slow batch
            if method is None:
                for task in self.owner.on_idle:
                    task.tick(self.publisher)
            if self.owner.stop_event.is_set() or self._idle_for(quiet_since):
                return True
        return True

    def _read_parking_depth(self) -> None:
        """``yumiao_parking_depth`` of this queue's parking queue, at most once an interval."""
        now = time.monotonic()
        if self.depth_read_at is not None and (
                now - self.depth_read_at < self.config.parking_probe_interval):
            return
        self.depth_read_at = now
        ok = self.publisher.queue_declare(self.queue.parking, passive=True)
        PARKING_DEPTH.labels(self.queue.parking).set(ok.method.message_count)

    def _idle_for(self, quiet_since: float) -> bool:
        limit = self.config.idle_stop
        return limit is not None and time.monotonic() - quiet_since >= limit

    def _process(self, deliveries: list[Delivery]) -> None:
        parsed = [d for d in map(self._parse, deliveries) if d is not None]
        if not parsed:
            return
        try:
            verdicts = self._handle(parsed)
        except OperationalError:
            raise  # the database, not the message: reconnect and back off
        except Exception as exc:
            if len(parsed) == 1:
                self._settle(parsed, [Retry(_error_text(exc))])
                return
            # A line about many messages: their correlation ids ride along as a field.
            log.warning("consumer %s: batch of %d failed (%s); isolating one by one",
                        self.owner.name, len(parsed), exc,
                        extra={"correlation_ids": sorted({
                            c for c in (d.correlation_id for d in parsed) if c})[:100]})
            self._one_by_one(parsed)
            return
        self._settle(parsed, verdicts)

    def _handle(self, deliveries: list[Delivery]) -> Sequence[Verdict]:
        verdicts = self.owner.handler(deliveries)
        if len(verdicts) != len(deliveries):
            raise RuntimeError(f"handler gave {len(verdicts)} verdicts for {len(deliveries)}")
        return verdicts

    def _parse(self, delivery: Delivery) -> Delivery | None:
        try:
            event = self.owner.parse(delivery.body)
        except ValueError as exc:  # pydantic's ValidationError included
            self._divert(delivery, Park(f"无法解析 / unparseable: {str(exc)[:500]}"))
            return None
        return Delivery(delivery.tag, delivery.properties, delivery.body, event)

    def _one_by_one(self, deliveries: list[Delivery]) -> None:
        for delivery in deliveries:
            try:
                verdicts = self._handle([delivery])
            except OperationalError:
                raise
            except Exception as exc:
                verdicts = [Retry(_error_text(exc))]
            self._settle([delivery], verdicts)

    def _settle(self, deliveries: list[Delivery], verdicts: Sequence[Verdict]) -> None:
        """Divert (publish, confirmed, then ack) what did not succeed, then ack the rest.

        Earlier batches are settled in full and every diverted delivery is acked by now, so
        one multiple-ack of the highest done tag acks exactly the done deliveries.
        """
        done = []
        for delivery, verdict in zip(deliveries, verdicts, strict=True):
            if isinstance(verdict, Ack):
                done.append(delivery.tag)
            else:
                self._divert(delivery, verdict)
        if done:
            self.channel.basic_ack(max(done), multiple=True)
            CONSUMER_MESSAGES.labels(self.owner.name, ACKED).inc(len(done))

    def _divert(self, delivery: Delivery, verdict: Retry | Park) -> None:
        """Send a delivery down the retry ladder or to parking; logged with its correlation."""
        with request_id(delivery.correlation_id):
            target, attempts, error = self._target(delivery, verdict)
        self.publisher.basic_publish("", target, delivery.body,
                                     parked_properties(delivery.properties, attempts, error),
                                     mandatory=True)
        self.channel.basic_ack(delivery.tag)
        outcome = PARKED if target == self.queue.parking else RETRIED
        CONSUMER_MESSAGES.labels(self.owner.name, outcome).inc()

    def _target(self, delivery: Delivery, verdict: Retry | Park) -> tuple[str, int, str]:
        """Where a diverted delivery goes (retry queue or parking), its attempts and error."""
        name, message_id = self.owner.name, delivery.properties.message_id
        if isinstance(verdict, Park):
            reason = verdict.reason[:1000]
            log.error("consumer %s: message %s parked: %s", name, message_id, reason)
            return self.queue.parking, delivery.attempts, reason
        error = verdict.error[:1000]
        if verdict.attempt is None:
            attempts = delivery.attempts + 1
            if attempts >= self.queue.max_attempts:
                log.error("consumer %s: message %s parked after %d attempts: %s",
                          name, message_id, attempts, error)
                return self.queue.parking, attempts, error
        else:
            attempts = verdict.attempt
        target = self.queue.retry_queue(attempts)
        log.warning("consumer %s: message %s failed (attempt %d), retry via %s: %s",
                    name, message_id, attempts, target, error)
        return target, attempts, error


def _error_text(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:1000]


def parking_keeper(sessions: sessionmaker[Session], parked: Any, queue: ConsumerQueue,
                   interval: float = 1.0) -> ParkingKeeper:
    """The keeper of ``queue``'s parking queue over the ledger table ``parked``."""
    return ParkingKeeper(SqlParkingLedger(sessions, parked), [queue], interval)


def run_until_signalled(consumer: QueueConsumer) -> int:
    """Run ``consumer``, stopping it cleanly (after the batch in hand) on SIGTERM/SIGINT."""
    try:
        signal.signal(signal.SIGTERM, lambda *_: consumer.stop())
        signal.signal(signal.SIGINT, lambda *_: consumer.stop())
    except ValueError:  # not the main thread (tests run consumers in threads)
        pass
    return consumer.run()


def main(
    settings: CommonSettings,
    queue_name: str,
    handler: Handler,
    inbox: Table,
    *,
    engine: Engine | None = None,
    argv: Sequence[str] | None = None,
    parked: Any = None,
) -> int:
    """Entry point for ``python -m <svc>.consumer``.

    ``raise SystemExit(main(Settings(), "notify.events", handle, inbox_table))``. Options:
    ``--batch-size``, ``--prefetch``, ``--idle-exit SECONDS`` (stop when idle; tests).
    ``parked``: the service's ledger model (``yumiao_common.parking``); given, the consumer
    drains its parking queue into it and publishes the replays the bureau asked for
    (:func:`parking_keeper`) whenever its queue is quiet.
    """
    parser = argparse.ArgumentParser(prog=f"{settings.service_name}.consumer")
    parser.add_argument("--batch-size", type=int, default=ConsumerConfig.batch_size)
    parser.add_argument("--prefetch", type=int, default=ConsumerConfig.prefetch)
    parser.add_argument("--idle-exit", type=float, default=None)
    args = parser.parse_args(argv)
    configure_logging(settings.service_name, settings.log_level, json_format=settings.log_json)
    engine = engine or engine_from_settings(settings)  # the pool bounds of <SVC>_DB_POOL_*
    config = ConsumerConfig(
        batch_size=args.batch_size, prefetch=args.prefetch, idle_stop=args.idle_exit
    )
    probe = start_worker_observability(settings, f"{settings.service_name}.consumer")
    sessions = make_session_factory(engine)
    queue = consumer_queue(queue_name)
    on_idle = [] if parked is None else [parking_keeper(sessions, parked, queue)]
    consumer = Consumer(settings.amqp_url, queue, sessions, inbox, handler, config=config,
                        probe=probe, on_idle=on_idle)
    try:
        return run_until_signalled(consumer)
    finally:
        probe.close()
