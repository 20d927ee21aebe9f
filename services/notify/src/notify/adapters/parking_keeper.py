"""The parking keeper: broker parking queues → the bureau's ledger, and replays back.

Runs inside the sender between batches (gunicorn workers never speak AMQP). Draining is
"insert (or re-park) the row, commit, then ack", so a crash in between parks the message
twice into one row, never zero times. A replay the bureau requested is republished
(confirmed) to the message's source queue with its attempt count cleared, then marked.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import pika
from pika.adapters.blocking_connection import BlockingChannel
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from notify.adapters.queues import DELIVERY_QUEUE
from notify.adapters.queues import EVENTS_QUEUE
from notify.adapters.queues import PARK_REASON_HEADER
from notify.models.parked import ParkedMessage
from yumiao_common.clock import utcnow
from yumiao_common.messaging.topology import ATTEMPTS_HEADER

log = logging.getLogger("notify.adapters.parking_keeper")
PARKING_QUEUES = {DELIVERY_QUEUE.parking: DELIVERY_QUEUE.name,
                  EVENTS_QUEUE.parking: EVENTS_QUEUE.name}
_DROP_ON_REPLAY = {PARK_REASON_HEADER, ATTEMPTS_HEADER, "x-death", "x-first-death-queue",
                   "x-first-death-reason", "x-first-death-exchange", "x-last-death-queue",
                   "x-last-death-reason", "x-last-death-exchange", "x-delivery-count"}


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


def _reason(headers: dict[str, Any]) -> str:
    if PARK_REASON_HEADER in headers:
        return str(headers[PARK_REASON_HEADER])
    for key in ("x-yumiao-error", "x-yumiao-reason", "x-exception"):
        if key in headers:
            return str(headers[key])
    deaths = headers.get("x-death") or []
    if deaths:
        return f"dead-lettered: {_jsonable(deaths[0].get('reason'))}"
    return "parked / 已停放"


class ParkingKeeper:
    def __init__(self, sessions: sessionmaker[Session], interval: float = 1.0) -> None:
        self.sessions, self.interval = sessions, interval
        self._next = 0.0

    def tick(self, channel: BlockingChannel) -> None:
        if time.monotonic() < self._next:
            return
        self._next = time.monotonic() + self.interval
        for parking, source in PARKING_QUEUES.items():
            self.drain(channel, parking, source)
        self.replay(channel)

    def drain(self, channel: BlockingChannel, parking: str, source: str) -> None:
        while True:
            method, props, body = channel.basic_get(parking, auto_ack=False)
            if method is None:
                return
            headers = _jsonable(dict(props.headers or {}))
            message_id = props.message_id or f"{parking}:{method.delivery_tag}:{time.time()}"
            with self.sessions.begin() as session:
                row = session.scalar(select(ParkedMessage).where(
                    ParkedMessage.message_id == message_id))
                if row is None:
                    row = ParkedMessage(message_id=message_id, source_queue=source)
                    session.add(row)
                row.routing_key, row.headers, row.body = props.type, headers, body
                row.reason, row.status, row.parked_at = _reason(headers), "parked", utcnow()
                row.attempts = int(headers.get(ATTEMPTS_HEADER, 0) or 0)
            channel.basic_ack(method.delivery_tag)

    def replay(self, channel: BlockingChannel) -> None:
        with self.sessions.begin() as session:
            rows = list(session.scalars(select(ParkedMessage).where(
                ParkedMessage.status == "replay_requested").limit(500)))
            for row in rows:
                headers = {k: v for k, v in row.headers.items() if k not in _DROP_ON_REPLAY}
                props = pika.BasicProperties(
                    content_type="application/json", delivery_mode=2,
                    message_id=row.message_id, type=row.routing_key, headers=headers,
                )
                channel.basic_publish("", row.source_queue, row.body, props)
                row.status, row.replayed_at = "replayed", utcnow()
                log.info("replayed parked message %s to %s", row.message_id, row.source_queue)
