"""Rate limits: 429 in the error shape with Retry-After, per address and per principal.

Memory storage by default; the same limits on Redis (127.0.0.1:6379, db 15) when it answers.
"""

from __future__ import annotations

import uuid

import pytest
import redis
from flask import Flask
from gateway_testkit import PASSWORD
from gateway_testkit import RecordingUpstream
from gateway_testkit import assert_error_shape
from gateway_testkit import make_settings

from gateway.app import create_app

pytestmark = pytest.mark.integration
REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture(params=["memory", "redis"])
def limited_app(request: pytest.FixtureRequest, migrated_url: str,
                upstreams: dict[str, RecordingUpstream], app: Flask) -> Flask:
    """A second app on the same database (``app`` made the accounts) with tight limits."""
    storage = None
    if request.param == "redis":
        assert _redis_up(), "Redis must answer at 127.0.0.1:6379 (scripts/ensure-services.sh)"
        storage = REDIS_URL
    settings = make_settings(
        migrated_url, upstreams, ratelimit_enabled=True, ratelimit_storage_uri=storage,
        ratelimit_eligibility="3 per minute", ratelimit_per_principal="4 per minute",
        ratelimit_per_address="1000 per minute", ratelimit_login="1000 per minute",
    )
    limited = create_app(settings)
    limited.extensions["gateway.limiter"].reset()  # Redis keeps an earlier run's windows
    return limited


def _address() -> dict[str, str]:
    return {"REMOTE_ADDR": f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7"}


def test_eligibility_check_is_limited_per_client_address(limited_app: Flask) -> None:
    client = limited_app.test_client()
    me, other = _address(), _address()
    for _ in range(3):
        assert client.post("/api/v1/eligibility/check", json={}, environ_base=me
                           ).status_code == 200
    resp = client.post("/api/v1/eligibility/check", json={}, environ_base=me)
    assert resp.status_code == 429
    assert_error_shape(resp.get_json(), 429)
    assert 1 <= int(resp.headers["Retry-After"]) <= 60
    assert client.post("/api/v1/eligibility/check", json={}, environ_base=other
                       ).status_code == 200


def test_principal_limit_applies_to_every_route_of_that_principal(limited_app: Flask) -> None:
    client = limited_app.test_client()
    env = _address()
    login = client.post("/api/v1/auth/login", json={"username": "viewer", "password": PASSWORD},
                        environ_base=env)
    assert login.status_code == 200, login.get_json()
    headers = {"Authorization": f"Bearer {login.get_json()['access_token']}"}
    statuses = [client.get("/api/v1/me", headers=headers, environ_base=_address()).status_code
                for _ in range(8)]
    assert 429 in statuses and statuses[0] == 200
    refused = client.get("/api/v1/me", headers=headers, environ_base=_address())
    assert refused.status_code == 429
    assert_error_shape(refused.get_json(), 429)
    assert int(refused.headers["Retry-After"]) >= 1
