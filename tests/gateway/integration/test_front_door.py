"""The gateway's front door (issue 9, items 5 and 7): checks before bodies, limits that hold.

Findings replayed: ``/metrics`` was public; JSON bodies were read before authentication and
rate limits; the sign-in limit did not cover password changes and nothing limited one account
guessed from many addresses; limits were kept per process and keyed on the socket peer (behind
an ingress every client shared one bucket); each argon2 verification takes 64 MiB and nothing
bounded how many ran at once. Limits run on the real local Redis (db 12, a key prefix per test).
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Callable
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from gateway_testkit import INTERNAL_TOKEN
from gateway_testkit import PASSWORD
from gateway_testkit import USCC_A
from gateway_testkit import RecordingUpstream
from gateway_testkit import assert_error_shape
from gateway_testkit import bearer
from gateway_testkit import make_settings
from gateway_testkit import new_staff

from gateway.adapters import password_hashing
from gateway.app import create_app

pytestmark = pytest.mark.integration
REDIS_URL = "redis://127.0.0.1:6379/12"
NUL_BODY = b'{"name": "\\u0000"}'


def _address() -> str:
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.9"


@pytest.fixture
def make_app(migrated_url: str, upstreams: dict[str, RecordingUpstream], app: Flask
             ) -> Iterator[Callable[..., Flask]]:
    """Apps on the session database (``app`` made the accounts), limits on Redis.

    The argon2 configuration is per process: whatever a test app set is put back afterwards.
    """
    prefix = f"c-test-{uuid.uuid4().hex[:10]}"
    argon2 = password_hashing._current

    def make(**overrides: Any) -> Flask:
        values: dict[str, Any] = {"ratelimit_enabled": True, "redis_url": REDIS_URL,
                                  "ratelimit_key_prefix": prefix}
        values.update(overrides)
        return create_app(make_settings(migrated_url, upstreams, **values))

    yield make
    password_hashing._current = argon2


# ---- /metrics --------------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [{}, {"X-Internal-Token": "wrong"},
                                     {"Authorization": "Bearer wrong"}])
def test_metrics_are_not_public(client: FlaskClient, headers: dict[str, str]) -> None:
    resp = client.get("/metrics", headers=headers)
    assert resp.status_code == 401 and b"http_requests_total" not in resp.data
    assert_error_shape(resp.get_json(), 401)


@pytest.mark.parametrize("headers", [{"X-Internal-Token": INTERNAL_TOKEN},
                                     {"Authorization": f"Bearer {INTERNAL_TOKEN}"}])
def test_metrics_answer_the_internal_scraper(client: FlaskClient, headers: dict[str, str]
                                             ) -> None:
    resp = client.get("/metrics", headers=headers)
    assert resp.status_code == 200 and b"http_requests_total" in resp.data


# ---- nothing reads a body before size, credentials and limits are checked ----------------

@pytest.mark.parametrize(("method", "path"), [
    ("POST", "/api/v1/accounts"), ("POST", "/api/v1/enterprises"),
    ("PATCH", f"/api/v1/enterprises/{USCC_A}"), ("POST", "/api/v1/auth/password"),
    ("POST", "/api/v1/me/evaluate"),
])
@pytest.mark.parametrize("body", [NUL_BODY, b"{not json", b"[" * 5000])
def test_an_anonymous_write_is_401_before_its_body_is_read(
    client: FlaskClient, upstreams: dict[str, RecordingUpstream], method: str, path: str,
    body: bytes,
) -> None:
    resp = client.open(path, method=method, data=body, content_type="application/json")
    assert resp.status_code == 401, resp.get_json()
    assert_error_shape(resp.get_json(), 401)
    assert all(not server.calls for server in upstreams.values())


def test_a_bad_token_is_401_before_the_body_is_read(client: FlaskClient) -> None:
    resp = client.post("/api/v1/enterprises", data=NUL_BODY, content_type="application/json",
                       headers={"Authorization": "Bearer forged"})
    assert resp.status_code == 401


def test_a_role_that_may_not_write_is_403_before_the_body_is_read(client: FlaskClient) -> None:
    viewer = bearer(client, "viewer", PASSWORD)
    for path in ("/api/v1/accounts", "/api/v1/enterprises"):
        resp = client.post(path, data=NUL_BODY, content_type="application/json", headers=viewer)
        assert resp.status_code == 403, (path, resp.get_json())


def test_own_json_routes_refuse_a_large_body_before_reading_it(
    make_app: Callable[..., Flask],
) -> None:
    small = make_app(json_body_max_bytes=2048, ratelimit_enabled=False)
    client = small.test_client()
    big = b'{"username": "' + b"a" * 4096 + b'", "password": "x"}'
    resp = client.post("/api/v1/auth/login", data=big, content_type="application/json")
    assert resp.status_code == 413
    assert_error_shape(resp.get_json(), 413)
    assert resp.get_json()["error"]["details"]["max_bytes"] == 2048
    ok = client.post("/api/v1/auth/login", json={"username": "viewer", "password": PASSWORD})
    assert ok.status_code == 200


def test_the_sign_in_limit_applies_before_the_body_is_parsed(
    make_app: Callable[..., Flask],
) -> None:
    client = make_app(ratelimit_login="2 per minute").test_client()
    env = {"REMOTE_ADDR": _address()}
    for _ in range(2):
        client.post("/api/v1/auth/login", data=b"{not json", content_type="application/json",
                    environ_base=env)
    resp = client.post("/api/v1/auth/login", data=b"{not json", content_type="application/json",
                       environ_base=env)
    assert resp.status_code == 429  # not the 400/422 a parsed body would give
    assert_error_shape(resp.get_json(), 429)
    assert int(resp.headers["Retry-After"]) >= 1


# ---- sign-in and password change: per address and per account, in Redis ------------------

def test_one_account_guessed_from_many_addresses_is_stopped(
    make_app: Callable[..., Flask],
) -> None:
    gateway = make_app(ratelimit_login_account="3 per 15 minutes")
    client = gateway.test_client()
    name = new_staff(gateway)
    for _ in range(3):
        wrong = client.post("/api/v1/auth/login", json={"username": name, "password": "guess-1"},
                            environ_base={"REMOTE_ADDR": _address()})
        assert wrong.status_code == 401
    right = client.post("/api/v1/auth/login", json={"username": name, "password": PASSWORD},
                        environ_base={"REMOTE_ADDR": _address()})
    assert right.status_code == 429
    assert_error_shape(right.get_json(), 429)
    other = client.post("/api/v1/auth/login", json={"username": "viewer", "password": PASSWORD},
                        environ_base={"REMOTE_ADDR": _address()})
    assert other.status_code == 200  # another account is not affected


def test_password_changes_are_limited_per_address_and_per_account(
    make_app: Callable[..., Flask],
) -> None:
    gateway = make_app(ratelimit_password="3 per minute",
                       ratelimit_password_account="2 per 15 minutes")
    client = gateway.test_client()
    name = new_staff(gateway)
    token = bearer(client, name, PASSWORD)
    body = {"current_password": "guess-1", "new_password": "new-pass-123"}
    statuses = [client.post("/api/v1/auth/password", json=body, headers=token,
                            environ_base={"REMOTE_ADDR": _address()}).status_code
                for _ in range(3)]
    assert statuses == [401, 401, 429]  # the account's two failures are used up
    other = new_staff(gateway)
    other_token = bearer(client, other, PASSWORD)
    env = {"REMOTE_ADDR": _address()}
    per_address = [client.post("/api/v1/auth/password", data=b"{bad", headers=other_token,
                               content_type="application/json", environ_base=env).status_code
                   for _ in range(4)]
    assert per_address[-1] == 429 and 429 not in per_address[:3]


def test_limits_are_shared_by_every_process_through_redis(
    make_app: Callable[..., Flask],
) -> None:
    first = make_app(ratelimit_login="3 per minute").test_client()
    second = make_app(ratelimit_login="3 per minute").test_client()  # another worker / replica
    env = {"REMOTE_ADDR": _address()}
    body = {"username": "viewer", "password": PASSWORD}
    assert first.post("/api/v1/auth/login", json=body, environ_base=env).status_code == 200
    assert second.post("/api/v1/auth/login", json=body, environ_base=env).status_code == 200
    assert first.post("/api/v1/auth/login", json=body, environ_base=env).status_code == 200
    assert second.post("/api/v1/auth/login", json=body, environ_base=env).status_code == 429


@pytest.mark.parametrize(("trusted", "separate"), [(1, True), (0, False)])
def test_clients_behind_a_trusted_proxy_are_told_apart(
    make_app: Callable[..., Flask], trusted: int, separate: bool,
) -> None:
    client = make_app(ratelimit_login="2 per minute", trusted_proxy_count=trusted).test_client()
    ingress = {"REMOTE_ADDR": _address()}  # every request arrives from the same ingress pod
    body = {"username": "nobody-" + uuid.uuid4().hex[:6], "password": "x" * 10}

    def attempt(client_ip: str) -> int:
        return client.post("/api/v1/auth/login", json=body, environ_base=ingress,
                           headers={"X-Forwarded-For": client_ip}).status_code

    first, second = _address(), _address()
    assert [attempt(first) for _ in range(3)] == [401, 401, 429]
    assert (attempt(second) == 401) is separate  # with no trusted proxy, one shared bucket


def test_a_forged_forwarded_for_does_not_escape_the_limit(make_app: Callable[..., Flask]) -> None:
    client = make_app(ratelimit_login="2 per minute", trusted_proxy_count=1).test_client()
    ingress, real = {"REMOTE_ADDR": _address()}, _address()
    statuses = [client.post("/api/v1/auth/login", json={"username": "x", "password": "y" * 9},
                            environ_base=ingress,
                            headers={"X-Forwarded-For": f"{_address()}, {real}"}).status_code
                for _ in range(3)]
    assert statuses == [401, 401, 429]  # the client's own prefix is not trusted


# ---- argon2: bounded per process -------------------------------------------------------

class _CountingHasher:
    """Delegates to the real hasher and records how many verifications overlap."""

    def __init__(self, real: Any) -> None:
        self.real, self.running, self.peak = real, 0, 0
        self.lock = threading.Lock()

    def verify(self, stored: str, password: str) -> bool:
        with self.lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
        try:
            time.sleep(0.05)
            return bool(self.real.verify(stored, password))
        finally:
            with self.lock:
                self.running -= 1

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


@pytest.fixture
def counting() -> Iterator[_CountingHasher]:
    state = password_hashing._current
    hasher = _CountingHasher(state.hasher)
    state.hasher = hasher  # type: ignore[assignment]
    try:
        yield hasher
    finally:
        state.hasher = hasher.real


def test_argon2_verifications_run_at_most_max_concurrent_at_once(
    app: Flask, counting: _CountingHasher,
) -> None:
    assert password_hashing._current.max_concurrent == 2
    stored = password_hashing.hash_password("some-password-1")
    threads = [threading.Thread(target=password_hashing.verify_password, args=(stored, "nope-nope"))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counting.peak == 2


def test_sign_in_waits_for_a_free_argon2_slot_then_answers_503(
    make_app: Callable[..., Flask],
) -> None:
    gateway = make_app(argon2_max_concurrent=1, argon2_wait_seconds=0.2, ratelimit_enabled=False)
    slots = password_hashing._current.slots
    assert slots.acquire(timeout=5)  # another sign-in holds the only slot
    try:
        resp = gateway.test_client().post("/api/v1/auth/login",
                                          json={"username": "viewer", "password": PASSWORD})
    finally:
        slots.release()
    assert resp.status_code == 503
    assert_error_shape(resp.get_json(), 503)
    assert resp.get_json()["error"]["code"] == "password_check_busy"
    assert int(resp.headers["Retry-After"]) >= 1
    ok = gateway.test_client().post("/api/v1/auth/login",
                                    json={"username": "viewer", "password": PASSWORD})
    assert ok.status_code == 200


def test_a_redis_outage_falls_back_to_per_process_limits(make_app: Callable[..., Flask]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    client = make_app(redis_url=f"redis://127.0.0.1:{closed}/0",
                      ratelimit_login="2 per minute").test_client()
    env = {"REMOTE_ADDR": _address()}
    body = {"username": "viewer", "password": PASSWORD}
    statuses = [client.post("/api/v1/auth/login", json=body, environ_base=env).status_code
                for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_an_unsupported_method_is_still_405_for_anyone(client: FlaskClient) -> None:
    resp = client.post("/api/docs", data=b"x")
    assert resp.status_code == 405


def test_an_unrouted_api_path_is_still_404_for_anyone(client: FlaskClient) -> None:
    resp = client.post("/api/v1/nothing-here", json={"a": 1})
    assert resp.status_code == 404
