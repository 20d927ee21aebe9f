"""``flask create-demo-accounts``: demo mode only, five enterprises in the registry's order."""

from __future__ import annotations

import pytest
from flask import Flask
from gateway_testkit import RecordingUpstream
from gateway_testkit import json_response
from gateway_testkit import make_settings

from gateway.app import create_app
from yumiao_common.identifiers import generate_uscc

pytestmark = pytest.mark.integration
CODES = [generate_uscc("91", "371502", f"MA3D{i:04d}") for i in range(6)]


def test_refused_outside_demo_mode(migrated_url: str, upstreams: dict[str, RecordingUpstream],
                                   app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["create-demo-accounts"])
    assert result.exit_code == 2 and "demo mode" in result.output


def test_creates_staff_and_first_five_enterprises_with_the_demo_password(
    make_pg_database, upstreams: dict[str, RecordingUpstream],  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from alembic import command

    from gateway.cli import alembic_config

    url = make_pg_database("gwdemo")
    command.upgrade(alembic_config(url), "head")
    demo = create_app(make_settings(url, upstreams, demo_mode=True))
    upstreams["registry"].routes[("GET", "/api/v1/enterprises")] = json_response(
        {"items": [{"uscc": c, "name": f"企业{i}"} for i, c in enumerate(CODES[:5])],
         "next_cursor": "eyJpZCI6NX0", "total": 6})
    monkeypatch.setenv("YUMIAO_DEMO_PASSWORD", "demo-pass-123")
    result = demo.test_cli_runner().invoke(args=["create-demo-accounts"])
    assert result.exit_code == 0, result.output
    assert upstreams["registry"].calls[0].query == "limit=5"
    for name in ("admin", "curator", "viewer", *CODES[:5]):
        assert name in result.output
    assert CODES[5] not in result.output
    client = demo.test_client()
    login = client.post("/api/v1/auth/login",
                        json={"username": CODES[0], "password": "demo-pass-123"})
    assert login.get_json()["principal"]["uscc"] == CODES[0]
    again = demo.test_cli_runner().invoke(args=["create-demo-accounts"])
    assert again.exit_code == 0  # idempotent: running `make up` twice works
