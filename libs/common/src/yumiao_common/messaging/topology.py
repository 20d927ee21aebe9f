"""Everything declared on the broker, in one place, so producers and consumers agree.

One durable topic exchange, ``yumiao.events``, routed by event type. Each consumer owns a
quorum queue ``<name>`` plus:

* ``<name>.retry.<k>`` — quorum queues with a message TTL that dead-letter back into
  ``<name>`` (default exchange, routing key ``<name>``): the back-off ladder for a handler
  that failed. Dead-lettering is ``at-least-once`` (needs ``overflow=reject-publish``) so a
  broker restart while a message waits cannot drop it.
* ``<name>.parking`` — a quorum queue ``<name>`` dead-letters into (also at-least-once) on
  ``reject(requeue=False)``: unparseable message, attempts exhausted, or the delivery limit hit
  by a crash loop. Nothing is dropped silently; ``replay_parked`` moves messages back.
  (``reject-publish`` only acts with a length limit, and these queues have none.)

``CONSUMERS`` lists every known consumer queue and its bindings; the relay declares them all at
start so a message is never returned as unroutable only because its consumer has not started.
Declaring is idempotent but arguments must never change in place (the broker refuses with
PRECONDITION_FAILED): change a queue by adding a new one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from typing import Any

import pika
from pika.adapters.blocking_connection import BlockingChannel

EXCHANGE = "yumiao.events"

#: Header carrying how many times a consumer has already failed on a message.
ATTEMPTS_HEADER = "x-yumiao-attempts"


@dataclass(frozen=True)
class ConsumerQueue:
    """A consumer's queue, its bindings and its retry ladder (seconds per step)."""

    name: str
    bindings: tuple[str, ...]
    retry_delays: tuple[float, ...] = (1.0, 10.0, 60.0)
    #: Redeliveries (crash before ack) after which the broker parks the message itself.
    delivery_limit: int = 20
    exchange: str = field(default=EXCHANGE)

    @property
    def parking(self) -> str:
        return f"{self.name}.parking"

    @property
    def max_attempts(self) -> int:
        """Handler failures tolerated: the first try plus one per retry step."""
        return len(self.retry_delays) + 1

    def retry_queue(self, attempt: int) -> str:
        """The retry step for the ``attempt``-th failure (1-based; the last step repeats)."""
        return f"{self.name}.retry.{min(attempt, len(self.retry_delays))}"

    def queue_arguments(self) -> dict[str, dict[str, Any]]:
        """``{queue name: x-arguments}`` for the main, retry and parking queues."""
        queues: dict[str, dict[str, Any]] = {
            self.name: {
                "x-queue-type": "quorum",
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": self.parking,
                "x-delivery-limit": self.delivery_limit,
                "x-dead-letter-strategy": "at-least-once",
                "x-overflow": "reject-publish",
            },
            self.parking: {"x-queue-type": "quorum"},
        }
        for step, delay in enumerate(self.retry_delays, start=1):
            queues[f"{self.name}.retry.{step}"] = {
                "x-queue-type": "quorum",
                "x-message-ttl": int(delay * 1000),
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": self.name,
                "x-dead-letter-strategy": "at-least-once",
                "x-overflow": "reject-publish",
            }
        return queues


#: Every consumer queue of the system. A new consumer adds its line here (one source of truth).
CONSUMERS: tuple[ConsumerQueue, ...] = (
    ConsumerQueue("scoring.profiles", ("registry.enterprise.changed",)),
    ConsumerQueue(
        "notify.events",
        (
            "scoring.eligibility.changed",
            "registry.certification.expiring",
            "registry.pipeline.moved",
            "registry.contacts.changed",
            # Issue 12: notify is where a firm would be told of its admission or of a note
            # shared with it; until it acts on them its consumer skips them.
            "registry.round.changed",
            "registry.cultivation.changed",
            # Issue 15: the firm is told the outcome of the review of its yearly report.
            "registry.submission.reviewed",
        ),
    ),
    # The registry's readiness read model (reserve-round candidates, curators' worklists).
    ConsumerQueue("registry.readiness", ("scoring.eligibility.changed",)),
)


def consumer_queue(name: str, registry: Iterable[ConsumerQueue] = CONSUMERS) -> ConsumerQueue:
    """Look a consumer queue up by name (KeyError names the known ones)."""
    for queue in registry:
        if queue.name == name:
            return queue
    raise KeyError(f"unknown consumer queue {name!r}; known: {[q.name for q in registry]}")


def declare_exchange(channel: BlockingChannel, exchange: str = EXCHANGE) -> None:
    channel.exchange_declare(exchange=exchange, exchange_type="topic", durable=True)


def declare_consumer_queue(channel: BlockingChannel, queue: ConsumerQueue) -> None:
    """Declare one consumer's queues and bind its main queue to its event types."""
    declare_exchange(channel, queue.exchange)
    for name, arguments in queue.queue_arguments().items():
        channel.queue_declare(queue=name, durable=True, arguments=arguments)
    for routing_key in queue.bindings:
        channel.queue_bind(queue=queue.name, exchange=queue.exchange, routing_key=routing_key)


def declare_all(
    channel: BlockingChannel, registry: Iterable[ConsumerQueue] = CONSUMERS
) -> None:
    """Declare the exchange and every known consumer queue (the relay does this at start)."""
    declare_exchange(channel)
    for queue in registry:
        declare_consumer_queue(channel, queue)


def declare_topology(amqp_url: str, registry: Iterable[ConsumerQueue] = CONSUMERS) -> None:
    """Declare the exchange and every consumer queue, so nothing is unroutable at start."""
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        declare_all(connection.channel(), registry)
    finally:
        if connection.is_open:
            connection.close()


def queue_counts(amqp_url: str, queue: str) -> tuple[int, int]:
    """(ready messages, consumers) of an existing queue: for readiness waits and benchmarks."""
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        method = connection.channel().queue_declare(queue, passive=True).method
        return int(method.message_count), int(method.consumer_count)
    finally:
        if connection.is_open:
            connection.close()
