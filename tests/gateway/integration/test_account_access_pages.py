"""The account-access pages as a person uses them: a set-password link works once and says
plainly when it cannot; the reset form answers the same for any credit code; an account reads
its own sign-in history in Beijing time, in words (成功 / 失败)."""

from __future__ import annotations

import json
import re
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from gateway_testkit import PASSWORD
from gateway_testkit import USCC_B
from gateway_testkit import RecordingUpstream
from gateway_testkit import bearer
from gateway_testkit import make_settings
from sqlalchemy import select
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response

from gateway.app import create_app
from gateway.handlers import accounts
from gateway.handlers.invitations import new_link
from gateway.models import Account
from yumiao_common.clock import utcnow
from yumiao_common.identifiers import generate_uscc

sys.path.insert(0, str(Path(__file__).parent))  # the web kit beside this file

from test_web_kit import csrf_of  # noqa: E402
from test_web_kit import sign_in  # noqa: E402


def secrets_body() -> str:
    return secrets.token_hex(4).upper()

pytestmark = pytest.mark.integration
FORM = re.compile(r'name="form_token" value="([^"]+)"')


def _enterprise_with_link(app: Flask, *, hours: float = 1) -> tuple[str, str]:
    """A fresh enterprise account and a live invitation link token for it."""
    uscc = generate_uscc("91", "371502", secrets_body())
    with app.app_context():
        session = app.extensions["yumiao.session_factory"]()
        account = accounts.create_account(session, password=PASSWORD + "-x", role="enterprise",
                                          uscc=uscc, display_name="页面测试企业")
        token = new_link(session, account_id=account.id, purpose="invitation",
                         key=app.extensions["gateway.settings"].signing_key,
                         expires_at=utcnow() + timedelta(hours=hours), actor="user:admin")
        session.commit()
        session.close()
    return uscc, token


def _form(client: FlaskClient, url: str) -> str:
    page = client.get(url)
    found = FORM.search(page.get_data(as_text=True))
    assert found, page.get_data(as_text=True)[:400]
    return found.group(1)


def test_a_set_password_link_works_once_then_says_it_was_used(app: Flask) -> None:
    uscc, token = _enterprise_with_link(app)
    client = app.test_client()
    url = f"/account/set-password?token={token}"
    page = client.get(url)
    assert page.status_code == 200 and uscc in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    form = _form(client, url)
    mismatch = client.post("/account/set-password", data={
        "token": token, "form_token": form, "new_password": "new-pass-123",
        "confirm": "other-pass-123"})
    assert mismatch.status_code == 422 and "两次输入的密码不一致" in mismatch.get_data(as_text=True)
    done = client.post("/account/set-password", data={
        "token": token, "form_token": form, "new_password": "new-pass-123",
        "confirm": "new-pass-123"})
    assert done.status_code == 200 and "密码已设置" in done.get_data(as_text=True)
    assert bearer(client, uscc, "new-pass-123")
    again = client.get(url)
    assert again.status_code == 410 and "已使用" in again.get_data(as_text=True)
    english = client.get(url + "&lang=en")
    assert "already used" in english.get_data(as_text=True)


def test_an_expired_or_unknown_link_says_so_in_words(app: Flask) -> None:
    _, token = _enterprise_with_link(app, hours=-1)
    client = app.test_client()
    expired = client.get(f"/account/set-password?token={token}")
    assert expired.status_code == 410 and "已过期" in expired.get_data(as_text=True)
    assert "/password-reset" in expired.get_data(as_text=True)  # where to go instead
    unknown = client.get("/account/set-password?token=" + "x" * 43)
    assert unknown.status_code == 404 and "链接无效" in unknown.get_data(as_text=True)


def test_the_reset_form_answers_the_same_for_any_credit_code(app: Flask) -> None:
    client = app.test_client()
    answers = set()
    for name in (USCC_B, generate_uscc("91", "371502", "YYYY0000"), "admin"):
        form = _form(client, "/password-reset")
        resp = client.post("/password-reset", data={"username": name, "channel": "sms",
                                                    "form_token": form})
        body = resp.get_data(as_text=True).replace(name, "")
        answers.add((resp.status_code, re.sub(r'value="[^"]*"', "", body)))
    assert len(answers) == 1
    status, body = answers.pop()
    assert status == 202 and "验证码或链接已发出" in body
    forged = client.post("/password-reset", data={"username": USCC_B, "form_token": "forged"})
    assert forged.status_code == 422


def test_an_account_reads_its_own_sign_ins_in_words(app: Flask) -> None:
    client = app.test_client()
    assert client.post("/api/v1/auth/login", json={"username": "curator",
                                                   "password": "wrong-pass"}).status_code == 401
    browser = sign_in(app, "curator")
    # every page's header links to it
    assert 'href="/account/sign-ins"' in browser.get("/dashboard").get_data(as_text=True)
    page = browser.get("/account/sign-ins")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "登录记录" in text
    assert "成功" in text and "失败（密码错误）" in text and "登录页" in text
    anonymous = app.test_client().get("/account/sign-ins")
    assert anonymous.status_code in (302, 303, 401)


def test_an_admin_invites_a_pool_from_the_page_and_reads_the_outcome_in_words(
        migrated_url: str, upstreams: dict[str, RecordingUpstream], app: Flask) -> None:
    firms = [{"uscc": generate_uscc("91", "371502", secrets_body()), "name": f"页面邀请{n}"}
             for n in range(2)]

    def registry(_request: Request) -> Response:
        return Response(json.dumps({"items": firms, "next_cursor": None}),
                        mimetype="application/json")

    def notify(request: Request) -> Response:
        messages = json.loads(request.get_data())["messages"]
        items = [{"key": m["key"], "uscc": m["uscc"], "status": "queued" if n == 0 else
                  "no_contact", "message_id": None, "channel": "email" if n == 0 else None,
                  "sent_to": "w***@example.com" if n == 0 else None}
                 for n, m in enumerate(messages)]
        return Response(json.dumps({"items": items}), mimetype="application/json")

    upstreams["registry"].routes[("GET", "/api/v1/enterprises")] = registry
    upstreams["notify"].routes[("POST", "/api/v1/messages/batch")] = notify
    site = create_app(make_settings(migrated_url, upstreams, public_url="https://y.test"))
    browser = sign_in(site, "admin")
    csrf = csrf_of(browser)
    refused = browser.post("/admin/invitations", data={"pool": "hnte_reserve", "reason": "",
                                                       "csrf_token": csrf})
    assert refused.status_code == 422 and "原因" in refused.get_data(as_text=True)
    done = browser.post("/admin/invitations", data={
        "pool": "hnte_reserve", "channel": "auto", "reason": "首批开通 / first batch",
        "csrf_token": csrf})
    text = done.get_data(as_text=True)
    assert done.status_code == 200 and "新开通 2 家：已发送 1，无可用联系人 1" in text
    assert "已发送" in text and "无可用联系人" in text and "w***@example.com" in text
    [call] = [c for c in upstreams["notify"].calls if c.path == "/api/v1/messages/batch"]
    assert call.headers["X-Actor"] == "user:admin"
    sent = json.loads(call.body)["messages"]
    assert [m["uscc"] for m in sent] == [f["uscc"] for f in firms]  # one message per firm
    assert all("https://y.test/account/set-password?token=" in m["body"] for m in sent)
    with site.app_context():
        session = site.extensions["yumiao.session_factory"]()
        account_id = session.scalar(select(Account.id).where(
            Account.username == firms[0]["uscc"]))
        session.close()
    page = browser.get(f"/admin/accounts/{account_id}").get_data(as_text=True)
    assert "开通账户并发送邀请" in page and "首批开通" in page and "最近登录" in page
