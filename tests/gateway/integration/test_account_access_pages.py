"""The account-access pages as a person uses them: a set-password link works once and says
plainly when it cannot; the reset form answers the same for any credit code; an account reads
its own sign-in history in Beijing time, in words (成功 / 失败)."""

from __future__ import annotations

import re
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from gateway_testkit import PASSWORD
from gateway_testkit import USCC_B
from gateway_testkit import bearer

from gateway.handlers import accounts
from gateway.handlers.invitations import new_link
from yumiao_common.clock import utcnow
from yumiao_common.identifiers import generate_uscc

sys.path.insert(0, str(Path(__file__).parent))  # the web kit beside this file

from test_web_kit import sign_in  # noqa: E402

pytestmark = pytest.mark.integration
FORM = re.compile(r'name="form_token" value="([^"]+)"')


def _enterprise_with_link(app: Flask, *, hours: float = 1) -> tuple[str, str]:
    """A fresh enterprise account and a live invitation link token for it."""
    import secrets

    uscc = generate_uscc("91", "371502", secrets.token_hex(4).upper())
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
