"""Inspect and replay a consumer's parking queue (notify exposes this through its API).

Parked messages wait for a person: the bug fixed or the data corrected, the bureau replays
them. Replay re-publishes to the consumer's main queue with the attempt count reset, confirmed
before the parked copy is acked, so a crash mid-replay duplicates (harmless: inbox) but never
loses. Peeking takes messages without acking and closes the channel, which returns them.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Set
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pika
from pika.adapters.blocking_connection import BlockingChannel

from yumiao_common.messaging.topology import ATTEMPTS_HEADER
from yumiao_common.messaging.topology import ConsumerQueue
from yumiao_common.messaging.topology import declare_consumer_queue


@dataclass(frozen=True)
class ParkedMessage:
    message_id: str | None
    type: str | None
    body: bytes
    attempts: int
    error: str | None
    headers: dict[str, Any]


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
            headers = dict(properties.headers or {})
            found.append(ParkedMessage(
                properties.message_id, properties.type, body,
                int(headers.get(ATTEMPTS_HEADER, 0)), headers.get("x-yumiao-error"), headers,
            ))
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
            properties.headers = {
                k: v for k, v in (properties.headers or {}).items() if not k.startswith("x-")
            }
            channel.basic_publish("", queue.name, body, properties, mandatory=True)
            channel.basic_ack(method.delivery_tag)
            moved += 1
    return moved
