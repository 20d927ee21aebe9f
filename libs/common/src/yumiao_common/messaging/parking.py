"""Parking: the one way a message is set aside for a person, inspected and replayed.

Every consumer (the consumer base, notify's sender on it) parks the same way: a persistent
copy of the message in ``<queue>.parking`` carrying its attempt count and the reason in
``x-yumiao-error`` (:func:`parked_properties`). Parked messages wait for a person: the bug
fixed or the data corrected, the bureau replays them. A replay re-publishes to the consumer's
main queue with every ``x-`` header dropped (attempt count, reason, dead-letter history),
confirmed before the parked copy is acked, so a crash mid-replay duplicates (harmless: inbox
or state check) but never loses.

Two ways to look at them:

* straight from the broker: :func:`peek_parked` / :func:`replay_parked` (operators, tests);
* through a service's ledger (notify's ``/parking`` API: gunicorn workers never speak AMQP):
  a :class:`ParkingKeeper` run by a consumer between batches drains the parking queues into a
  :class:`ParkingLedger` ("record, commit, then ack", so a crash in between records a message
  twice into one row, never zero times) and publishes the replays the ledger has due.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from collections.abc import Set
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from typing import Any
from typing import Protocol

import pika
from pika.adapters.blocking_connection import BlockingChannel

from yumiao_common.logging import request_id
from yumiao_common.messaging.topology import ATTEMPTS_HEADER
from yumiao_common.messaging.topology import ConsumerQueue
from yumiao_common.messaging.topology import declare_consumer_queue

log = logging.getLogger("yumiao.parking")

#: Why a message failed or was parked (the last error), on retry and parking copies.
ERROR_HEADER = "x-yumiao-error"
#: Reason headers older releases wrote (notify's own sender parked with the first); read only.
_OLDER_REASON_HEADERS = ("x-yumiao-park-reason", "x-yumiao-reason", "x-exception")


@dataclass(frozen=True)
class ParkedMessage:
    message_id: str | None
    type: str | None
    body: bytes
    attempts: int
    #: The reason it was parked (always set: "parked / 已停放" when nothing says why).
    error: str
    #: The message's headers, JSON-safe (bytes decoded), as a ledger stores them.
    headers: dict[str, Any]
    correlation_id: str | None = None
    #: The consumer queue it came from (and goes back to on replay).
    queue: str = ""


def parked_properties(properties: Any, attempts: int, error: str | None) -> pika.BasicProperties:
    """A persistent copy of ``properties`` for a retry or parking queue.

    Carries the attempt count and the error; the broker's dead-letter history (``x-death``…)
    and any older reason header are dropped so the copy says one thing about its fate.
    """
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


def replay_properties(message: ParkedMessage) -> pika.BasicProperties:
    """Properties of a replayed message: every ``x-`` header dropped (a fresh attempt count)."""
    headers = {k: v for k, v in message.headers.items() if not k.startswith("x-")}
    return pika.BasicProperties(
        content_type="application/json", delivery_mode=2, message_id=message.message_id,
        type=message.type, correlation_id=message.correlation_id, headers=headers,
    )


def reason_of(headers: Mapping[str, Any]) -> str:
    """Why a message is parked, from its headers (ours, older ones, or the broker's)."""
    for key in (ERROR_HEADER, *_OLDER_REASON_HEADERS):
        if headers.get(key):
            return str(headers[key])
    deaths = headers.get("x-death") or []
    if deaths:
        return f"dead-lettered: {_jsonable(deaths[0].get('reason'))}"
    return "parked / 已停放"


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _message_of(properties: Any, body: bytes, queue: ConsumerQueue) -> ParkedMessage:
    headers: dict[str, Any] = _jsonable(dict(properties.headers or {}))
    return ParkedMessage(
        properties.message_id, properties.type, body,
        int(headers.get(ATTEMPTS_HEADER, 0) or 0), reason_of(headers), headers,
        properties.correlation_id, queue.name,
    )


@contextmanager
def _channel(amqp_url: str, queue: ConsumerQueue) -> Iterator[BlockingChannel]:
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        channel = connection.channel()
        declare_consumer_queue(channel, queue)
        yield channel
    finally:
        if connection.is_open:
            connection.close()


def peek_parked(amqp_url: str, queue: ConsumerQueue, limit: int = 100) -> list[ParkedMessage]:
    """Up to ``limit`` parked messages, oldest first, left in the queue."""
    found: list[ParkedMessage] = []
    with _channel(amqp_url, queue) as channel:
        while len(found) < limit:
            method, properties, body = channel.basic_get(queue.parking, auto_ack=False)
            if method is None:
                break
            found.append(_message_of(properties, body, queue))
    return found


def replay_parked(
    amqp_url: str,
    queue: ConsumerQueue,
    *,
    message_ids: Set[str] | None = None,
    limit: int | None = None,
) -> int:
    """Move parked messages (all, or those in ``message_ids``) back to the main queue."""
    moved = 0
    with _channel(amqp_url, queue) as channel:
        channel.confirm_delivery()
        while limit is None or moved < limit:
            method, properties, body = channel.basic_get(queue.parking, auto_ack=False)
            if method is None:
                break
            if message_ids is not None and properties.message_id not in message_ids:
                continue  # left unacked: returned to the parking queue when the channel closes
            channel.basic_publish("", queue.name, body,
                                  replay_properties(_message_of(properties, body, queue)),
                                  mandatory=True)
            channel.basic_ack(method.delivery_tag)
            moved += 1
    return moved


class ParkingLedger(Protocol):
    """A service's durable record of parked messages (notify: the ``parked_messages`` table)."""

    def record(self, message: ParkedMessage) -> None:
        """Store ``message`` (a new row, or the same message id parked again) and commit."""

    def replay_due(self, publish: Callable[[ParkedMessage], None]) -> None:
        """``publish`` each message a person asked to replay, mark them replayed, commit."""


@dataclass
class ParkingKeeper:
    """Drains ``queues``' parking queues into ``ledger`` and publishes its replays.

    A consumer runs :meth:`tick` on its publishing channel (confirms on) when its queue is
    quiet; it acts at most once per ``interval`` seconds.
    """

    ledger: ParkingLedger
    queues: Sequence[ConsumerQueue]
    interval: float = 1.0
    _next: float = field(default=0.0, init=False)
    _declared_on: object = field(default=None, init=False)

    def tick(self, channel: BlockingChannel) -> None:
        if time.monotonic() < self._next:
            return
        self._next = time.monotonic() + self.interval
        if self._declared_on is not channel:  # a new connection: make sure the queues exist
            for queue in self.queues:
                declare_consumer_queue(channel, queue)
            self._declared_on = channel
        for queue in self.queues:
            self.drain(channel, queue)
        self.ledger.replay_due(lambda message: self._publish(channel, message))

    def drain(self, channel: BlockingChannel, queue: ConsumerQueue) -> None:
        """Record every message parked in ``queue``'s parking queue, acking each after."""
        while True:
            method, properties, body = channel.basic_get(queue.parking, auto_ack=False)
            if method is None:
                return
            message = _message_of(properties, body, queue)
            if message.message_id is None:
                message_id = f"{queue.parking}:{method.delivery_tag}:{time.time()}"
                message = replace(message, message_id=message_id)
            self.ledger.record(message)
            channel.basic_ack(method.delivery_tag)

    @staticmethod
    def _publish(channel: BlockingChannel, message: ParkedMessage) -> None:
        channel.basic_publish("", message.queue, message.body, replay_properties(message))
        with request_id(message.correlation_id or _body_correlation(message.body)):
            log.info("replayed parked message %s to %s", message.message_id, message.queue)


def _body_correlation(body: bytes) -> str | None:
    """An event's own ``correlation_id`` field (a ledger may not keep the AMQP property)."""
    try:
        value = json.loads(body).get("correlation_id")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None
