"""Issue 9's findings replayed as an attacker would, through the gateway, against the real services.

Every test here goes in at the front door (the gateway's WSGI app) with the real registry,
scoring and notify served over HTTP on free ports, and uses only public HTTP behaviour, so each
one fails on the code before issue 9 for the reason the issue gives, not for a missing import:

* an enterprise aims its webhook at the inside (loopback, metadata, private, numeric spellings);
* a viewer reads an enterprise's robot URL (DingTalk and WeCom URLs carry an access token),
  also when it forges the ``X-Actor`` header the services trust;
* anonymous 10 MB bodies sent to write routes are read before the caller is known;
* ``next=/\\t/evil.example/x`` after signing in on the web page leaves the site.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from gateway_testkit import PASSWORD
from gateway_testkit import USCC_A
from gateway_testkit import RecordingUpstream
from gateway_testkit import assert_error_shape
from gateway_testkit import bearer
from gateway_testkit import make_settings
from gateway_testkit import real_service
from gateway_testkit import serve
from request_bodies import CountingBody

from gateway.app import create_app

pytestmark = pytest.mark.integration

TOKEN = "0123456789abcdef0123456789abcdef"
DINGTALK = f"https://oapi.dingtalk.com/robot/send?access_token={TOKEN}"
WECOM = f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={TOKEN}"
MY_PREFERENCES = "/api/v1/me/preferences"
PREFERENCES = f"/api/v1/enterprises/{USCC_A}/preferences"
TEN_MB = 10 * 1024 * 1024


@pytest.fixture(scope="module")
def gateway(make_sqlite_url: Callable[[str], str], migrated_url: str, app: Flask,
            upstreams: dict[str, RecordingUpstream]) -> Iterator[Flask]:
    """The gateway with the real notify behind it (``app`` made the accounts)."""
    server, notify_url = serve(real_service("notify", make_sqlite_url("gw-attacker-notify")))
    yield create_app(make_settings(migrated_url, upstreams, notify_url=notify_url,
                                   read_timeout_seconds=15.0))
    server.shutdown()


@pytest.fixture(scope="module")
def enterprise(gateway: Flask) -> dict[str, str]:
    return bearer(gateway.test_client(), USCC_A, PASSWORD)


def _save_hook(client: FlaskClient, enterprise: dict[str, str], url: str) -> Any:
    current = client.get(MY_PREFERENCES, headers=enterprise).get_json()
    body = {"language": "zh-CN", "channels": ["webhook"], "webhook_url": url,
            "webhook_secret": "robot-secret-0123456789"}
    if current.get("version") is not None:
        body["version"] = current["version"]
    return client.put(MY_PREFERENCES, json=body, headers=enterprise)


# ---- webhook targets aimed at the inside are refused when they are saved ---------------------

@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8001/api/v1/enterprises",       # a sibling service on loopback
    "http://169.254.169.254/latest/meta-data/",       # the cloud metadata endpoint
    "http://10.0.0.1/",                               # the cluster's private network
    "http://0x7f000001:8001/",                        # loopback spelt in hex
    "http://2130706433:8001/",                        # loopback as one decimal number
    "http://127.1/",                                  # loopback in short form
    "http://0177.0.0.1/",                             # loopback in octal
    "http://[::ffff:127.0.0.1]/",                     # IPv4-mapped IPv6 loopback
    "http://[::1]/",
    "http://0.0.0.0/",
    "http://localhost:5432/",
    "http://100.64.0.1/",                             # shared address space (carrier NAT)
    "http://192.168.1.1/",
    "http://[fe80::1]/",
    "http://224.0.0.1/",
    "https://hooks.example.com:6379/",                # a public name on a port of the inside
    "gopher://hooks.example.com/",
])
def test_an_enterprise_cannot_aim_its_webhook_inside(
    gateway: Flask, enterprise: dict[str, str], url: str,
) -> None:
    client = gateway.test_client()
    before = client.get(MY_PREFERENCES, headers=enterprise).get_json()
    resp = _save_hook(client, enterprise, url)
    assert resp.status_code == 422, (url, resp.get_json())
    assert_error_shape(resp.get_json(), 422)
    assert "webhook_url" in resp.get_json()["error"]["fields"]
    assert client.get(MY_PREFERENCES, headers=enterprise).get_json() == before  # nothing saved


# ---- robot URLs are shown to their owner only -----------------------------------------------

@pytest.mark.parametrize("hook", [DINGTALK, WECOM])
def test_a_viewer_sees_a_robot_url_as_its_host_only_even_with_a_forged_actor(
    gateway: Flask, enterprise: dict[str, str], hook: str,
) -> None:
    client = gateway.test_client()
    saved = _save_hook(client, enterprise, hook)
    assert saved.status_code == 200, saved.get_json()
    assert client.get(MY_PREFERENCES, headers=enterprise).get_json()["webhook_url"] == hook
    host = re.match(r"https://[^/]+", hook)
    assert host is not None
    for role in ("viewer", "curator", "admin"):
        staff = bearer(client, role, PASSWORD)
        # the services trust X-Actor; a caller's own copy must not make it the owner
        forged = {**staff, "X-Actor": f"enterprise:{USCC_A}"}
        for headers in (staff, forged):
            for path in (PREFERENCES, f"{PREFERENCES}/audit"):
                resp = client.get(path, headers=headers)
                assert resp.status_code == 200, (role, path, resp.get_json())
                text = resp.get_data(as_text=True)
                assert TOKEN not in text, (role, path)
            shown = client.get(PREFERENCES, headers=headers).get_json()["webhook_url"]
            assert shown.startswith(host.group(0)) and shown != hook, shown


# ---- nothing reads an anonymous body ---------------------------------------------------------

@pytest.mark.parametrize(("method", "path", "statuses"), [
    ("POST", "/api/v1/enterprises", {401}),
    ("PATCH", f"/api/v1/enterprises/{USCC_A}", {401}),
    ("POST", "/api/v1/imports", {401}),
    ("PUT", MY_PREFERENCES, {401}),
    ("POST", "/api/v1/accounts", {401, 413}),       # the gateway's own JSON routes may
    ("POST", "/api/v1/auth/password", {401, 413}),  # refuse the declared size first
    ("POST", "/api/v1/auth/login", {413}),          # anonymous by nature: too large at once
    ("POST", "/api/v1/eligibility/check", {413}),   # anonymous by nature: too large at once
])
def test_a_ten_megabyte_anonymous_body_is_refused_without_being_read(
    gateway: Flask, upstreams: dict[str, RecordingUpstream], method: str, path: str,
    statuses: set[int],
) -> None:
    body = CountingBody(b"[" * TEN_MB)
    resp = gateway.test_client().open(
        path, method=method, input_stream=body, content_length=TEN_MB,
        content_type="application/json")
    assert resp.status_code in statuses, (path, resp.status_code, resp.get_data()[:200])
    assert_error_shape(resp.get_json(), resp.status_code)
    assert body.read_bytes == 0, (path, body.read_bytes)
    assert all(not server.calls for server in upstreams.values())


# ---- after signing in on the web page the browser stays on the site -----------------------------

def _login_token(page: str) -> str:
    found = re.search(r'name="login_token" value="([^"]+)"', page)
    assert found, "the sign-in form carries its token"
    return found.group(1)


@pytest.mark.parametrize("target", [
    "/\t/evil.example/x", "/\\evil.example/x", "/\n/evil.example", "\\\\evil.example",
    "//evil.example", "https://evil.example/", "javascript:alert(1)", "/\x0b/evil.example",
])
def test_signing_in_on_the_web_page_never_leaves_the_site(app: Flask, target: str) -> None:
    client = app.test_client()
    page = client.get("/login", query_string={"next": target})
    resp = client.post("/login", data={
        "username": "curator", "password": PASSWORD, "next": target,
        "login_token": _login_token(page.get_data(as_text=True))})
    assert resp.status_code in (302, 303), resp.status_code
    location = resp.headers["Location"]
    # as a browser reads it: tabs and newlines dropped, backslashes are slashes
    read = re.sub(r"[\t\n\r]", "", location).replace("\\", "/").strip(" \x00-\x1f")
    assert read.startswith("/") and not read.startswith("//"), location
    assert "evil.example" not in location and not re.match(r"[a-z]+:", read, re.I), location


@pytest.mark.parametrize("path", ["/check", "/login", "/logout"])
def test_a_huge_anonymous_web_form_is_refused_without_being_read(gateway: Flask, path: str
                                                                  ) -> None:
    """The self-check form parsed 8 MB of fields (2,000,000 of them) for 1.5 s of CPU."""
    body = CountingBody(b"[" * (8 * 1024 * 1024))
    resp = gateway.test_client().post(path, input_stream=body, content_length=len(body.data),
                                      content_type="application/x-www-form-urlencoded")
    assert resp.status_code == 413, (path, resp.status_code)
    assert body.read_bytes == 0
