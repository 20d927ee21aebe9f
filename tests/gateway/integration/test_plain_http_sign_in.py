"""An HTTP-only installation can sign in: ``GATEWAY_COOKIE_SECURE=false`` (docs/operations.md,
"Plain-HTTP installations").

A browser on another machine neither stores nor sends a ``Secure`` cookie over ``http://``, so
with Secure cookies the sign-in form seems to succeed and the next page asks again. The client
below behaves like that browser (the Flask test client would send Secure cookies anyway).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from gateway_testkit import PASSWORD
from gateway_testkit import RecordingUpstream
from gateway_testkit import make_settings
from werkzeug.test import TestResponse

from gateway.app import create_app

sys.path.insert(0, str(Path(__file__).parent))
from test_web_kit import form_token  # noqa: E402

pytestmark = pytest.mark.integration


class PlainHttpBrowser:
    """A browser talking to ``http://`` on another host: it drops every Secure cookie."""

    def __init__(self, app: Flask) -> None:
        self.client: FlaskClient = app.test_client()
        self.set_cookies: list[str] = []

    def open(self, method: str, path: str, **kwargs: Any) -> TestResponse:
        response = self.client.open(path, method=method, base_url="http://yumiao.lan",
                                    **kwargs)
        for header in response.headers.getlist("Set-Cookie"):
            self.set_cookies.append(header)
            if re.search(r";\s*Secure", header, re.IGNORECASE):
                cookie_path = re.search(r";\s*Path=([^;]*)", header, re.IGNORECASE)
                self.client.delete_cookie(header.split("=", 1)[0], domain="yumiao.lan",
                                          path=cookie_path.group(1) if cookie_path else "/")
        return response

    def sign_in(self) -> TestResponse:
        page = self.open("GET", "/login")
        return self.open("POST", "/login", data={
            "username": "curator", "password": PASSWORD, "next": "/",
            "login_token": form_token(page.get_data(as_text=True))})


def gateway(app: Flask, upstreams: dict[str, RecordingUpstream], **overrides: Any) -> Flask:
    """A second gateway on the suite's database (its accounts), not in demo mode."""
    url = str(app.extensions["gateway.settings"].database_url)
    return create_app(make_settings(url, upstreams, **overrides))


def test_with_cookie_secure_false_the_browser_signs_in_over_http(
    app: Flask, upstreams: dict[str, RecordingUpstream],
) -> None:
    browser = PlainHttpBrowser(gateway(app, upstreams, cookie_secure=False))
    signed_in = browser.sign_in()
    assert signed_in.status_code == 303 and signed_in.headers["Location"] == "/"
    assert browser.set_cookies and not any(
        re.search(r";\s*Secure", c, re.IGNORECASE) for c in browser.set_cookies)
    session_cookie = [c for c in browser.set_cookies if c.startswith("yumiao_session=")]
    assert session_cookie and "HttpOnly" in session_cookie[0]
    home = browser.open("GET", "/")  # a signed-in curator is sent on to the dashboard
    assert home.status_code == 302 and home.headers["Location"] == "/dashboard"
    me = browser.open("GET", "/api/v1/me")
    assert me.status_code == 200
    assert me.get_json()["actor"] == "user:curator" and me.get_json()["via"] == "cookie"


def test_by_default_outside_demo_mode_the_cookies_are_secure(
    app: Flask, upstreams: dict[str, RecordingUpstream],
) -> None:
    browser = PlainHttpBrowser(gateway(app, upstreams))  # GATEWAY_COOKIE_SECURE unset
    browser.sign_in()
    assert browser.set_cookies and all(
        re.search(r";\s*Secure", c, re.IGNORECASE) for c in browser.set_cookies)
    # ... which is why an http:// installation must set it false: the next page asks again.
    home = browser.open("GET", "/")
    assert home.status_code in (302, 303) and home.headers["Location"].startswith("/login")
    assert browser.open("GET", "/api/v1/me").status_code == 401
