"""Outside demo mode nothing public signs anyone in; tokens lose their power at once (issue 9, 4).

Findings replayed here: demo accounts authenticated with demo mode off; seeding reset the real
admin's password; the placeholder signing keys of .env.example and the dev overlay were
accepted, so a token forged with one for an account that does not exist got a 200; and an
access token kept working for up to 15 minutes after its account was deactivated, downgraded
or signed out. Choice made: the account and its login are checked on every bearer write (and
on reads, which may reuse a successful check for a few seconds).
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from gateway_testkit import PASSWORD
from gateway_testkit import SECRET_KEY
from gateway_testkit import USCC_A
from gateway_testkit import RecordingUpstream
from gateway_testkit import assert_error_shape
from gateway_testkit import bearer
from gateway_testkit import json_response
from gateway_testkit import make_settings
from gateway_testkit import new_staff
from pydantic import SecretStr
from pydantic import ValidationError
from sqlalchemy import select

from gateway.app import create_app
from gateway.cli import alembic_config
from gateway.domain.tokens import AccessClaims
from gateway.domain.tokens import AccessTokenSigner
from gateway.handlers import accounts
from gateway.models import Account
from gateway.settings import DEMO_SECRET_KEY
from gateway.settings import Settings

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[3]
DEMO_PASSWORD = "yumiao-demo"
REVOKED = "token_revoked"


def _shipped_placeholder_keys() -> list[str]:
    env = (ROOT / ".env.example").read_text(encoding="utf-8")
    template = (ROOT / "k8s/base/secret-template/secrets.yaml").read_text(encoding="utf-8")
    keys = re.findall(r"^GATEWAY_SECRET_KEY=(.+)$", env, flags=re.M)
    keys += re.findall(r"^\s*GATEWAY_SECRET_KEY:\s*(\S+)\s*$", template, flags=re.M)
    assert len(keys) == 2, keys
    return keys


@pytest.mark.parametrize("key", [*_shipped_placeholder_keys(), DEMO_SECRET_KEY, "k" * 31,
                                 "x" * 40 + "-change-me", "短密钥" * 3])
def test_a_public_or_short_signing_key_stops_the_gateway_outside_demo_mode(key: str) -> None:
    with pytest.raises(ValidationError, match="GATEWAY_SECRET_KEY") as caught:
        Settings(secret_key=SecretStr(key), demo_mode=False)
    assert "token_urlsafe" in str(caught.value)  # says how to make a real one


def test_a_random_key_of_32_bytes_is_accepted_and_demo_mode_keeps_its_demo_key() -> None:
    assert Settings(secret_key=SecretStr("a1B2" * 8), demo_mode=False).signing_key == "a1B2" * 8
    assert Settings(demo_mode=True).signing_key == DEMO_SECRET_KEY


def _forged(key: str, account_id: str, role: str = "admin") -> dict[str, str]:
    token = AccessTokenSigner(key, 900).sign(
        AccessClaims(account_id, "admin", role, None, str(uuid.uuid4())))
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def demo_db(make_pg_database: Callable[[str], str], upstreams: dict[str, RecordingUpstream]
            ) -> str:
    url = make_pg_database("gwtrust")
    command.upgrade(alembic_config(url), "head")
    return url


def _seed_demo(app: Flask, upstreams: dict[str, RecordingUpstream]) -> str:
    upstreams["registry"].routes[("GET", "/api/v1/enterprises")] = json_response(
        {"items": [{"uscc": USCC_A, "name": "演示企业"}], "next_cursor": None, "total": 1})
    result = app.test_cli_runner().invoke(args=["create-demo-accounts"])
    assert result.exit_code == 0, result.output
    return str(result.output)


def test_seeding_never_touches_an_existing_account(
    demo_db: str, upstreams: dict[str, RecordingUpstream]
) -> None:
    demo = create_app(make_settings(demo_db, upstreams, demo_mode=True))
    with demo.app_context():
        session = demo.extensions["yumiao.session_factory"]()
        accounts.create_account(session, username="admin", password="real-admin-pass-1",
                                        role="admin")
        session.commit()
        session.close()
    output = _seed_demo(demo, upstreams)
    assert "exists, left unchanged" in output
    client = demo.test_client()
    login = client.post("/api/v1/auth/login", json={"username": "admin",
                                                    "password": DEMO_PASSWORD})
    assert login.status_code == 401  # the demo password was not written over the real one
    assert bearer(client, "admin", "real-admin-pass-1")
    with demo.app_context():
        session = demo.extensions["yumiao.session_factory"]()
        flags = {row.username: row.is_demo
                 for row in session.execute(select(Account.username, Account.is_demo))}
        session.close()
    assert flags == {"admin": False, "curator": True, "viewer": True, USCC_A: True}


def test_outside_demo_mode_demo_accounts_and_the_demo_password_do_not_sign_in(
    demo_db: str, upstreams: dict[str, RecordingUpstream]
) -> None:
    demo = create_app(make_settings(demo_db, upstreams, demo_mode=True))
    _seed_demo(demo, upstreams)
    in_demo = demo.test_client()
    demo_token = bearer(in_demo, "curator", DEMO_PASSWORD)
    assert in_demo.get("/api/v1/me", headers=demo_token).status_code == 200
    cookie_login = in_demo.post("/api/v1/auth/session",
                                json={"username": "viewer", "password": DEMO_PASSWORD})
    assert cookie_login.status_code == 200

    real = create_app(make_settings(demo_db, upstreams))  # same database, demo mode off
    client = real.test_client()
    for name in ("curator", "viewer", USCC_A):
        resp = client.post("/api/v1/auth/login", json={"username": name,
                                                       "password": DEMO_PASSWORD})
        assert resp.status_code == 401, name
        assert_error_shape(resp.get_json(), 401)
    assert client.get("/api/v1/me", headers=demo_token).status_code == 401
    # an account made before demo accounts were flagged, still on the published password
    with real.app_context():
        session = real.extensions["yumiao.session_factory"]()
        accounts.create_account(session, username="legacy-demo", role="viewer",
                                        password=DEMO_PASSWORD)
        session.commit()
        session.close()
    assert client.post("/api/v1/auth/login", json={"username": "legacy-demo",
                                                   "password": DEMO_PASSWORD}).status_code == 401


def test_a_token_forged_for_an_account_that_does_not_exist_is_401(
    demo_db: str, upstreams: dict[str, RecordingUpstream], client: FlaskClient
) -> None:
    demo = create_app(make_settings(demo_db, upstreams, demo_mode=True,
                                    secret_key=SecretStr(DEMO_SECRET_KEY)))
    forged = _forged(DEMO_SECRET_KEY, str(uuid.uuid4()))
    resp = demo.test_client().get("/api/v1/accounts", headers=forged)
    assert resp.status_code == 401 and resp.get_json()["error"]["code"] == REVOKED
    # the same with the production gateway's own key (as if it leaked): still refused
    resp = client.get("/api/v1/accounts", headers=_forged(SECRET_KEY, str(uuid.uuid4())))
    assert resp.status_code == 401
    assert client.get("/api/v1/me", headers=_forged(SECRET_KEY, "not-a-uuid")).status_code == 401


def _account(client: FlaskClient, admin: dict[str, str], name: str) -> dict[str, object]:
    page: dict[str, Any] = {"next_cursor": ""}
    while page["next_cursor"] is not None:
        query = f"?limit=200&cursor={page['next_cursor']}" if page["next_cursor"] else "?limit=200"
        page = client.get("/api/v1/accounts" + query, headers=admin).get_json()
        for row in page["items"]:
            if row["username"] == name:
                return dict(row)
    raise AssertionError(f"no account {name}")


PATH = f"/api/v1/enterprises/{USCC_A}"


RECHECK = 0.5  # seconds a read may rely on an earlier check (production: 5 s)


@pytest.fixture
def rechecking(migrated_url: str, upstreams: dict[str, RecordingUpstream], app: Flask
               ) -> FlaskClient:
    return create_app(make_settings(migrated_url, upstreams,
                                    token_recheck_seconds=RECHECK)).test_client()


@pytest.mark.parametrize("change", [{"is_active": False}, {"role": "viewer"}])
def test_a_deactivated_or_downgraded_account_cannot_write_at_once(
    app: Flask, rechecking: FlaskClient, upstreams: dict[str, RecordingUpstream],
    change: dict[str, object],
) -> None:
    client = rechecking
    name = new_staff(app, "curator")
    token = bearer(client, name, PASSWORD)
    assert client.patch(PATH, json={"name": "x"}, headers=token).status_code == 200
    assert client.get(PATH, headers=token).status_code == 200
    admin = bearer(client, "admin", PASSWORD)
    row = _account(client, admin, name)
    edit = client.patch(f"/api/v1/accounts/{row['id']}", headers=admin,
                        json={"version": row["version"], **change})
    assert edit.status_code == 200, edit.get_json()
    upstreams["registry"].reset()
    write = client.patch(PATH, json={"name": "y"}, headers=token)
    assert write.status_code == 401 and write.get_json()["error"]["code"] == REVOKED
    assert upstreams["registry"].calls == []  # the write never reached the registry
    time.sleep(RECHECK + 0.1)
    assert client.get(PATH, headers=token).status_code == 401  # reads follow within seconds


def test_sign_out_ends_the_access_token_at_once(app: Flask, rechecking: FlaskClient) -> None:
    client = rechecking
    name = new_staff(app, "viewer")
    tokens = client.post("/api/v1/auth/login",
                         json={"username": name, "password": PASSWORD}).get_json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    client.post("/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]})
    change = client.post("/api/v1/auth/password", headers=headers, json={
        "current_password": PASSWORD, "new_password": "another-pass-9"})
    assert change.status_code == 401 and change.get_json()["error"]["code"] == REVOKED
    time.sleep(RECHECK + 0.1)
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_a_refused_token_is_never_remembered_as_valid(client: FlaskClient) -> None:
    forged = _forged(SECRET_KEY, str(uuid.uuid4()))
    for _ in range(2):
        assert client.get("/api/v1/me", headers=forged).status_code == 401
