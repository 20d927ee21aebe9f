# mypy: disable-error-code="index,union-attr"
"""The gateway's account messages (invitation links, reset codes) go to one consenting contact
each, once per key, through the same delivery rows and outbox as every push — and never show
up in the notice lists, whose readers must not see a one-time link or code."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from notify_testkit import BUREAU
from notify_testkit import new_uscc
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from notify.adapters.sql.deliveries import load_jobs
from notify.app import create_app
from notify.domain.templates import TemplateSet
from notify.handlers.notices import process_events
from notify.models.delivery import Delivery
from notify.models.messaging import outbox_table
from notify.models.notice import Notice
from notify.settings import Settings
from yumiao_common.contracts.registry import Contact
from yumiao_common.contracts.registry import ContactsChanged
from yumiao_common.contracts.registry import ContactsChangedPayload

pytestmark = pytest.mark.integration
ADMIN = {"X-Actor": "user:admin"}


@pytest.fixture(scope="module")
def own_app(database_url: str) -> Flask:
    """The API alone (no broker needed: the relay is not part of these checks)."""
    return create_app(Settings(database_url=database_url, log_json=False))


@pytest.fixture()
def client(own_app: Flask) -> FlaskClient:
    return own_app.test_client()


def _contacts(sessions: sessionmaker[Session], uscc: str, *people: dict[str, Any]) -> None:
    event = ContactsChanged(payload=ContactsChangedPayload(
        uscc=uscc, enterprise_name="测试企业", version=1,
        contacts=tuple(Contact(**p) for p in people)))
    with sessions.begin() as session:
        process_events(session, [event], templates=TemplateSet(), weekly_cap=10)


def _message(uscc: str, **extra: Any) -> dict[str, Any]:
    return {"key": f"test:{uuid.uuid4().hex}", "uscc": uscc, "kind": "password_reset",
            "subject": "育苗平台验证码 / code", "body": "验证码 123456 / code 123456",
            "sms_params": {"code": "123456", "minutes": "10"}, **extra}


def _send(client: FlaskClient, *messages: dict[str, Any]) -> list[dict[str, Any]]:
    resp = client.post("/api/v1/messages/batch", json={"messages": list(messages)}, headers=ADMIN)
    assert resp.status_code == 200, resp.json
    return list(resp.json["items"])


def test_each_message_reaches_one_consenting_contact_once_per_key(
        client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    both, sms_only, nobody = new_uscc(), new_uscc(), new_uscc()
    _contacts(sessions, both, {"id": 1, "name": "王芳", "mobile": "13800000021",
                               "sms_consent": True, "email": "wang@example.com",
                               "email_consent": True})
    _contacts(sessions, sms_only, {"id": 4, "name": "李强", "mobile": "13800000022",
                                   "sms_consent": True, "email": "li@example.com",
                                   "email_consent": True, "email_opt_out": True})
    _contacts(sessions, nobody, {"id": 5, "name": "赵敏", "mobile": "13800000023"})
    first = _message(both, channel="auto")
    items = _send(client, first, _message(sms_only, channel="auto"),
                  _message(both, channel="sms"), _message(nobody))
    assert [(i["status"], i["channel"], i["sent_to"]) for i in items] == [
        ("queued", "email", "w***@example.com"), ("queued", "sms", "138****0022"),
        ("queued", "sms", "138****0021"), ("no_contact", None, None)]
    again = _send(client, first)  # the same key: the same message, nothing queued twice
    assert again[0]["message_id"] == items[0]["message_id"]
    with sessions() as session:
        counted = session.scalar(select(func.count()).select_from(Delivery).join(Notice)
                                 .where(Notice.uscc == both))
        assert counted == 2  # one per distinct message (e-mail, then SMS), never per contact
        queued = session.scalar(select(func.count()).select_from(outbox_table))
        assert queued and queued >= 3
        sms_id = uuid.UUID(items[2]["message_id"])
        delivery = session.scalar(select(Delivery.id).where(Delivery.notice_id == sms_id))
        [job] = load_jobs(session, [delivery], public_url="https://portal.example")
        assert dict(job.params) == {"code": "123456", "minutes": "10"}
        email = session.scalar(select(Delivery.id).where(
            Delivery.notice_id == uuid.UUID(items[0]["message_id"])))
        [mail] = load_jobs(session, [email], public_url="https://portal.example")
        assert "portal.example" not in mail.body  # it carries its own link, not a notice's


def test_account_messages_are_never_listed_as_notices_and_show_no_text(
        client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    uscc = new_uscc()
    _contacts(sessions, uscc, {"id": 1, "name": "王芳", "email": "w@example.com",
                               "email_consent": True})
    [item] = _send(client, _message(uscc))
    message_id = item["message_id"]
    assert client.get(f"/api/v1/enterprises/{uscc}/notices").json["items"] == []
    assert message_id not in client.get(f"/api/v1/notices?uscc={uscc}").get_data(as_text=True)
    assert client.get(f"/api/v1/notices/{message_id}").status_code == 404
    assert client.get(f"/api/v1/enterprises/{uscc}/notices/{message_id}").status_code == 404
    state = client.get(f"/api/v1/messages/{message_id}")
    assert state.status_code == 200 and state.json["state"] == "queued"
    assert "123456" not in state.get_data(as_text=True)
    assert client.get(f"/api/v1/messages/{uuid.uuid4()}").status_code == 404


@pytest.mark.parametrize(("body", "field"), [
    ({"messages": []}, "messages"),
    ({"messages": [{"key": "short", "uscc": "x", "kind": "eligibility"}]}, "messages.0.kind"),
])
def test_bad_message_requests_are_422_naming_the_field(
        client: FlaskClient, body: dict[str, Any], field: str) -> None:
    resp = client.post("/api/v1/messages/batch", json=body, headers=ADMIN)
    assert resp.status_code == 422 and field in resp.json["error"]["fields"]
    headless = client.post("/api/v1/messages/batch", json={"messages": [_message(new_uscc())]},
                           headers=BUREAU | {"X-Actor": ""})
    assert headless.status_code == 422
