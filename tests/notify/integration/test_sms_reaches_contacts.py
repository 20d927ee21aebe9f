# mypy: disable-error-code="index,union-attr"
"""Notices reach a firm without a portal account through its contacts, end to end:
registry's contact list → notify's consumer → deliveries (SMS and e-mail per consenting
contact, opt-outs honoured) → relay → RabbitMQ → sender → the fake SMS provider and a real
SMTP sink; the provider's receipt, verified by token, completes the notice's lifecycle; the
daily per-number cap holds."""

from __future__ import annotations

import threading
from collections.abc import Callable
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from notify_testkit import MailSink
from notify_testkit import expiring
from notify_testkit import new_uscc
from notify_testkit import put_prefs
from notify_testkit import wait_for
from pydantic import SecretStr
from sms_fake import FakeSmsProvider
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from notify import sender as sender_process
from notify.adapters.channels.sms.provider import SMS_CAPPED
from notify.adapters.queues import RELAY_QUEUES
from notify.adapters.sql.migrations import upgrade_head
from notify.app import create_app
from notify.domain.templates import TemplateSet
from notify.handlers.notices import process_events
from notify.handlers.policies import seed_policies
from notify.models.delivery import Delivery
from notify.models.messaging import outbox_table
from notify.models.notice import Notice
from notify.settings import Settings
from yumiao_common.clock import utcnow
from yumiao_common.contracts.registry import Contact
from yumiao_common.contracts.registry import ContactsChanged
from yumiao_common.contracts.registry import ContactsChangedPayload
from yumiao_common.db.engine import make_engine
from yumiao_common.db.engine import make_session_factory
from yumiao_common.messaging.relay import RelayConfig
from yumiao_common.messaging.relay import run_relay

pytestmark = pytest.mark.integration
KEY_ID, SECRET, TOKEN = "LTAI-test-key", "s3cret-for-signing", "receipt-token-123"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSmsProvider]:
    server = FakeSmsProvider("aliyun", key_id=KEY_ID, secret=SECRET, approved={"SMS_100"})
    yield server
    server.close()


@pytest.fixture(scope="module")
def mail() -> Iterator[MailSink]:
    sink = MailSink()
    yield sink
    sink.close()


@pytest.fixture(scope="module")
def own_settings(settings: Settings, make_pg_database: Callable[[str], str],
                 make_amqp_vhost: Callable[[], str]) -> Settings:
    """A database and vhost of this module alone: its relay publishes only its own deliveries,
    not what earlier tests left in the shared outbox (webhooks to hosts nobody allows, retried
    and parked), which keeps the sender busy past the waits here in a full run."""
    url = make_pg_database("notify_sms")
    upgrade_head(url)
    engine = make_engine(url)
    with make_session_factory(engine).begin() as session:
        seed_policies(session, actor="test:seed")
    engine.dispose()
    return settings.model_copy(update={"database_url": url, "amqp_url": make_amqp_vhost()})


@pytest.fixture(scope="module")
def sessions(own_settings: Settings) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(own_settings.database_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def sms_settings(own_settings: Settings, fake: FakeSmsProvider, mail: MailSink) -> Settings:
    return own_settings.model_copy(update={
        "sms_provider": "aliyun", "sms_endpoint": fake.url,
        "sms_access_key_id": SecretStr(KEY_ID), "sms_access_key_secret": SecretStr(SECRET),
        "sms_templates": {"renewal": "SMS_100"}, "sms_per_number_daily_cap": 1,
        "sms_receipt_token": SecretStr(TOKEN),
        "smtp_port": mail.port, "smtp_starttls": False})


@pytest.fixture(scope="module")
def sms_app(sms_settings: Settings) -> Flask:
    return create_app(sms_settings)


@pytest.fixture()
def client(sms_app: Flask) -> FlaskClient:
    return sms_app.test_client()


@pytest.fixture(scope="module")
def pipeline(sms_settings: Settings, sessions: sessionmaker[Session]) -> Iterator[None]:
    stop = threading.Event()
    engine = make_engine(sms_settings.database_url)
    relay = threading.Thread(target=run_relay, daemon=True, args=(
        sms_settings.amqp_url, engine, outbox_table, RelayConfig(poll_interval=0.05)),
        kwargs={"registry": RELAY_QUEUES, "stop_event": stop})
    consumer = sender_process.build(sms_settings, sessions, keeper_interval=0.1)
    sender = threading.Thread(target=consumer.run, daemon=True)
    relay.start()
    sender.start()
    yield
    stop.set()
    consumer.stop()
    relay.join(10)
    sender.join(10)


def contacts(uscc: str, *people: dict[str, Any], version: int = 1) -> ContactsChanged:
    return ContactsChanged(payload=ContactsChangedPayload(
        uscc=uscc, enterprise_name="测试企业有限公司", version=version,
        contacts=tuple(Contact(**p) for p in people)))


def handle(sessions: sessionmaker[Session], *events: Any) -> None:
    with sessions.begin() as session:
        process_events(session, list(events), templates=TemplateSet(), weekly_cap=10)


def deliveries(sessions: sessionmaker[Session], uscc: str) -> list[Delivery]:
    with sessions() as session:
        return list(session.scalars(select(Delivery).join(Notice).where(Notice.uscc == uscc)
                                    .order_by(Delivery.channel, Delivery.recipient)))


def notice_of(client: FlaskClient, uscc: str) -> dict[str, Any]:
    [item] = client.get(f"/api/v1/enterprises/{uscc}/notices").json["items"]
    detail = client.get(f"/api/v1/notices/{item['id']}").json
    assert isinstance(detail, dict)
    return detail


def test_contacts_get_sms_and_email_and_the_receipt_completes_the_lifecycle(
    pipeline: None, client: FlaskClient, sessions: sessionmaker[Session],
    fake: FakeSmsProvider, mail: MailSink,
) -> None:
    uscc = new_uscc()
    handle(sessions, contacts(
        uscc,
        {"id": 1, "name": "王芳", "mobile": "13800000001", "email": "wang@example.com",
         "sms_consent": True, "email_consent": True},
        {"id": 2, "name": "李强", "mobile": "13800000002", "sms_consent": True,
         "sms_opt_out": True},  # opted out: never reached
        {"id": 3, "name": "赵敏", "email": "zhao@example.com", "email_consent": False},
    ), expiring(uscc))
    rows = deliveries(sessions, uscc)
    assert [(d.channel, d.recipient) for d in rows] == [("email", "contact:1"),
                                                       ("sms", "contact:1")]
    wait_for(lambda: {d.state for d in deliveries(sessions, uscc)} == {"sent"})
    [sms] = fake.sent_to("13800000001")
    assert sms["template"] == "SMS_100" and sms["params"]["name"] == "测试企业有限公司"
    assert fake.sent_to("13800000002") == []
    assert [m["To"] for m in mail.messages if m["To"].endswith("example.com")
            and m["To"].startswith(("wang", "zhao"))] == ["wang@example.com"]

    refused = client.post("/api/v1/sms/receipts/aliyun?token=wrong", json=fake.receipt(
        sms["ref"]))
    assert refused.status_code == 403
    answer = client.post(f"/api/v1/sms/receipts/aliyun?token={TOKEN}",
                         json=fake.receipt(sms["ref"]))
    assert answer.status_code == 200 and answer.json == {"code": 0, "msg": "成功"}
    detail = notice_of(client, uscc)
    by_channel = {d["channel"]: d for d in detail["deliveries"]}
    assert by_channel["sms"]["state"] == "delivered" and by_channel["sms"]["receipt_at"]
    assert by_channel["sms"]["target"] == "138****0001"  # the lifecycle shows it masked
    assert by_channel["email"]["target"] == "w***@example.com"
    assert detail["status"] == "sent"  # e-mail has no receipt: accepted is as far as it gets
    again = client.post(f"/api/v1/sms/receipts/aliyun?token={TOKEN}",
                        json=fake.receipt(sms["ref"], delivered=False))
    assert again.status_code == 200  # a late contrary receipt changes nothing settled
    assert notice_of(client, uscc)["deliveries"][1]["state"] == "delivered"


def test_a_firm_with_its_own_preferences_is_not_reached_through_contacts(
    pipeline: None, client: FlaskClient, sessions: sessionmaker[Session],
) -> None:
    uscc = new_uscc()
    put_prefs(client, uscc, channels=["inapp"])
    handle(sessions, contacts(uscc, {"id": 1, "name": "王芳", "mobile": "13800000011",
                                     "sms_consent": True}), expiring(uscc))
    assert deliveries(sessions, uscc) == []


def test_a_newer_opt_out_wins_over_an_older_list_arriving_late(
    sessions: sessionmaker[Session],
) -> None:
    uscc = new_uscc()
    person = {"id": 1, "name": "王芳", "mobile": "13800000021", "sms_consent": True}
    handle(sessions, contacts(uscc, person | {"sms_opt_out": True}, version=2),
           contacts(uscc, person, version=1), expiring(uscc))
    assert deliveries(sessions, uscc) == []


def test_the_per_number_daily_cap_holds_and_says_so(
    pipeline: None, client: FlaskClient, sessions: sessionmaker[Session],
    fake: FakeSmsProvider,
) -> None:
    first, second = new_uscc(), new_uscc()
    shared = {"id": 1, "name": "代账会计", "mobile": "13800000031", "sms_consent": True}
    handle(sessions, contacts(first, shared), contacts(second, shared), expiring(first),
           expiring(second))
    wait_for(lambda: sorted(d.state for u in (first, second) for d in deliveries(sessions, u))
             == ["failed", "sent"])
    assert len(fake.sent_to("13800000031")) == 1
    [capped] = [d for u in (first, second) for d in deliveries(sessions, u)
                if d.state == "failed"]
    assert capped.failure == "permanent" and capped.last_error == SMS_CAPPED


def test_throttling_is_retried_and_the_message_goes_out_once(
    pipeline: None, sessions: sessionmaker[Session], fake: FakeSmsProvider,
) -> None:
    uscc = new_uscc()
    fake.throttle["13800000041"] = 1
    handle(sessions, contacts(uscc, {"id": 1, "name": "王芳", "mobile": "13800000041",
                                     "sms_consent": True}), expiring(uscc))
    wait_for(lambda: [d.state for d in deliveries(sessions, uscc)] == ["sent"])
    [row] = deliveries(sessions, uscc)
    assert row.attempts == 2 and len(fake.sent_to("13800000041")) == 1


def test_a_receipt_that_overtakes_its_send_is_asked_for_again(
    pipeline: None, client: FlaskClient, sessions: sessionmaker[Session],
) -> None:
    uscc = new_uscc()
    with sessions.begin() as session:  # the sender holds the row: the provider has answered,
        process_events(session, [contacts(uscc, {"id": 1, "name": "王芳",  # the commit is due
                                                 "mobile": "13800000051", "sms_consent": True}),
                                 expiring(uscc)], templates=TemplateSet(), weekly_cap=10)
        session.execute(update(Delivery).where(Delivery.target == "13800000051")
                        .values(state="sending", updated_at=utcnow()))
    [row] = deliveries(sessions, uscc)
    receipt = [{"biz_id": "early-1", "out_id": str(row.id), "success": True,
                "err_code": "DELIVERED"}]
    early = client.post(f"/api/v1/sms/receipts/aliyun?token={TOKEN}", json=receipt)
    assert early.status_code == 503 and early.headers["Retry-After"] == "5"
    with sessions.begin() as session:  # the sender settles
        session.execute(update(Delivery).where(Delivery.id == row.id)
                        .values(state="sent", provider_ref="early-1"))
    again = client.post(f"/api/v1/sms/receipts/aliyun?token={TOKEN}", json=receipt)
    assert again.status_code == 200
    assert [d.state for d in deliveries(sessions, uscc)] == ["delivered"]
