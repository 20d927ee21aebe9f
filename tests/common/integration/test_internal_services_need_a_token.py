"""Internal services refuse to start without the gateway's token, except in demo mode.

Without ``internal_token`` every route of registry, scoring and notify would be open to
whoever reaches the port; before, they started silently. The check is
``yumiao_common.web.require_internal_token``, called first by each ``create_app``.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from pydantic import SecretStr

from yumiao_common.web.wiring import MissingInternalToken

SERVICES = ("registry", "scoring", "notify")


def build(service: str, tmp_path: Path, **settings: Any) -> Flask:
    app_module = importlib.import_module(f"{service}.app")
    settings_module = importlib.import_module(f"{service}.settings")
    url = f"sqlite:///{tmp_path / service}.db"
    app: Flask = app_module.create_app(settings_module.Settings(
        database_url=url, log_json=False, log_level="WARNING", **settings))
    return app


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("token", [None, ""])
def test_without_a_token_outside_demo_mode_the_service_refuses_to_start_naming_the_setting(
    service: str, token: str | None, tmp_path: Path,
) -> None:
    internal_token = None if token is None else SecretStr(token)
    with pytest.raises(MissingInternalToken) as refused:
        build(service, tmp_path, internal_token=internal_token, demo_mode=False)
    assert f"{service.upper()}_INTERNAL_TOKEN" in str(refused.value)


@pytest.mark.parametrize("service", SERVICES)
def test_with_a_token_the_service_starts_and_only_answers_the_gateway(
    service: str, tmp_path: Path,
) -> None:
    app = build(service, tmp_path, internal_token=SecretStr("s3cret"), demo_mode=False)
    client = app.test_client()
    assert client.get("/api/v1/openapi.json").status_code == 401
    ok = client.get("/api/v1/openapi.json", headers={"X-Internal-Token": "s3cret"})
    assert ok.status_code == 200


@pytest.mark.parametrize("service", SERVICES)
def test_demo_mode_starts_without_a_token(service: str, tmp_path: Path) -> None:
    app = build(service, tmp_path, internal_token=None, demo_mode=True)
    assert app.test_client().get("/healthz").status_code == 200
