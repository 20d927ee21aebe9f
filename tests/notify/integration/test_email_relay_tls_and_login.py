# mypy: disable-error-code="index,union-attr"
"""E-mail through a relay that wants TLS and a login, end to end (relay → broker → sender).

The relay here is a real local SMTP server (aiosmtpd) requiring STARTTLS with a certificate
from a test CA (trustme) and then AUTH. The sender verifies the certificate against
``NOTIFY_SMTP_CA_FILE``, logs in, and only then sends. What the relay refuses (the login, or
STARTTLS itself) is the bureau's configuration to fix: the delivery fails permanently and is
parked with the reason, and nothing is ever sent in plain text. A relay that cannot be reached
is retried, ``NOTIFY_DELIVERY_MAX_ATTEMPTS`` times in all, then parked.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import trustme
from flask.testing import FlaskClient
from notify_testkit import MailSink
from notify_testkit import SecureMailSink
from notify_testkit import expiring
from notify_testkit import free_port
from notify_testkit import new_uscc
from notify_testkit import put_prefs
from notify_testkit import wait_for
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from notify import sender as sender_process
from notify.adapters.channels.errors import MAIL_MISCONFIGURED
from notify.adapters.channels.errors import MAIL_UNAVAILABLE
from notify.adapters.queues import RELAY_QUEUES
from notify.domain.templates import TemplateSet
from notify.handlers.notices import process_events
from notify.models.delivery import Delivery
from notify.models.messaging import outbox_table
from notify.models.notice import Notice
from notify.settings import Settings
from yumiao_common.db.engine import make_engine
from yumiao_common.messaging.relay import RelayConfig
from yumiao_common.messaging.relay import run_relay

pytestmark = pytest.mark.integration
USER, PASSWORD = "yumiao-sender", "relay-password-0123"


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def ca_file(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("relay-ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture(scope="module")
def relay(ca: trustme.CA) -> Iterator[SecureMailSink]:
    sink = SecureMailSink(ca, USER, PASSWORD)
    yield sink
    sink.close()


@pytest.fixture(scope="module")
def plain_relay() -> Iterator[MailSink]:
    sink = MailSink()
    yield sink
    sink.close()


@contextmanager
def pipeline(settings: Settings, sessions: sessionmaker[Session],
             amqp_url: str) -> Iterator[None]:
    """notify's relay and a sender with these SMTP settings, in threads, on their own vhost
    (each test's sender talks to a different SMTP server)."""
    settings = settings.model_copy(update={"amqp_url": amqp_url})
    stop = threading.Event()
    engine = make_engine(settings.database_url)
    relay = threading.Thread(target=run_relay, daemon=True, args=(
        amqp_url, engine, outbox_table, RelayConfig(poll_interval=0.05)),
        kwargs={"registry": RELAY_QUEUES, "stop_event": stop})
    consumer = sender_process.build(settings, sessions, keeper_interval=0.1)
    sender = threading.Thread(target=consumer.run, daemon=True)
    relay.start()
    sender.start()
    try:
        yield
    finally:
        stop.set()
        consumer.stop()
        relay.join(10)
        sender.join(10)
        engine.dispose()
    # Stopped for good: a leftover relay would drain the shared outbox into this test's vhost.
    assert not relay.is_alive() and not sender.is_alive()


def email_notice(client: FlaskClient, sessions: sessionmaker[Session]) -> tuple[str, Notice]:
    uscc = new_uscc()
    put_prefs(client, uscc, channels=["email"], email=f"{uscc}@example.com")
    event = expiring(uscc)
    with sessions.begin() as session:
        process_events(session, [event], templates=TemplateSet(), weekly_cap=10)
    with sessions() as session:
        [notice] = session.scalars(select(Notice).where(Notice.uscc == uscc))
    return uscc, notice


def delivery_of(sessions: sessionmaker[Session], notice: Notice) -> Delivery:
    with sessions() as session:
        row = session.scalar(select(Delivery).where(Delivery.notice_id == notice.id))
        assert row is not None
        return row


def parked_reason(client: FlaskClient, delivery_id: Any) -> str | None:
    for row in client.get("/api/v1/parking?status=parked&limit=200").json["items"]:
        inspected = client.get(f"/api/v1/parking/{row['id']}").json
        if str(delivery_id) in inspected["body"]:
            return str(inspected["reason"])
    return None


def secure(settings: Settings, port: int, ca_file: str | None, **more: Any) -> Settings:
    return settings.model_copy(update={
        "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_starttls": True,
        "smtp_ca_file": ca_file, "smtp_username": USER, **more})


def test_mail_arrives_over_tls_from_the_logged_in_account(  # type: ignore[no-untyped-def]
    settings: Settings, sessions, client: FlaskClient, relay: SecureMailSink, ca_file: str,
    make_amqp_vhost: Callable[[], str],
) -> None:
    sender_settings = secure(settings, relay.port, ca_file, smtp_password=SecretStr(PASSWORD))
    with pipeline(sender_settings, sessions, make_amqp_vhost()):
        uscc, notice = email_notice(client, sessions)
        wait_for(lambda: delivery_of(sessions, notice).state == "sent")
    [(message, login, over_tls)] = [r for r in relay.received
                                    if r[0]["To"] == f"{uscc}@example.com"]
    assert (login, over_tls) == (USER, True)
    assert message["Subject"] == notice.subject
    assert message["X-Yumiao-Delivery"] == str(delivery_of(sessions, notice).id)


# aiosmtpd warns that it was told AUTH needs no STARTTLS: over SMTPS the session is TLS already.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtps_mail_arrives_over_tls_from_the_logged_in_account(  # type: ignore[no-untyped-def]
    settings: Settings, sessions, client: FlaskClient, ca: trustme.CA, ca_file: str,
    make_amqp_vhost: Callable[[], str],
) -> None:
    smtps = SecureMailSink(ca, USER, PASSWORD, implicit_tls=True)
    sender_settings = secure(settings, smtps.port, ca_file, smtp_starttls=False, smtp_ssl=True,
                             smtp_password=SecretStr(PASSWORD))
    try:
        with pipeline(sender_settings, sessions, make_amqp_vhost()):
            uscc, notice = email_notice(client, sessions)
            wait_for(lambda: delivery_of(sessions, notice).state == "sent")
    finally:
        smtps.close()
    [(message, login, over_tls)] = smtps.received
    assert (message["To"], login, over_tls) == (f"{uscc}@example.com", USER, True)


def test_a_refused_login_is_parked_with_the_reason_and_not_retried(  # type: ignore[no-untyped-def]
    settings: Settings, sessions, client: FlaskClient, relay: SecureMailSink, ca_file: str,
    make_amqp_vhost: Callable[[], str],
) -> None:
    sender_settings = secure(settings, relay.port, ca_file,
                             smtp_password=SecretStr("not-the-password"))
    before = len(relay.received)
    with pipeline(sender_settings, sessions, make_amqp_vhost()):
        uscc, notice = email_notice(client, sessions)
        delivery_id = delivery_of(sessions, notice).id
        wait_for(lambda: parked_reason(client, delivery_id) is not None)
    row = delivery_of(sessions, notice)
    assert (row.failure, row.last_error, row.attempts) == ("permanent", MAIL_MISCONFIGURED, 1)
    reason = parked_reason(client, row.id)
    assert reason is not None and "AUTH refused: 535" in reason
    own = client.get(f"/api/v1/enterprises/{uscc}/notices/{notice.id}").json
    assert own["failure_reason"] == MAIL_MISCONFIGURED and "535" not in str(own)
    assert len(relay.received) == before


def test_a_relay_without_starttls_gets_nothing_in_plain_text(  # type: ignore[no-untyped-def]
    settings: Settings, sessions, client: FlaskClient, plain_relay: MailSink,
    make_amqp_vhost: Callable[[], str],
) -> None:
    sender_settings = secure(settings, plain_relay.port, None, smtp_username=None)
    with pipeline(sender_settings, sessions, make_amqp_vhost()):
        uscc, notice = email_notice(client, sessions)
        delivery_id = delivery_of(sessions, notice).id
        wait_for(lambda: parked_reason(client, delivery_id) is not None)
    row = delivery_of(sessions, notice)
    assert (row.failure, row.last_error) == ("permanent", MAIL_MISCONFIGURED)
    assert "no STARTTLS" in str(parked_reason(client, row.id))
    assert [m for m in plain_relay.messages if m["To"] == f"{uscc}@example.com"] == []


def test_an_untrusted_certificate_is_parked_not_sent(  # type: ignore[no-untyped-def]
    settings: Settings, sessions, client: FlaskClient, relay: SecureMailSink,
    make_amqp_vhost: Callable[[], str],
) -> None:
    sender_settings = secure(settings, relay.port, None, smtp_password=SecretStr(PASSWORD))
    before = len(relay.received)
    with pipeline(sender_settings, sessions, make_amqp_vhost()):
        _uscc, notice = email_notice(client, sessions)
        delivery_id = delivery_of(sessions, notice).id
        wait_for(lambda: parked_reason(client, delivery_id) is not None)
    row = delivery_of(sessions, notice)
    assert (row.failure, row.last_error) == ("permanent", MAIL_MISCONFIGURED)
    assert "certificate not trusted" in str(parked_reason(client, row.id))
    assert len(relay.received) == before


def test_an_unreachable_relay_is_retried_max_attempts_times_then_parked(  # type: ignore[no-untyped-def]
    settings: Settings, sessions, client: FlaskClient, ca_file: str,
    make_amqp_vhost: Callable[[], str],
) -> None:
    sender_settings = secure(settings, free_port(), ca_file, smtp_username=None,
                             delivery_max_attempts=2)
    with pipeline(sender_settings, sessions, make_amqp_vhost()):
        _uscc, notice = email_notice(client, sessions)
        delivery_id = delivery_of(sessions, notice).id
        wait_for(lambda: parked_reason(client, delivery_id) is not None)
    row = delivery_of(sessions, notice)
    assert (row.failure, row.attempts) == ("permanent", 2)  # one retry (1 s), then parked
    assert row.last_error is not None and row.last_error.startswith(MAIL_UNAVAILABLE)
    assert "attempts exhausted" in row.last_error
    assert "SMTP unavailable" in str(parked_reason(client, row.id))
