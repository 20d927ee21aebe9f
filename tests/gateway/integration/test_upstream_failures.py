"""A failing service never leaks through as a bare 500: 502/503/504 in the error shape."""

from __future__ import annotations

import socket
import time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from gateway_testkit import PASSWORD
from gateway_testkit import USCC_A
from gateway_testkit import RecordingUpstream
from gateway_testkit import assert_error_shape
from gateway_testkit import bearer
from gateway_testkit import json_response
from gateway_testkit import make_settings
from werkzeug.wrappers import Response

from gateway.app import create_app

pytestmark = pytest.mark.integration
PATH = f"/api/v1/enterprises/{USCC_A}"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def curator(client: FlaskClient) -> dict[str, str]:
    return bearer(client, "curator", PASSWORD)


def test_service_down_is_503_naming_the_service(
    migrated_url: str, upstreams: dict[str, RecordingUpstream], app: Flask
) -> None:
    down = create_app(make_settings(migrated_url, upstreams,
                                    registry_url=f"http://127.0.0.1:{_closed_port()}"))
    client = down.test_client()
    resp = client.get(PATH, headers=bearer(client, "curator", PASSWORD))
    assert resp.status_code == 503
    assert_error_shape(resp.get_json(), 503)
    assert resp.get_json()["error"]["details"] == {"service": "registry"}


def test_slow_service_is_504(migrated_url: str, upstreams: dict[str, RecordingUpstream],
                             app: Flask) -> None:
    slow = create_app(make_settings(migrated_url, upstreams, read_timeout_seconds=0.3))
    client = slow.test_client()
    upstreams["registry"].routes[("GET", PATH)] = json_response({}, delay=1.0)
    resp = client.get(PATH, headers=bearer(client, "curator", PASSWORD))
    assert resp.status_code == 504
    assert_error_shape(resp.get_json(), 504)


def test_html_500_from_a_service_becomes_502(client: FlaskClient, curator: dict[str, str],
                                              upstreams: dict[str, RecordingUpstream]) -> None:
    upstreams["registry"].routes[("GET", PATH)] = lambda _r: Response("<h1>boom</h1>", 500)
    resp = client.get(PATH, headers=curator)
    assert resp.status_code == 502 and "boom" not in resp.get_data(as_text=True)
    assert_error_shape(resp.get_json(), 502)


def test_service_refusing_our_internal_token_is_502_not_a_sign_in_prompt(
    client: FlaskClient, curator: dict[str, str], upstreams: dict[str, RecordingUpstream]
) -> None:
    upstreams["registry"].routes[("GET", PATH)] = json_response(
        {"error": {"code": "internal_token_required", "status": 401, "message": "x / x",
                   "fields": {}, "details": {}}}, status=401)
    resp = client.get(PATH, headers=curator)
    assert resp.status_code == 502


@pytest.mark.parametrize("status", [404, 409, 422])
def test_service_errors_in_the_shared_shape_pass_through(
    client: FlaskClient, curator: dict[str, str], upstreams: dict[str, RecordingUpstream],
    status: int,
) -> None:
    body = {"error": {"code": "conflict", "status": status, "message": "冲突 / Conflict",
                      "fields": {"stage": ["no"]}, "details": {"allowed": ["screened"]}}}
    upstreams["registry"].routes[("GET", PATH)] = json_response(body, status=status)
    resp = client.get(PATH, headers=curator)
    assert resp.status_code == status and resp.get_json() == body


def test_idempotent_read_is_retried_after_a_503(client: FlaskClient, curator: dict[str, str],
                                                 upstreams: dict[str, RecordingUpstream]) -> None:
    answers = iter([Response("busy", 503), Response('{"ok": 1}', 200,
                                                    mimetype="application/json")])
    upstreams["registry"].routes[("GET", PATH)] = lambda _r: next(answers)
    resp = client.get(PATH, headers=curator)
    assert resp.status_code == 200 and len(upstreams["registry"].calls) == 2


def test_a_write_is_not_retried(client: FlaskClient, curator: dict[str, str],
                                upstreams: dict[str, RecordingUpstream]) -> None:
    upstreams["registry"].routes[("PATCH", PATH)] = lambda _r: Response("busy", 503)
    resp = client.patch(PATH, json={"name": "x"}, headers=curator)
    assert resp.status_code == 502 and len(upstreams["registry"].calls) == 1


def test_unrouted_api_path_is_404_in_the_error_shape(client: FlaskClient,
                                                     curator: dict[str, str]) -> None:
    resp = client.get("/api/v1/nothing-here", headers=curator)
    assert resp.status_code == 404
    assert_error_shape(resp.get_json(), 404)


@pytest.mark.parametrize("path", ["/api/v1/eligibility/check", "/api/v1/evaluate"])
def test_a_post_that_timed_out_is_never_sent_again(
    migrated_url: str, upstreams: dict[str, RecordingUpstream], app: Flask, path: str
) -> None:
    """Issue 9: a what-if that timed out was sent twice, doubling the cost of the worst input."""
    slow = create_app(make_settings(migrated_url, upstreams, read_timeout_seconds=0.3))
    client = slow.test_client()
    headers = bearer(client, "curator", PASSWORD) if path == "/api/v1/evaluate" else {}
    upstreams["scoring"].routes[("POST", "/api/v1/evaluate")] = json_response({}, delay=0.8)
    resp = client.post(path, json={"sales_revenue": "1E+999999"}, headers=headers)
    assert resp.status_code == 504
    assert_error_shape(resp.get_json(), 504)
    time.sleep(0.9)  # a retry, if any, would have reached the upstream by now
    assert len(upstreams["scoring"].calls) == 1
