"""Browser sessions: HttpOnly SameSite=Lax cookie; unsafe methods need the CSRF token."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from gateway_testkit import PASSWORD
from gateway_testkit import USCC_A
from gateway_testkit import RecordingUpstream
from gateway_testkit import assert_error_shape

pytestmark = pytest.mark.integration


def browser_login(app: Flask, username: str) -> tuple[FlaskClient, str]:
    client = app.test_client()
    resp = client.post("/api/v1/auth/session", json={"username": username, "password": PASSWORD})
    assert resp.status_code == 200, resp.get_json()
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    return client, resp.get_json()["csrf_token"]


def test_cookie_signs_the_browser_in(app: Flask) -> None:
    client, csrf = browser_login(app, "curator")
    me = client.get("/api/v1/me").get_json()
    assert me["actor"] == "user:curator" and me["via"] == "cookie"
    assert client.get("/api/v1/auth/session").get_json()["csrf_token"] == csrf


@pytest.mark.parametrize("csrf_header", [None, "", "not-the-token"])
def test_unsafe_method_without_the_csrf_token_is_refused(
    app: Flask, upstreams: dict[str, RecordingUpstream], csrf_header: str | None
) -> None:
    client, _csrf = browser_login(app, "curator")
    headers = {} if csrf_header is None else {"X-CSRF-Token": csrf_header}
    resp = client.patch(f"/api/v1/enterprises/{USCC_A}", json={"name": "x"}, headers=headers)
    assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "csrf_failed"
    assert_error_shape(resp.get_json(), 403)
    assert upstreams["registry"].calls == []


def test_unsafe_method_with_the_csrf_token_goes_through(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    client, csrf = browser_login(app, "curator")
    resp = client.patch(f"/api/v1/enterprises/{USCC_A}", json={"name": "x"},
                        headers={"X-CSRF-Token": csrf})
    assert resp.status_code == 200
    assert upstreams["registry"].calls[0].headers["X-Actor"] == "user:curator"


def test_csrf_token_is_accepted_as_a_form_field(app: Flask) -> None:
    client, csrf = browser_login(app, "viewer")
    resp = client.delete("/api/v1/auth/session", data={"csrf_token": csrf})
    assert resp.status_code == 204
    assert client.get("/api/v1/me").status_code == 401


def test_browser_logout_needs_csrf_and_then_ends_the_session(app: Flask) -> None:
    client, csrf = browser_login(app, USCC_A)
    assert client.delete("/api/v1/auth/session").status_code == 403
    assert client.delete("/api/v1/auth/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert client.get("/api/v1/me").status_code == 401


def test_one_sessions_csrf_token_does_not_work_for_another(app: Flask) -> None:
    client, _mine = browser_login(app, "curator")
    _other, theirs = browser_login(app, "curator")
    resp = client.post("/api/v1/auth/password", json={"current_password": PASSWORD,
                                                      "new_password": PASSWORD},
                       headers={"X-CSRF-Token": theirs})
    assert resp.status_code == 403


def test_bearer_requests_need_no_csrf_token(client: FlaskClient) -> None:
    token = client.post("/api/v1/auth/login",
                        json={"username": "curator", "password": PASSWORD}).get_json()
    resp = client.patch(f"/api/v1/enterprises/{USCC_A}", json={"name": "x"},
                        headers={"Authorization": f"Bearer {token['access_token']}"})
    assert resp.status_code == 200


def test_form_upload_with_csrf_field_is_forwarded_whole(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    import io

    client, csrf = browser_login(app, "curator")
    sheet = b"PK\x03\x04 pretend xlsx bytes" * 100
    resp = client.post("/api/v1/imports", content_type="multipart/form-data", data={
        "csrf_token": csrf, "file": (io.BytesIO(sheet), "enterprises.xlsx")})
    assert resp.status_code == 200
    (call,) = upstreams["registry"].calls
    assert call.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert sheet in call.body
