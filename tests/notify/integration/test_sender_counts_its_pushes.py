"""notify's sender counts its pushes by channel and outcome (issue 11, item 3).

``yumiao_sender_deliveries_total{channel, outcome}`` on the sender's worker port: an e-mail
through a real SMTP sink counts as ``sent``; a webhook the receiver refuses for good counts as
``failed`` (parked).

The counter is process-wide and the relay publishes every unsent outbox row, so the test runs
on its own database and vhost: changes other tests left in the shared ones (webhooks to hosts
the bureau does not allow, retried and then parked) would otherwise bump its exact counts.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from collections.abc import Iterator

import pytest
from notify_testkit import MailSink
from notify_testkit import WebhookSink
from notify_testkit import expiring
from notify_testkit import new_uscc
from notify_testkit import put_prefs
from notify_testkit import wait_for
from prometheus_client import REGISTRY
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from notify import sender as sender_process
from notify.adapters.queues import RELAY_QUEUES
from notify.adapters.sql.migrations import upgrade_head
from notify.app import create_app
from notify.domain.templates import TemplateSet
from notify.handlers.notices import process_events
from notify.handlers.policies import seed_policies
from notify.models.messaging import outbox_table
from notify.settings import Settings
from yumiao_common.db.engine import make_engine
from yumiao_common.db.engine import make_session_factory
from yumiao_common.messaging.relay import RelayConfig
from yumiao_common.messaging.relay import run_relay
from yumiao_common.observability.worker_server import WorkerProbe

pytestmark = pytest.mark.integration
SECRET = "test-secret-0123456789"


def _count(channel: str, outcome: str) -> float:
    value = REGISTRY.get_sample_value("yumiao_sender_deliveries_total",
                                      {"channel": channel, "outcome": outcome})
    return value or 0.0


@pytest.fixture
def own(settings: Settings, make_pg_database: Callable[[str], str],
        make_amqp_vhost: Callable[[], str]) -> Iterator[tuple[Settings, sessionmaker[Session]]]:
    """A database and vhost of this test alone: only its own pushes reach its sender."""
    url = make_pg_database("notify_counts")
    upgrade_head(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        seed_policies(session, actor="test:seed")
    yield settings.model_copy(update={"database_url": url, "amqp_url": make_amqp_vhost()}), sessions
    engine.dispose()


@pytest.fixture
def sinks() -> Iterator[tuple[MailSink, WebhookSink]]:
    mail, webhook = MailSink(), WebhookSink(SECRET)
    yield mail, webhook
    mail.close()
    webhook.close()


def test_pushes_are_counted_by_channel_and_outcome(
    own: tuple[Settings, sessionmaker[Session]], sinks: tuple[MailSink, WebhookSink],
) -> None:
    settings, sessions = own
    mail, webhook = sinks
    port = int(webhook.url.rsplit(":", 1)[1])
    allowed = settings.model_copy(update={"webhook_allowed_targets": ["127.0.0.1/32"],
                                          "webhook_allowed_ports": [port]})
    client = create_app(allowed).test_client()
    uscc = new_uscc()
    put_prefs(client, uscc, language="en", channels=["email", "webhook"],
              email=f"{uscc}@example.com", webhook_url=webhook.url + "/gone",
              webhook_secret=SECRET)
    webhook.script["/gone"] = [410]  # the receiver refuses for good: parked
    before = {key: _count(*key) for key in [("email", "sent"), ("webhook", "failed")]}

    stop = threading.Event()
    probe = WorkerProbe.detached("notify", "notify.sender")
    consumer = sender_process.build(
        allowed.model_copy(update={"smtp_port": mail.port, "smtp_starttls": False}),
        sessions, keeper_interval=0.1, probe=probe)
    threads = [
        threading.Thread(target=run_relay, daemon=True, args=(
            settings.amqp_url, make_engine(settings.database_url), outbox_table,
            RelayConfig(poll_interval=0.05)), kwargs={"registry": RELAY_QUEUES,
                                                      "stop_event": stop}),
        threading.Thread(target=consumer.run, daemon=True)]
    for thread in threads:
        thread.start()
    try:
        with sessions.begin() as session:
            process_events(session, [expiring(uscc)], templates=TemplateSet(), weekly_cap=10)
        wait_for(lambda: _count("email", "sent") == before[("email", "sent")] + 1
                 and _count("webhook", "failed") == before[("webhook", "failed")] + 1)
        assert probe.heartbeat.age() < 5
    finally:
        stop.set()
        consumer.stop()
        for thread in threads:
            thread.join(10)
