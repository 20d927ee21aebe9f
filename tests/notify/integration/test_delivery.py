# mypy: disable-error-code="index,union-attr"
"""Push deliveries end to end: outbox → relay → RabbitMQ → sender → real SMTP and webhook.

Covers lifecycle states, signed webhooks, retry with back-off on a transient failure,
parking of permanent failures and poison messages, and replay through the API. The webhook
sink listens on loopback, which notify refuses unless the bureau allows it: the app and the
sender here run with ``127.0.0.1/32`` and the sink's port allowed (both ways are tested).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

import pika
import pytest
from flask import Flask
from flask.testing import FlaskClient
from notify_testkit import BUREAU
from notify_testkit import MailSink
from notify_testkit import WebhookSink
from notify_testkit import expiring
from notify_testkit import new_uscc
from notify_testkit import put_prefs
from notify_testkit import wait_for
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from notify import sender as sender_process
from notify.adapters.channels.errors import NOT_ALLOWED
from notify.adapters.channels.errors import REFUSED
from notify.adapters.queues import DELIVERY_QUEUE
from notify.adapters.queues import RELAY_QUEUES
from notify.app import create_app
from notify.domain.templates import TemplateSet
from notify.handlers.notices import process_events
from notify.models.delivery import Delivery
from notify.models.messaging import outbox_table
from notify.models.notice import Notice
from notify.models.preference import Preference
from notify.settings import Settings
from yumiao_common.db.engine import make_engine
from yumiao_common.messaging.relay import RelayConfig
from yumiao_common.messaging.relay import run_relay

pytestmark = pytest.mark.integration
SECRET = "test-secret-0123456789"


PUBLIC_URL = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
def webhook() -> Iterator[WebhookSink]:
    sink = WebhookSink(SECRET)
    yield sink
    sink.close()


@pytest.fixture(scope="module")
def mail() -> Iterator[MailSink]:
    sink = MailSink()
    yield sink
    sink.close()


def allowing_loopback(settings: Settings, sink: WebhookSink) -> Settings:
    """The bureau's allow-list for an on-premises receiver: the sink's address and port."""
    port = int(sink.url.rsplit(":", 1)[1])
    return settings.model_copy(update={"webhook_allowed_targets": ["127.0.0.1/32"],
                                       "webhook_allowed_ports": [port]})


@pytest.fixture(scope="module")
def allowing_app(settings: Settings, webhook: WebhookSink) -> Flask:
    return create_app(allowing_loopback(settings, webhook))


@pytest.fixture()
def client(allowing_app: Flask) -> FlaskClient:
    return allowing_app.test_client()


@pytest.fixture(scope="module")
def pipeline(settings: Settings, sessions: sessionmaker[Session], mail: MailSink,
             webhook: WebhookSink) -> Iterator[None]:
    """A relay and a sender running in threads for the module."""
    stop = threading.Event()
    sender_settings = allowing_loopback(settings, webhook).model_copy(
        update={"smtp_port": mail.port, "smtp_starttls": False,  # a plain sink, like Mailpit
                "public_url": PUBLIC_URL})
    engine = make_engine(settings.database_url)
    relay = threading.Thread(target=run_relay, daemon=True, args=(
        settings.amqp_url, engine, outbox_table, RelayConfig(poll_interval=0.05)),
        kwargs={"registry": RELAY_QUEUES, "stop_event": stop})
    consumer = sender_process.build(sender_settings, sessions, keeper_interval=0.1)
    sender = threading.Thread(target=consumer.run, daemon=True)
    relay.start()
    sender.start()
    yield
    stop.set()
    consumer.stop()
    relay.join(10)
    sender.join(10)


def notify_of(sessions: sessionmaker[Session], *events: Any) -> list[Notice]:
    with sessions.begin() as session:
        process_events(session, list(events), templates=TemplateSet(), weekly_cap=10)
    uscc = events[0].payload.uscc
    with sessions() as session:
        return list(session.scalars(select(Notice).where(Notice.uscc == uscc)))


def state(sessions: sessionmaker[Session], notice_id: Any) -> tuple[str, list[str]]:
    with sessions() as session:
        notice = session.get(Notice, notice_id)
        assert notice is not None
        rows = session.scalars(select(Delivery.state).where(Delivery.notice_id == notice_id))
        return notice.status, sorted(rows)


def test_email_and_signed_webhook_are_each_delivered_once(  # type: ignore[no-untyped-def]
    pipeline, client: FlaskClient, sessions, webhook: WebhookSink, mail: MailSink
) -> None:
    uscc = new_uscc()
    put_prefs(client, uscc, language="en", channels=["email", "webhook"],
              email=f"{uscc}@example.com", webhook_url=webhook.url + "/ok",
              webhook_secret=SECRET)
    [notice] = notify_of(sessions, expiring(uscc))
    wait_for(lambda: state(sessions, notice.id) == ("sent", ["delivered", "sent"]))
    with sessions() as session:
        hook = session.scalar(select(Delivery).where(Delivery.notice_id == notice.id,
                                                     Delivery.channel == "webhook"))
    assert hook is not None and webhook.received[str(hook.id)] == 1
    assert webhook.bodies[str(hook.id)]["deadline"] == notice.deadline.isoformat()  # type: ignore[union-attr]
    [message] = [m for m in mail.messages if m["To"] == f"{uscc}@example.com"]
    assert message["Subject"] == notice.subject and message["X-Yumiao-Delivery"]
    # the reader follows the link straight to this notice in the portal (issue 17)
    link = f"{PUBLIC_URL}/my/notices#n-{notice.id}"
    assert message.get_content().rstrip().endswith(f"Details and how to apply: {link}")
    assert webhook.bodies[str(hook.id)]["url"] == link


def test_a_transient_failure_retries_with_backoff_then_delivers(  # type: ignore[no-untyped-def]
    pipeline, client, sessions, webhook: WebhookSink
) -> None:
    uscc = new_uscc()
    webhook.script["/flaky"] = [503]
    put_prefs(client, uscc, channels=["webhook"], webhook_url=webhook.url + "/flaky",
              webhook_secret=SECRET)
    [notice] = notify_of(sessions, expiring(uscc))
    wait_for(lambda: state(sessions, notice.id) == ("delivered", ["delivered"]))
    with sessions() as session:
        hook = session.scalar(select(Delivery).where(Delivery.notice_id == notice.id))
    assert hook is not None and hook.attempts == 2 and webhook.received[str(hook.id)] == 1


def _says_what_answered(body: Any) -> bool:
    """Whether an answer tells what the target said (its status) — timestamps and ids may
    contain the digits 410 by chance, so only the other texts are read."""
    texts = [v for v in _strings(body) if not _looks_like_a_stamp_or_id(v)]
    return any("410" in t or "Gone" in t for t in texts)


def _strings(body: Any) -> list[str]:
    if isinstance(body, dict):
        return [s for v in body.values() for s in _strings(v)]
    if isinstance(body, list):
        return [s for v in body for s in _strings(v)]
    return [body] if isinstance(body, str) else []


def _looks_like_a_stamp_or_id(text: str) -> bool:
    return bool(re.fullmatch(r"[0-9a-f-]{36}|\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)?", text))


def test_permanent_failure_is_parked_listed_inspected_and_replayed(  # type: ignore[no-untyped-def]
    pipeline, client: FlaskClient, sessions, webhook: WebhookSink
) -> None:
    uscc = new_uscc()
    webhook.script["/gone"] = [410]
    put_prefs(client, uscc, channels=["webhook"], webhook_url=webhook.url + "/gone",
              webhook_secret=SECRET)
    [notice] = notify_of(sessions, expiring(uscc))
    wait_for(lambda: state(sessions, notice.id) == ("failed", ["failed"]))
    detail = client.get(f"/api/v1/notices/{notice.id}").json
    assert detail["failure"] == "permanent" and detail["failure_reason"] == REFUSED
    own = client.get(f"/api/v1/enterprises/{uscc}/notices/{notice.id}").json
    assert own["failure_reason"] == REFUSED and not _says_what_answered(own)
    delivery_id = detail["deliveries"][0]["id"]
    assert not _says_what_answered(detail["deliveries"])

    def parked() -> list[dict[str, Any]]:
        items = client.get("/api/v1/parking?status=parked&limit=200").json["items"]
        return [p for p in items if delivery_id in client.get(
            f"/api/v1/parking/{p['id']}").json["body"]]

    wait_for(lambda: len(parked()) == 1)
    [row] = parked()
    inspected = client.get(f"/api/v1/parking/{row['id']}").json
    # the admin-only parking lot keeps the bureau's precise reason
    assert "410" in inspected["reason"] and inspected["source_queue"] == "notify.deliveries"
    replay = client.post(f"/api/v1/parking/{row['id']}/replay", headers=BUREAU)
    assert replay.status_code == 202
    assert client.post(f"/api/v1/parking/{row['id']}/replay", headers=BUREAU).status_code == 409
    wait_for(lambda: state(sessions, notice.id) == ("delivered", ["delivered"]))
    assert webhook.received[delivery_id] == 1
    assert client.get(f"/api/v1/parking/{row['id']}").json["status"] == "replayed"


def test_a_poison_message_is_parked_with_its_reason(  # type: ignore[no-untyped-def]
    pipeline, client: FlaskClient, settings: Settings
) -> None:
    connection = pika.BlockingConnection(pika.URLParameters(settings.amqp_url))
    channel = connection.channel()
    channel.basic_publish("", DELIVERY_QUEUE.name, b"{not json",
                          pika.BasicProperties(message_id="poison-1", delivery_mode=2))
    connection.close()

    def found() -> list[dict[str, Any]]:
        items = client.get("/api/v1/parking?limit=200").json["items"]
        return [p for p in items if p["message_id"] == "poison-1"]

    wait_for(lambda: len(found()) == 1)
    assert "unparseable" in found()[0]["reason"]


def test_forged_requests_never_count_as_deliveries(webhook: WebhookSink) -> None:
    import requests

    body = b'{"forged":true}'
    resp = requests.post(webhook.url + "/ok", data=body, timeout=5, headers={
        "X-Yumiao-Timestamp": "1", "X-Yumiao-Signature": "sha256=00", "X-Yumiao-Delivery": "x"})
    assert resp.status_code == 401 and "x" not in webhook.received


def test_a_loopback_receiver_is_refused_at_save_without_the_bureau_allow_list(
    app: Flask, client: FlaskClient, webhook: WebhookSink
) -> None:
    strict = app.test_client()  # the suite's app: no allow-list
    doc = {"language": "zh-CN", "channels": ["webhook"], "webhook_url": webhook.url + "/ok",
           "webhook_secret": SECRET}
    for target in (strict, client):
        uscc = new_uscc()
        resp = target.put(f"/api/v1/enterprises/{uscc}/preferences", json=doc, headers=BUREAU)
        if target is strict:
            assert resp.status_code == 422, resp.json
            [reason] = resp.json["error"]["fields"]["webhook_url"]
            assert "本机回环地址" in reason and "loopback" in reason
            assert strict.get(f"/api/v1/enterprises/{uscc}/preferences").json["version"] == 0
        else:
            assert resp.status_code == 200, resp.json


@pytest.mark.parametrize("stored", ["http://127.0.0.2:{port}/hook", "http://localhost:{port}/hook",
                                    "http://[::ffff:127.0.0.1]:{port}/hook"])
def test_a_stored_internal_url_is_refused_at_send_and_nothing_is_called(  # type: ignore[no-untyped-def]
    pipeline, client: FlaskClient, sessions, webhook: WebhookSink, stored: str
) -> None:
    """Saved before the check existed (or written around it): the sender checks again."""
    uscc = new_uscc()
    url = stored.format(port=webhook.url.rsplit(":", 1)[1])
    with sessions.begin() as session:
        session.add(Preference(uscc=uscc, language="zh-CN", channels=["inapp", "webhook"],
                               webhook_url=url, webhook_secret=SECRET, version=1))
    before = sum(webhook.received.values()) + len(webhook.rejected)
    [notice] = notify_of(sessions, expiring(uscc))
    wait_for(lambda: state(sessions, notice.id) == ("failed", ["failed"]))
    own = client.get(f"/api/v1/enterprises/{uscc}/notices/{notice.id}").json
    assert (own["failure"], own["failure_reason"]) == ("permanent", NOT_ALLOWED)
    assert sum(webhook.received.values()) + len(webhook.rejected) == before
