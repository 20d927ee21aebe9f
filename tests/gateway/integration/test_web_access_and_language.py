"""Web UI: sign-in form, language switch, role-based page access and CSRF refusal."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from flask import Flask
from gateway_testkit import USCC_A
from gateway_testkit import RecordingUpstream

sys.path.insert(0, str(Path(__file__).parent))
from test_web_kit import canned  # noqa: E402
from test_web_kit import csrf_of  # noqa: E402
from test_web_kit import form_token  # noqa: E402
from test_web_kit import sign_in  # noqa: E402

pytestmark = pytest.mark.integration

BUREAU_PAGES = ["/dashboard", "/rankings", "/enterprises", f"/enterprises/{USCC_A}", "/exports",
                "/imports"]
ENTERPRISE_PAGES = ["/my", "/my/what-if", "/my/notices", "/my/preferences"]


def test_login_page_is_chinese_by_default_and_english_on_request(app: Flask) -> None:
    client = app.test_client()
    zh = client.get("/login").get_data(as_text=True)
    assert '<html lang="zh-CN">' in zh and "用户名" in zh and 'for="password"' in zh
    en = client.get("/login?lang=en")
    assert '<html lang="en">' in en.get_data(as_text=True) and "Sign in" in en.get_data(
        as_text=True)
    assert any("yumiao_lang=en" in c for c in en.headers.getlist("Set-Cookie"))
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)  # it sticks


def test_sign_in_form_starts_a_browser_session_and_lands_on_the_role_home(app: Flask) -> None:
    client = sign_in(app, "viewer")
    assert client.get("/api/v1/me").get_json()["via"] == "cookie"
    assert client.get("/").headers["Location"].endswith("/dashboard")
    enterprise = sign_in(app, USCC_A)
    assert enterprise.get("/").headers["Location"].endswith("/my")


def test_wrong_password_shows_the_form_again_with_the_reason(app: Flask) -> None:
    client = app.test_client()
    token = form_token(client.get("/login").get_data(as_text=True))
    resp = client.post("/login", data={"username": "viewer", "password": "nope",
                                       "login_token": token})
    assert resp.status_code == 401 and "用户名或密码错误" in resp.get_data(as_text=True)


def test_login_form_without_its_token_is_refused(app: Flask) -> None:
    client = app.test_client()
    resp = client.post("/login", data={"username": "viewer", "password": "x"})
    assert resp.status_code == 403 and "CSRF" in resp.get_data(as_text=True)


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "/\\evil"])
def test_sign_in_never_redirects_off_site(app: Flask, next_url: str) -> None:
    client = app.test_client()
    token = form_token(client.get("/login").get_data(as_text=True))
    resp = client.post("/login", data={"username": "viewer", "password": "correct-horse-9",
                                       "login_token": token, "next": next_url})
    assert resp.headers["Location"] == "/"


@pytest.mark.parametrize("path", BUREAU_PAGES + ENTERPRISE_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(app: Flask, path: str) -> None:
    resp = app.test_client().get(path)
    assert resp.status_code == 302 and "/login?next=" in resp.headers["Location"]


@pytest.mark.parametrize("path", BUREAU_PAGES)
def test_an_enterprise_cannot_open_bureau_pages(
    app: Flask, upstreams: dict[str, RecordingUpstream], path: str
) -> None:
    resp = sign_in(app, USCC_A).get(path)
    assert resp.status_code == 403
    assert "无权" in resp.get_data(as_text=True)
    assert upstreams["registry"].calls == [] and upstreams["scoring"].calls == []


@pytest.mark.parametrize("path", ENTERPRISE_PAGES)
def test_bureau_staff_have_no_enterprise_pages(app: Flask, path: str) -> None:
    assert sign_in(app, "curator").get(path).status_code == 403


def test_a_viewer_may_not_open_the_import(app: Flask) -> None:
    assert sign_in(app, "viewer").get("/imports").status_code == 403


def test_a_move_without_the_csrf_token_is_refused_and_never_reaches_the_registry(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    client = sign_in(app, "curator")
    resp = client.post(f"/enterprises/{USCC_A}/pools/hnte_reserve/move",
                       data={"to_stage": "screened", "reason": "符合条件"})
    assert resp.status_code == 403 and "CSRF" in resp.get_data(as_text=True)
    assert upstreams["registry"].calls == []


def test_a_viewer_may_not_move_even_with_the_token(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    client = sign_in(app, "viewer")
    resp = client.post(f"/enterprises/{USCC_A}/pools/hnte_reserve/move",
                       data={"to_stage": "screened", "reason": "x", "csrf_token": csrf_of(client)})
    assert resp.status_code == 403 and upstreams["registry"].calls == []


def test_marking_a_notice_read_without_the_token_is_refused(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    client = sign_in(app, USCC_A)
    canned(upstreams, "notify", f"/api/v1/enterprises/{USCC_A}/notices/n1", {}, method="PATCH")
    assert client.post("/my/notices/n1", data={"read": "true"}).status_code == 403
    assert upstreams["notify"].calls == []


def test_sign_out_needs_the_token_and_ends_the_session(app: Flask) -> None:
    client = sign_in(app, "viewer")
    assert client.post("/logout").status_code == 403
    assert client.post("/logout", data={"csrf_token": csrf_of(client)}).status_code == 303
    assert client.get("/api/v1/me").status_code == 401


def test_pages_send_a_strict_content_security_policy(app: Flask) -> None:
    resp = app.test_client().get("/login")
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Frame-Options"] == "DENY"


def test_static_files_are_served(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/static/web/style.css").status_code == 200
    assert client.get("/static/web/app.js").status_code == 200
