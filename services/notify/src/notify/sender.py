"""``python -m notify.sender``: pushes deliveries from the ``notify.deliveries`` work queue.

Per batch (up to ``prefetch`` messages): parse (a poison message is parked at once), claim
the rows in one committed UPDATE (the state check), push concurrently on a small thread pool
(one keep-alive HTTP session and one SMTP session per thread), settle all rows in one
transaction, and only then ack. A temporary failure is republished (confirmed) to the retry
queue of its attempt, then acked; a permanent one or exhausted attempts are parked with the
reason. Between batches the parking keeper runs (see ``notify.adapters.parking_keeper``).

Residual at-least-once window: a crash after the receiver accepted a push but before the
settle commit leaves the row ``sending``; once its lease expires the redelivered message sends
again with the same ``Idempotency-Key`` / ``X-Yumiao-Delivery``, which receivers dedupe.
"""

from __future__ import annotations

import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pika
from pika.adapters.blocking_connection import BlockingChannel
from pydantic import ValidationError
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from notify.adapters.channels.egress import EgressPolicy
from notify.adapters.channels.email import SmtpChannel
from notify.adapters.channels.errors import INTERNAL
from notify.adapters.channels.errors import NO_SECRET
from notify.adapters.channels.errors import DeliveryFailed
from notify.adapters.channels.webhook import WebhookChannel
from notify.adapters.parking_keeper import ParkingKeeper
from notify.adapters.queues import DELIVERY_QUEUE
from notify.adapters.queues import PARK_REASON_HEADER
from notify.adapters.sql import deliveries as store
from notify.adapters.worker import run_forever
from notify.domain.messages import parse_delivery
from notify.settings import Settings
from yumiao_common.clock import utcnow
from yumiao_common.logging import request_id

log = logging.getLogger("notify.sender")
Message = tuple[Any, pika.BasicProperties, bytes]


class Pushers(threading.local):
    """Per-thread channel clients, so sessions are reused and never shared across threads."""

    def __init__(self, settings: Settings) -> None:
        self.webhook = WebhookChannel(settings.webhook_timeout_seconds, EgressPolicy.of(settings))
        self.smtp = SmtpChannel(settings.smtp_host, settings.smtp_port, settings.smtp_sender,
                                settings.smtp_timeout_seconds)


class Sender:
    """One AMQP connection's worth of delivering; ``run_forever`` reconnects it."""

    def __init__(self, settings: Settings, sessions: sessionmaker[Session]) -> None:
        self.settings, self.sessions = settings, sessions
        self.pool = ThreadPoolExecutor(settings.delivery_workers, thread_name_prefix="push")
        self.pushers = Pushers(settings)
        self.keeper = ParkingKeeper(sessions)

    def run(self, channel: BlockingChannel, stop: threading.Event) -> None:
        channel.confirm_delivery()
        channel.basic_qos(prefetch_count=self.settings.delivery_prefetch)
        batch: list[Message] = []
        for method, props, body in channel.consume(DELIVERY_QUEUE.name, inactivity_timeout=0.05):
            if method is not None:
                batch.append((method, props, body))
            if batch and (method is None or len(batch) >= self.settings.delivery_prefetch):
                self.handle(channel, batch)
                batch = []
            if method is None:
                self.keeper.tick(channel)
                if stop.is_set():
                    break
        channel.cancel()

    def handle(self, channel: BlockingChannel, batch: list[Message]) -> None:
        wanted: dict[uuid.UUID, Message] = {}
        for msg in batch:
            try:
                wanted[parse_delivery(msg[2]).payload.delivery_id] = msg
            except ValidationError as exc:
                self.park(channel, msg, f"无法解析 / unparseable: {exc.error_count()} errors")
        with self.sessions.begin() as session:
            claimed = set(store.claim(session, list(wanted), utcnow()))
            leftovers = store.states(session, [i for i in wanted if i not in claimed])
        deferred = [i for i, s in leftovers.items() if s == "sending"]
        for delivery_id in deferred:  # another sender holds a fresh lease: look again later
            self.republish(channel, wanted[delivery_id], DELIVERY_QUEUE.retry_queue(1))
        for delivery_id in set(wanted) - claimed - set(deferred):
            if delivery_id not in leftovers:
                self.park(channel, wanted[delivery_id], "投递记录不存在 / delivery row missing")
            else:  # already sent/delivered or permanently failed: nothing to do
                channel.basic_ack(wanted[delivery_id][0].delivery_tag)
        if claimed:
            self.push(channel, {i: wanted[i] for i in claimed})

    def push(self, channel: BlockingChannel, claimed: dict[uuid.UUID, Message]) -> None:
        with self.sessions() as session:
            jobs = store.load_jobs(session, list(claimed))
        outcomes = list(self.pool.map(self.push_one, jobs))
        with self.sessions.begin() as session:
            store.settle(session, outcomes, DELIVERY_QUEUE.max_attempts)
        done = []
        for o in outcomes:
            msg = claimed[o.job.delivery_id]
            if o.ok:
                done.append(msg[0].delivery_tag)
            elif store.is_exhausted(o, DELIVERY_QUEUE.max_attempts):
                detail = f" ({o.detail})" if o.detail else ""
                self.park(channel, msg, f"{o.error or 'failed'}{detail}")
            else:
                self.republish(channel, msg, DELIVERY_QUEUE.retry_queue(o.job.attempts))
        if len(outcomes) < len(claimed):  # a claimed row vanished: never ack past it blindly
            for tag in done:
                channel.basic_ack(tag)
        elif done:
            # Everything else this batch received is acked by now (parked, republished,
            # deferred, or nothing to do), and earlier batches were acked in full, so one
            # multiple-ack of the highest settled tag acks exactly the settled deliveries.
            channel.basic_ack(max(done), multiple=True)

    def push_one(self, job: store.Job) -> store.Outcome:
        """Push one delivery; its log lines carry the correlation id of the change behind it."""
        with request_id(job.correlation_id):
            return self._push(job)

    def _push(self, job: store.Job) -> store.Outcome:
        try:
            if job.channel == "webhook":
                if not job.secret:
                    raise DeliveryFailed(NO_SECRET, permanent=True)
                self.pushers.webhook.send(url=job.target, secret=job.secret, body=job.payload,
                                          delivery_id=str(job.delivery_id))
            else:
                self.pushers.smtp.send(to=job.target, subject=job.subject, body=job.body,
                                       delivery_id=str(job.delivery_id))
        except DeliveryFailed as exc:
            if exc.detail:  # the bureau's precise reason: logs and parking, never the notice
                log.warning("delivery %s (%s) failed: %s", job.delivery_id, job.channel,
                            exc.detail)
            return store.Outcome(job, ok=False, permanent=exc.permanent, error=exc.reason,
                                 detail=exc.detail)
        except Exception as exc:  # noqa: BLE001 - an unexpected error is a temporary failure
            log.exception("push of delivery %s failed unexpectedly", job.delivery_id)
            return store.Outcome(job, ok=False, error=INTERNAL, detail=type(exc).__name__)
        return store.Outcome(job, ok=True)

    def republish(self, channel: BlockingChannel, msg: Message, queue: str) -> None:
        """Confirmed publish to a retry queue, then ack the original (never lose it)."""
        method, props, body = msg
        channel.basic_publish("", queue, body, _copy(props))
        channel.basic_ack(method.delivery_tag)

    def park(self, channel: BlockingChannel, msg: Message, reason: str) -> None:
        method, props, body = msg
        with request_id(props.correlation_id):
            log.warning("parking delivery message %s: %s", props.message_id, reason)
        channel.basic_publish("", DELIVERY_QUEUE.parking, body,
                              _copy(props, {PARK_REASON_HEADER: reason[:500]}))
        channel.basic_ack(method.delivery_tag)


def _copy(props: pika.BasicProperties, extra: dict[str, Any] | None = None) -> Any:
    headers = dict(props.headers or {}) | (extra or {})
    return pika.BasicProperties(
        content_type=props.content_type, delivery_mode=2, message_id=props.message_id,
        type=props.type, correlation_id=props.correlation_id, timestamp=props.timestamp,
        headers=headers,
    )


def main() -> int:
    settings = Settings()
    return run_forever(settings, "sender", lambda sessions: Sender(settings, sessions),
                       queues=(DELIVERY_QUEUE,))


if __name__ == "__main__":
    raise SystemExit(main())
