# mypy: disable-error-code="index,union-attr"
"""Enterprise accounts by invitation, and self-service password reset, against the real
services: the gateway in front of the real registry and notify (each on its own PostgreSQL
database), notify's relay and sender on a RabbitMQ vhost of this module, the fake SMS
provider and a local SMTP catcher. A bulk invitation over a pool makes the accounts and sends
exactly one message per firm; its link works once and not after expiry; a reset answers the
same whether or not the account exists and its code works; the limits hold; sign-ins are kept.
"""

from __future__ import annotations

import re
import sys
import threading
import time
from collections.abc import Callable
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from flask import Flask
from gateway_testkit import INTERNAL_TOKEN
from gateway_testkit import PASSWORD
from gateway_testkit import RecordingUpstream
from gateway_testkit import bearer
from gateway_testkit import make_settings
from gateway_testkit import real_service
from gateway_testkit import serve
from pydantic import SecretStr
from sqlalchemy import update

sys.path.insert(0, str(Path(__file__).parents[2] / "notify"))  # the notify kits

from notify_testkit import MailSink  # noqa: E402
from notify_testkit import new_uscc  # noqa: E402
from notify_testkit import wait_for  # noqa: E402
from sms_fake import FakeSmsProvider  # noqa: E402

from gateway.adapters.background import background  # noqa: E402
from gateway.app import create_app  # noqa: E402
from gateway.models import OneTimeSecret  # noqa: E402
from yumiao_common.clock import utcnow  # noqa: E402

pytestmark = pytest.mark.integration
#: Deliveries cross the broker: waits allow 180 s, as the other broker tests do on a busy box.
KEY_ID, SECRET = "LTAI-invite-key", "invite-secret"
TEMPLATES = {"account_invitation": "SMS_INV", "password_reset": "SMS_RST"}
POOL = "hnte_reserve"
PUBLIC_URL = "https://yumiao.test"
#: The reset answer time floor here: above what the work takes even on a loaded machine.
FLOOR = 0.8
REDIS_URL = "redis://127.0.0.1:6379/15"


class Stack:
    def __init__(self, gateway: Flask, fake: FakeSmsProvider, mail: MailSink,
                 notify_sessions: Any) -> None:
        self.gateway, self.fake, self.mail, self.notify_sessions = (
            gateway, fake, mail, notify_sessions)
        self.client = gateway.test_client()

    def admin(self) -> dict[str, str]:
        return bearer(self.client, "admin", PASSWORD)

    def contacts(self, uscc: str, *people: dict[str, Any]) -> None:
        from notify.domain.templates import TemplateSet
        from notify.handlers.notices import process_events
        from yumiao_common.contracts.registry import Contact
        from yumiao_common.contracts.registry import ContactsChanged
        from yumiao_common.contracts.registry import ContactsChangedPayload

        event = ContactsChanged(payload=ContactsChangedPayload(
            uscc=uscc, enterprise_name="测试企业", version=1,
            contacts=tuple(Contact(**p) for p in people)))
        with self.notify_sessions.begin() as session:
            process_events(session, [event], templates=TemplateSet(), weekly_cap=10)

    def mails_to(self, address: str) -> list[Any]:
        return [m for m in self.mail.messages if m["To"] == address]


@pytest.fixture(scope="module")
def stack(app: Flask, migrated_url: str, upstreams: dict[str, RecordingUpstream],
          make_pg_database: Callable[[str], str], make_amqp_vhost: Callable[[], str]
          ) -> Iterator[Stack]:
    import notify.app
    import notify.settings
    from notify import sender as sender_process
    from notify.adapters.queues import RELAY_QUEUES
    from notify.adapters.sql.migrations import upgrade_head as notify_head
    from notify.models.messaging import outbox_table
    from yumiao_common.db.engine import make_engine
    from yumiao_common.db.engine import make_session_factory
    from yumiao_common.messaging.relay import RelayConfig
    from yumiao_common.messaging.relay import run_relay

    fake = FakeSmsProvider("aliyun", key_id=KEY_ID, secret=SECRET, approved=set(TEMPLATES.values()))
    mail = MailSink()
    registry_url, notify_url = make_pg_database("gwinv_registry"), make_pg_database("gwinv_notify")
    notify_head(notify_url)
    common: dict[str, Any] = {"internal_token": SecretStr(INTERNAL_TOKEN), "log_json": False,
                              "log_level": "WARNING"}
    notify_settings = notify.settings.Settings(
        database_url=notify_url, amqp_url=make_amqp_vhost(), sms_provider="aliyun",
        sms_endpoint=fake.url, sms_access_key_id=SecretStr(KEY_ID),
        sms_access_key_secret=SecretStr(SECRET), sms_templates=TEMPLATES,
        sms_per_number_daily_cap=20, smtp_port=mail.port, smtp_starttls=False, **common)
    registry_server, registry_base = serve(real_service("registry", registry_url))
    notify_server, notify_base = serve(notify.app.create_app(notify_settings))
    engine = make_engine(notify_url)
    sessions = make_session_factory(engine)
    stop = threading.Event()
    relay = threading.Thread(target=run_relay, daemon=True, args=(
        notify_settings.amqp_url, engine, outbox_table, RelayConfig(poll_interval=0.05)),
        kwargs={"registry": RELAY_QUEUES, "stop_event": stop})
    consumer = sender_process.build(notify_settings, sessions, keeper_interval=0.2)
    sender = threading.Thread(target=consumer.run, daemon=True)
    relay.start()
    sender.start()
    gateway = create_app(make_settings(
        migrated_url, upstreams, registry_url=registry_base, notify_url=notify_base,
        read_timeout_seconds=15.0, public_url=PUBLIC_URL, reset_answer_seconds=FLOOR))
    try:
        yield Stack(gateway, fake, mail, sessions)
    finally:
        stop.set()
        consumer.stop()
        relay.join(10)
        sender.join(10)
        registry_server.shutdown()
        notify_server.shutdown()
        engine.dispose()
        mail.close()
        fake.close()


def _firms(stack: Stack, count: int) -> list[str]:
    """``count`` new firms nominated to the pool, registered by the curator."""
    curator = bearer(stack.client, "curator", PASSWORD)
    usccs = [new_uscc() for _ in range(count)]
    for n, uscc in enumerate(usccs):
        made = stack.client.post("/api/v1/enterprises", headers=curator,
                                 json={"uscc": uscc, "name": f"邀请测试企业{n}"})
        assert made.status_code == 201, made.get_json()
        joined = stack.client.post(f"/api/v1/pools/{POOL}/members", headers=curator,
                                   json={"uscc": uscc})
        assert joined.status_code == 201, joined.get_json()
    return usccs


def _invite(stack: Stack, **body: Any) -> Any:
    body = {"filter": {"pool": POOL}, "reason": "第一批企业开通账户 / first batch", **body}
    return stack.client.post("/api/v1/accounts/invitations", json=body, headers=stack.admin())


def _link_token(text: str) -> str:
    found = re.search(re.escape(PUBLIC_URL) + r"/account/set-password\?token=([\w-]+)", text)
    assert found, text
    return found.group(1)


def _mail_text(message: Any) -> str:
    return str(message.get_body(preferencelist=("plain",)).get_content())


def _complete(stack: Stack, **body: Any) -> Any:
    return stack.client.post("/api/v1/auth/password-reset/complete", json=body)


def test_bulk_invite_creates_accounts_and_sends_exactly_one_message_per_firm(
        stack: Stack) -> None:
    by_mail, by_sms, unreachable = _firms(stack, 3)
    stack.contacts(by_mail, {"id": 1, "name": "王芳", "email": f"{by_mail}@example.com",
                             "email_consent": True, "mobile": "13900000001",
                             "sms_consent": True})  # auto: e-mail first, and only that
    stack.contacts(by_sms, {"id": 1, "name": "李强", "mobile": "13900000002",
                            "sms_consent": True, "email": "x@example.com",
                            "email_opt_out": True, "email_consent": True})
    stack.contacts(unreachable, {"id": 1, "name": "赵敏", "mobile": "13900000003"})
    first = _invite(stack)
    assert first.status_code == 201, first.get_json()
    summary = first.get_json()
    states = {i["uscc"]: i["state"] for i in summary["items"]}
    assert {u: states.get(u) for u in (by_mail, by_sms, unreachable)} == {
        by_mail: "sent", by_sms: "sent", unreachable: "no_contact"}
    by_uscc = {i["uscc"]: i for i in summary["items"]}
    assert by_uscc[by_sms]["sent_to"] == "139****0002"  # masked, never the whole number
    wait_for(lambda: stack.mails_to(f"{by_mail}@example.com") and stack.fake.sent_to(
        "13900000002"), timeout=180)
    again = _invite(stack, reason="再次运行 / run again")
    assert again.get_json()["invited"] == 0
    assert again.get_json()["already_had_account"] >= 3
    time.sleep(1.5)  # anything extra would have reached the catchers by now
    assert len(stack.mails_to(f"{by_mail}@example.com")) == 1
    assert stack.fake.sent_to("13900000001") == []
    [sms] = stack.fake.sent_to("13900000002")
    assert sms["template"] == "SMS_INV" and sms["params"]["link"].startswith(PUBLIC_URL)
    assert stack.fake.sent_to("13900000003") == []

    # the e-mailed link sets the password once; the account then signs in with it
    token = _link_token(_mail_text(stack.mails_to(f"{by_mail}@example.com")[0]))
    assert stack.client.post("/api/v1/auth/login", json={
        "username": by_mail, "password": "anything-at-all"}).status_code == 401
    done = _complete(stack, token=token, new_password="firm-password-1")
    assert done.status_code == 200 and done.get_json()["username"] == by_mail
    assert bearer(stack.client, by_mail, "firm-password-1")
    twice = _complete(stack, token=token, new_password="firm-password-2")
    assert twice.status_code == 422 and twice.get_json()["error"]["code"] == "link_used"
    listed = stack.client.get(f"/api/v1/accounts/invitations?uscc={by_mail}",
                              headers=stack.admin()).get_json()["items"]
    assert [i["state"] for i in listed] == ["accepted"]
    one = stack.client.get(f"/api/v1/accounts/invitations/{by_uscc[by_sms]['id']}",
                           headers=stack.admin()).get_json()
    assert one["delivery"]["state"] == "sent" and one["delivery"]["sent_at"]


def test_an_expired_link_says_so_and_a_resend_replaces_it(stack: Stack) -> None:
    [uscc] = _firms(stack, 1)
    stack.contacts(uscc, {"id": 1, "name": "孙丽", "email": f"{uscc}@example.com",
                          "email_consent": True})
    [item] = [i for i in _invite(stack).get_json()["items"] if i["uscc"] == uscc]
    wait_for(lambda: bool(stack.mails_to(f"{uscc}@example.com")), timeout=180)
    old = _link_token(_mail_text(stack.mails_to(f"{uscc}@example.com")[0]))
    with stack.gateway.app_context():
        factory = stack.gateway.extensions["yumiao.session_factory"]
        with factory.begin() as session:
            session.execute(update(OneTimeSecret).where(OneTimeSecret.revoked_at.is_(None),
                                                        OneTimeSecret.used_at.is_(None))
                            .values(expires_at=utcnow() - timedelta(minutes=1)))
    expired = _complete(stack, token=old, new_password="firm-password-1")
    assert expired.status_code == 422
    assert expired.get_json()["error"]["code"] == "link_expired"
    assert "过期" in expired.get_json()["error"]["message"]
    assert "expired" in expired.get_json()["error"]["message"]

    resent = stack.client.post(f"/api/v1/accounts/invitations/{item['id']}/resend",
                               json={"reason": "企业未及时设置 / not set in time"},
                               headers=stack.admin())
    assert resent.status_code == 200 and resent.get_json()["state"] == "sent"
    assert resent.get_json()["sends"] == 2
    wait_for(lambda: len(stack.mails_to(f"{uscc}@example.com")) == 2, timeout=180)
    new = _link_token(_mail_text(stack.mails_to(f"{uscc}@example.com")[1]))
    assert new != old
    assert _complete(stack, token=new, new_password="firm-password-9").status_code == 200
    replaced = _complete(stack, token=old, new_password="firm-password-1")
    assert replaced.get_json()["error"]["code"] in ("link_replaced", "link_expired")


def test_a_reset_answers_the_same_whether_or_not_the_account_exists(stack: Stack) -> None:
    [uscc] = _firms(stack, 1)
    stack.contacts(uscc, {"id": 1, "name": "周杰", "mobile": "13900000077",
                          "sms_consent": True})
    _invite(stack)
    answers = []
    for name in (uscc, new_uscc(), "admin", "no-such-user"):
        started = time.monotonic()
        resp = stack.client.post("/api/v1/auth/password-reset",
                                 json={"username": name, "channel": "sms"})
        answers.append((resp.status_code, resp.get_json(), time.monotonic() - started))
    assert len({(status, str(body)) for status, body, _ in answers}) == 1
    assert answers[0][0] == 202
    durations = [took for _, _, took in answers]
    assert min(durations) >= FLOOR and max(durations) - min(durations) < 0.3, durations
    background(stack.gateway).wait()
    wait_for(lambda: any(s["template"] == "SMS_RST"
                         for s in stack.fake.sent_to("13900000077")), timeout=180)
    [sms] = [s for s in stack.fake.sent_to("13900000077") if s["template"] == "SMS_RST"]
    code = sms["params"]["code"]
    wrong = "000000" if code != "000000" else "111111"
    refused = _complete(stack, username=uscc, code=wrong, new_password="reset-password-1")
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "reset_code_invalid"
    done = _complete(stack, username=uscc, code=code, new_password="reset-password-1")
    assert done.status_code == 200
    assert bearer(stack.client, uscc, "reset-password-1")
    reused = _complete(stack, username=uscc, code=code, new_password="reset-password-2")
    assert reused.status_code == 422


@pytest.fixture()
def limited(migrated_url: str, upstreams: dict[str, RecordingUpstream]) -> Flask:
    assert redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    return create_app(make_settings(
        migrated_url, upstreams, ratelimit_enabled=True, redis_url=REDIS_URL,
        ratelimit_key_prefix=f"inv-{time.monotonic_ns()}", reset_answer_seconds=0,
        ratelimit_password_reset="5 per minute", ratelimit_password_reset_identifier="2 per hour"))


def test_reset_limits_hold_per_identifier_and_per_client(limited: Flask) -> None:
    client = limited.test_client()

    def ask(name: str, addr: str = "198.51.100.7") -> int:
        return client.post("/api/v1/auth/password-reset", json={"username": name},
                           environ_base={"REMOTE_ADDR": addr}).status_code

    real, unknown = "admin", new_uscc()
    assert [ask(real, "198.51.100.1") for _ in range(3)] == [202, 202, 429]
    assert [ask(unknown, "198.51.100.2") for _ in range(3)] == [202, 202, 429]  # same refusal
    assert [ask(new_uscc()) for _ in range(6)] == [202] * 5 + [429]  # per client address
    assert ask(new_uscc(), "198.51.100.9") == 202  # another client is not held back


def test_sign_ins_are_kept_with_the_address_and_shown_to_the_account_and_admins(
        migrated_url: str, upstreams: dict[str, RecordingUpstream], app: Flask) -> None:
    behind_proxy = create_app(make_settings(migrated_url, upstreams, trusted_proxy_count=1))
    client = behind_proxy.test_client()
    proxied = {"X-Forwarded-For": "203.0.113.50"}
    name = "viewer"
    assert client.post("/api/v1/auth/login", json={"username": name, "password": "wrong-1"},
                       headers=proxied).status_code == 401
    ok = client.post("/api/v1/auth/login", json={"username": name, "password": PASSWORD},
                     headers=proxied)
    me = {"Authorization": f"Bearer {ok.get_json()['access_token']}"}
    mine = client.get("/api/v1/me/sign-ins?limit=2", headers=me).get_json()["items"]
    assert [(i["success"], i["ip"], i["method"]) for i in mine] == [
        (True, "203.0.113.50", "api"), (False, "203.0.113.50", "api")]
    admin = bearer(client, "admin", PASSWORD)
    account_id = ok.get_json()["principal"].get("account_id")
    if account_id is None:
        accounts = client.get("/api/v1/accounts?role=viewer", headers=admin).get_json()
        account_id = next(a["id"] for a in accounts["items"] if a["username"] == name)
    theirs = client.get(f"/api/v1/accounts/{account_id}/sign-ins?limit=2", headers=admin)
    assert theirs.status_code == 200 and theirs.get_json()["items"] == mine
    assert client.get(f"/api/v1/accounts/{account_id}/sign-ins",
                      headers=me).status_code == 403
