"""Bearer sign-in, rotating refresh tokens (reuse revokes the login), logout, password hashing."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from gateway_testkit import PASSWORD
from gateway_testkit import SECRET_KEY
from gateway_testkit import USCC_A
from gateway_testkit import assert_error_shape
from sqlalchemy import select

from gateway.models import Account
from gateway.models import AuthSession

pytestmark = pytest.mark.integration


def login(client: FlaskClient, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/auth/login", json={"username": username, "password": password})


def test_login_returns_a_short_lived_bearer_and_a_refresh_token(client: FlaskClient) -> None:
    body = login(client, "curator").get_json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 900
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.get_json()["actor"] == "user:curator"


def test_enterprise_principal_is_its_credit_code(client: FlaskClient) -> None:
    body = login(client, USCC_A).get_json()
    assert body["principal"] == {"actor": f"enterprise:{USCC_A}", "kind": "enterprise",
                                 "name": USCC_A, "role": "enterprise", "uscc": USCC_A,
                                 "via": "bearer"}


@pytest.mark.parametrize(("username", "password"), [
    ("curator", "wrong-password"),
    ("nobody", PASSWORD),
    ("", PASSWORD),
])
def test_bad_sign_in_is_one_uniform_401(client: FlaskClient, username: str, password: str
                                        ) -> None:
    resp = login(client, username, password)
    assert resp.status_code in (401, 422)
    assert_error_shape(resp.get_json(), resp.status_code)


def test_unknown_fields_are_refused(client: FlaskClient) -> None:
    resp = client.post("/api/v1/auth/login",
                       json={"username": "curator", "password": PASSWORD, "role": "admin"})
    assert resp.status_code == 422
    assert "role" in resp.get_json()["error"]["fields"]


@pytest.mark.parametrize("header", ["Bearer garbage", "Bearer ", "Basic abc", "Token x.y.z"])
def test_bad_bearer_is_401_not_anonymous(client: FlaskClient, header: str) -> None:
    resp = client.get("/api/v1/me", headers={"Authorization": header})
    assert resp.status_code == 401
    assert_error_shape(resp.get_json(), 401)


def test_passwords_are_stored_as_argon2id_hashes(app: Flask) -> None:
    with app.app_context():
        session = app.extensions["yumiao.session_factory"]()
        stored = session.scalar(select(Account.password_hash).where(Account.username == "viewer"))
        session.close()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_refresh_rotates_and_a_reused_token_revokes_the_whole_login(
    client: FlaskClient, app: Flask
) -> None:
    first = login(client, "viewer").get_json()
    second = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    new = second.get_json()
    assert new["refresh_token"] != first["refresh_token"]
    reuse = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reuse.status_code == 401 and reuse.get_json()["error"]["code"] == "refresh_token_reused"
    # the thief's reuse also killed the legitimate descendant
    after = client.post("/api/v1/auth/refresh", json={"refresh_token": new["refresh_token"]})
    assert after.status_code == 401


def test_refresh_tokens_are_stored_hashed(client: FlaskClient, app: Flask) -> None:
    token = login(client, "viewer").get_json()["refresh_token"]
    with app.app_context():
        session = app.extensions["yumiao.session_factory"]()
        hashes = set(session.scalars(select(AuthSession.token_hash)))
        session.close()
    assert token not in hashes and len(next(iter(hashes))) == 64


def test_logout_revokes_the_refresh_token(client: FlaskClient) -> None:
    tokens = login(client, "curator").get_json()
    assert client.post("/api/v1/auth/logout",
                       json={"refresh_token": tokens["refresh_token"]}).status_code == 204
    resp = client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert resp.status_code == 401
    assert_error_shape(resp.get_json(), 401)


def test_expired_access_token_is_401_token_expired(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from itsdangerous import TimestampSigner

    from gateway.domain.tokens import AccessClaims
    from gateway.domain.tokens import AccessTokenSigner

    issued = int(time.time()) - 901  # the app's tokens live 900 s
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: issued)
    token = AccessTokenSigner(SECRET_KEY, 900).sign(
        AccessClaims("x", "admin", "admin", None, "f"))
    monkeypatch.undo()
    resp = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 401 and resp.get_json()["error"]["code"] == "token_expired"


def test_token_signed_with_another_key_is_refused(client: FlaskClient) -> None:
    from gateway.domain.tokens import AccessClaims
    from gateway.domain.tokens import AccessTokenSigner

    forged = AccessTokenSigner("attacker-key", 900).sign(
        AccessClaims("x", "admin", "admin", None, "f"))
    resp = client.get("/api/v1/accounts", headers={"Authorization": f"Bearer {forged}"})
    assert resp.status_code == 401


def test_password_change_needs_the_current_one_and_ends_every_login(
    client: FlaskClient, app: Flask
) -> None:
    from gateway.handlers import accounts

    name = "pw-" + __import__("uuid").uuid4().hex[:6]
    with app.app_context():
        session = app.extensions["yumiao.session_factory"]()
        accounts.create_account(session, username=name, password="first-pass-1",
                                        role="viewer")
        session.commit()
        session.close()
    tokens = login(client, name, "first-pass-1").get_json()
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    wrong = client.post("/api/v1/auth/password", headers=auth,
                        json={"current_password": "nope", "new_password": "second-pass-2"})
    assert wrong.status_code == 401
    weak = client.post("/api/v1/auth/password", headers=auth,
                       json={"current_password": "first-pass-1", "new_password": "short"})
    assert weak.status_code == 422 and "new_password" in weak.get_json()["error"]["fields"]
    ok = client.post("/api/v1/auth/password", headers=auth,
                     json={"current_password": "first-pass-1", "new_password": "second-pass-2"})
    assert ok.status_code == 204
    assert client.post("/api/v1/auth/refresh",
                       json={"refresh_token": tokens["refresh_token"]}).status_code == 401
    assert login(client, name, "first-pass-1").status_code == 401
    assert login(client, name, "second-pass-2").status_code == 200
