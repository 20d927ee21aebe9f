"""``python -m notify.sender``: pushes deliveries from the ``notify.deliveries`` work queue.

It runs on the shared consumer base (``yumiao_common.messaging.consumer.QueueConsumer``): the
base owns the AMQP lifecycle, batching, stop signals, the retry ladder, parking and acks; this
module is the batch handler. A delivery's dedupe is its row's state, not an inbox, so per
batch (up to ``delivery_prefetch`` messages, parsed as ``DeliveryRequested``; a poison message
is parked by the base) :class:`Sender`:

1. claims the rows in one committed UPDATE (the state check, ``adapters.sql.deliveries``);
2. pushes the claimed ones concurrently on a small thread pool (one keep-alive HTTP session
   and one SMTP session per thread), each push logged with its change's correlation id;
3. settles every row in one transaction, and only then hands back a verdict per message:
   ack (sent, or nothing to do), retry at the step of the row's attempt count (temporary
   failure; a fresh ``sending`` lease of another sender is looked at again later), or park
   with the reason (permanent failure, attempts exhausted, row missing).

When the queue is quiet the shared parking keeper drains notify's parking queues into the
bureau's ledger (``/api/v1/parking``) and publishes the replays it asked for.

Residual at-least-once window: a crash after the receiver accepted a push but before the
settle commit leaves the row ``sending``; once its lease expires the redelivered message sends
again with the same ``Idempotency-Key`` / ``X-Yumiao-Delivery``, which receivers dedupe.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from notify.adapters.channels.egress import EgressPolicy
from notify.adapters.channels.email import SmtpChannel
from notify.adapters.channels.email import SmtpConfig
from notify.adapters.channels.errors import INTERNAL
from notify.adapters.channels.errors import NO_SECRET
from notify.adapters.channels.errors import DeliveryFailed
from notify.adapters.channels.sms.channel import SmsChannel
from notify.adapters.channels.webhook import WebhookChannel
from notify.adapters.queues import DELIVERY_QUEUE
from notify.adapters.queues import PARKED_QUEUES
from notify.adapters.sql import deliveries as store
from notify.adapters.sql.contacts import still_reachable
from notify.adapters.sql.parked import SqlParkingLedger
from notify.domain.messages import DeliveryRequested
from notify.domain.messages import parse_delivery
from notify.settings import Settings
from yumiao_common.clock import utcnow
from yumiao_common.db.engine import engine_from_settings
from yumiao_common.db.engine import make_session_factory
from yumiao_common.logging import configure_logging
from yumiao_common.logging import request_id
from yumiao_common.messaging.consumer import ACK
from yumiao_common.messaging.consumer import ConsumerConfig
from yumiao_common.messaging.consumer import Delivery
from yumiao_common.messaging.consumer import Park
from yumiao_common.messaging.consumer import QueueConsumer
from yumiao_common.messaging.consumer import Retry
from yumiao_common.messaging.consumer import Verdict
from yumiao_common.messaging.consumer import run_until_signalled
from yumiao_common.messaging.parking import ParkingKeeper
from yumiao_common.observability.worker_metrics import SENDER_DELIVERIES
from yumiao_common.observability.worker_server import WorkerProbe
from yumiao_common.observability.worker_server import start_worker_observability

log = logging.getLogger("notify.sender")

DEFERRED = "另一发送者正在投递 / another sender holds the delivery"
MISSING = "投递记录不存在 / delivery row missing"
OPTED_OUT = "未发送：联系人已退订或撤回同意 / not sent: the contact opted out or withdrew consent"


class Pushers(threading.local):
    """Per-thread channel clients, so sessions are reused and never shared across threads."""

    def __init__(self, settings: Settings) -> None:
        self.webhook = WebhookChannel(settings.webhook_timeout_seconds, EgressPolicy.of(settings))
        self.smtp = SmtpChannel(SmtpConfig.of(settings))


class Sender:
    """The batch handler of ``notify.deliveries`` (a ``BatchHandler`` of the consumer base)."""

    def __init__(self, settings: Settings, sessions: sessionmaker[Session]) -> None:
        self.settings, self.sessions = settings, sessions
        self.pool = ThreadPoolExecutor(settings.delivery_workers, thread_name_prefix="push")
        self.pushers = Pushers(settings)
        self.sms = SmsChannel(settings, sessions)

    def __call__(self, deliveries: list[Delivery]) -> Sequence[Verdict]:
        """Claim, push and settle a batch; one verdict per delivery, after the commits."""
        ids = [_delivery_id(d) for d in deliveries]
        wanted = list(dict.fromkeys(ids))  # the same delivery twice in a batch is pushed once
        with self.sessions.begin() as session:
            claimed = set(store.claim(session, wanted, utcnow()))
            leftovers = store.states(session, [i for i in wanted if i not in claimed])
        verdicts: dict[uuid.UUID, Verdict] = {}
        for delivery_id in wanted:
            if delivery_id in claimed:
                continue
            if delivery_id not in leftovers:
                verdicts[delivery_id] = Park(MISSING)
            elif leftovers[delivery_id] == "sending":  # another sender's fresh lease
                verdicts[delivery_id] = Retry(DEFERRED, attempt=1)
            else:  # already sent/delivered or permanently failed: nothing to do
                verdicts[delivery_id] = ACK
        if claimed:
            verdicts |= self.push([i for i in wanted if i in claimed])
        first = {delivery_id: n for n, delivery_id in reversed(list(enumerate(ids)))}
        return [verdicts[delivery_id] if first[delivery_id] == n else ACK
                for n, delivery_id in enumerate(ids)]

    def push(self, claimed: list[uuid.UUID]) -> dict[uuid.UUID, Verdict]:
        """Push the claimed deliveries and settle their rows (committed); their verdicts."""
        with self.sessions() as session:
            jobs = store.load_jobs(session, claimed, public_url=self.settings.public_url)
        outcomes = list(self.pool.map(self.push_one, jobs))
        with self.sessions.begin() as session:
            store.settle(session, outcomes, self.settings.delivery_max_attempts)
        # A claimed row that vanished before loading is looked at again (then parked).
        verdicts: dict[uuid.UUID, Verdict] = {i: Retry(MISSING, attempt=1) for i in claimed}
        for o in outcomes:
            if o.ok:
                verdicts[o.job.delivery_id] = ACK
            elif store.is_exhausted(o, self.settings.delivery_max_attempts):
                detail = f" ({o.detail})" if o.detail else ""
                verdicts[o.job.delivery_id] = Park(f"{o.error or 'failed'}{detail}")
            else:
                verdicts[o.job.delivery_id] = Retry(o.error or "failed", attempt=o.job.attempts)
            SENDER_DELIVERIES.labels(o.job.channel, _outcome(verdicts[o.job.delivery_id])).inc()
        return verdicts

    def push_one(self, job: store.Job) -> store.Outcome:
        """Push one delivery; its log lines carry the correlation id of the change behind it."""
        with request_id(job.correlation_id):
            return self._push(job)

    def _push(self, job: store.Job) -> store.Outcome:
        provider_ref = None
        try:
            if job.recipient and not self._contact_reachable(job):
                raise DeliveryFailed(OPTED_OUT, permanent=True, detail=job.recipient)
            if job.channel == "sms":
                provider_ref = self.sms.send(mobile=job.target, kind=job.kind, params=job.params,
                                             delivery_id=str(job.delivery_id), now=utcnow())
            elif job.channel == "webhook":
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
        return store.Outcome(job, ok=True, provider_ref=provider_ref)

    def _contact_reachable(self, job: store.Job) -> bool:
        """A contact may have opted out since the delivery was queued: honour it at send."""
        with self.sessions() as session:
            return still_reachable(session, job.uscc, job.channel, job.recipient)


def _outcome(verdict: Verdict) -> str:
    """``yumiao_sender_deliveries_total``'s outcome: sent, retry (later) or failed (parked)."""
    if isinstance(verdict, Retry):
        return "retry"
    return "failed" if isinstance(verdict, Park) else "sent"


def _delivery_id(delivery: Delivery) -> uuid.UUID:
    event = delivery.event
    assert isinstance(event, DeliveryRequested)  # parsed by parse_delivery
    return event.payload.delivery_id


def build(settings: Settings, sessions: sessionmaker[Session], *,
          keeper_interval: float = 1.0, probe: WorkerProbe | None = None) -> QueueConsumer:
    """The sender process: the consumer base on ``notify.deliveries`` with :class:`Sender`
    and the parking keeper (tests shorten ``keeper_interval``); its loop beats ``probe``."""
    keeper = ParkingKeeper(SqlParkingLedger(sessions), PARKED_QUEUES, keeper_interval)
    config = ConsumerConfig(batch_size=settings.delivery_prefetch,
                            prefetch=settings.delivery_prefetch, batch_wait=0.05)
    return QueueConsumer(settings.amqp_url, DELIVERY_QUEUE, Sender(settings, sessions),
                         parse=parse_delivery, name="notify.sender", config=config,
                         on_idle=[keeper], probe=probe)


def main() -> int:
    settings = Settings()
    configure_logging("notify.sender", settings.log_level, json_format=settings.log_json)
    sessions = make_session_factory(engine_from_settings(settings))
    probe = start_worker_observability(settings, "notify.sender")  # /metrics, /healthz
    try:
        return run_until_signalled(build(settings, sessions, probe=probe))
    finally:
        probe.close()


if __name__ == "__main__":
    raise SystemExit(main())
