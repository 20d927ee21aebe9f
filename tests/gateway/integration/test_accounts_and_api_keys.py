"""Admins manage accounts and API keys; other roles cannot; keys are hashed and revocable."""

from __future__ import annotations

import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient
from gateway_testkit import PASSWORD
from gateway_testkit import USCC_A
from gateway_testkit import RecordingUpstream
from gateway_testkit import assert_error_shape
from gateway_testkit import bearer
from sqlalchemy import select

from gateway.models import ApiKey
from yumiao_common.identifiers import generate_uscc

pytestmark = pytest.mark.integration


@pytest.fixture
def admin(client: FlaskClient) -> dict[str, str]:
    return bearer(client, "admin", PASSWORD)


@pytest.mark.parametrize("who", ["viewer", "curator", USCC_A])
def test_only_admins_manage_accounts(client: FlaskClient, who: str) -> None:
    headers = bearer(client, who, PASSWORD)
    for method, path in [("GET", "/api/v1/accounts"), ("POST", "/api/v1/accounts"),
                         ("GET", "/api/v1/accounts/api-keys")]:
        resp = client.open(path, method=method, json={}, headers=headers)
        assert resp.status_code == 403
        assert_error_shape(resp.get_json(), 403)


def test_admin_creates_an_enterprise_account_named_by_its_credit_code(
    client: FlaskClient, admin: dict[str, str]
) -> None:
    uscc = generate_uscc("91", "371502", uuid.uuid4().hex[:8].upper())
    resp = client.post("/api/v1/accounts", headers=admin, json={
        "role": "enterprise", "uscc": uscc, "password": "long-enough-1"})
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["username"] == uscc
    again = client.post("/api/v1/accounts", headers=admin, json={
        "role": "enterprise", "uscc": uscc, "password": "long-enough-1"})
    assert again.status_code == 409


@pytest.mark.parametrize(("body", "field"), [
    ({"role": "enterprise", "uscc": "123456789012345678", "password": "long-enough-1"}, "uscc"),
    ({"role": "enterprise", "password": "long-enough-1"}, "uscc"),
    ({"role": "viewer", "username": "v2", "uscc": USCC_A, "password": "long-enough-1"}, "uscc"),
    ({"role": "viewer", "username": "v3", "password": "short"}, "password"),
    ({"role": "root", "username": "v4", "password": "long-enough-1"}, "role"),
])
def test_bad_accounts_are_refused_with_field_errors(
    client: FlaskClient, admin: dict[str, str], body: dict[str, str], field: str
) -> None:
    resp = client.post("/api/v1/accounts", headers=admin, json=body)
    assert resp.status_code == 422
    assert field in resp.get_json()["error"]["fields"]


def test_stale_account_edit_is_a_409_and_deactivation_ends_logins(
    client: FlaskClient, admin: dict[str, str]
) -> None:
    name = "staff-" + uuid.uuid4().hex[:6]
    created = client.post("/api/v1/accounts", headers=admin, json={
        "role": "viewer", "username": name, "password": "long-enough-1"}).get_json()
    refresh = client.post("/api/v1/auth/login", json={
        "username": name, "password": "long-enough-1"}).get_json()["refresh_token"]
    url = f"/api/v1/accounts/{created['id']}"
    ok = client.patch(url, headers=admin, json={"version": created["version"], "is_active": False})
    assert ok.status_code == 200 and ok.get_json()["is_active"] is False
    stale = client.patch(url, headers=admin, json={"version": created["version"],
                                                   "display_name": "x"})
    assert stale.status_code == 409
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": refresh}).status_code == 401
    assert client.post("/api/v1/auth/login", json={
        "username": name, "password": "long-enough-1"}).status_code == 401


def test_api_key_is_shown_once_stored_hashed_used_and_revoked(
    client: FlaskClient, admin: dict[str, str], app: Flask,
    upstreams: dict[str, RecordingUpstream],
) -> None:
    name = "etl-" + uuid.uuid4().hex[:6]
    created = client.post("/api/v1/accounts/api-keys", headers=admin,
                          json={"name": name, "role": "viewer"}).get_json()
    key = created["key"]
    with app.app_context():
        session = app.extensions["yumiao.session_factory"]()
        stored = session.scalar(select(ApiKey).where(ApiKey.name == name))
        session.close()
    assert stored is not None and key.split("_", 2)[2] not in stored.secret_hash
    keys = client.get("/api/v1/accounts/api-keys", headers=admin).get_json()["items"]
    assert keys and all("key" not in row for row in keys)
    read = client.get(f"/api/v1/enterprises/{USCC_A}", headers={"X-API-Key": key})
    assert read.status_code == 200
    assert upstreams["registry"].calls[-1].headers["X-Actor"] == f"apikey:{name}"
    write = client.patch(f"/api/v1/enterprises/{USCC_A}", json={}, headers={"X-API-Key": key})
    assert write.status_code == 403  # a viewer key reads only
    assert client.delete(f"/api/v1/accounts/api-keys/{created['id']}",
                         headers=admin).status_code == 204
    assert client.get("/api/v1/me", headers={"X-API-Key": key}).status_code == 401


@pytest.mark.parametrize("key", ["nonsense", "ymk_abc_def", "ymk__x", ""])
def test_bad_api_keys_are_401(client: FlaskClient, key: str) -> None:
    resp = client.get("/api/v1/me", headers={"X-API-Key": key})
    assert resp.status_code == 401
    assert_error_shape(resp.get_json(), 401)
