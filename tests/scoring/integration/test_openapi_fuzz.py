"""Scoring's OpenAPI document tells the truth: valid 3.0.3 (the pydantic Profile rendered as
3.0.3, not JSON Schema 2020-12), bounded inputs, the real error shape, and schemathesis with
its conformance checks finds nothing against the real PostgreSQL database.

The app runs as deployed behind the gateway (internal token required). Two bounded, seeded
engine runs (all phases): generated path parameters, then paths pinned to an enterprise with
stored evaluations, a real tier and a real local parameter so the generated requests reach
the handlers and the stored read model.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from openapi_spec_validator import validate
from pydantic import SecretStr
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from scoring.app import create_app
from scoring.handlers.profiles import apply_enterprise_changes
from scoring.settings import Settings
from yumiao_common.contracts.registry import EnterpriseChanged

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from conformance_kit import run_conformance  # noqa: E402
from openapi_walk import unbounded_numeric_inputs  # noqa: E402

pytestmark = [pytest.mark.integration, pytest.mark.slow]
TOKEN = "scoring-conformance-token-0123456789"
HEADERS = {"X-Internal-Token": TOKEN, "X-Actor": "schemathesis"}
EXAMPLES = 8


@pytest.fixture(scope="module")
def token_app(database_url: str) -> Flask:
    return create_app(Settings(database_url=database_url, log_json=False, log_level="CRITICAL",
                               parameter_cache_seconds=0, internal_token=SecretStr(TOKEN)))


def _document(app: Flask) -> dict[str, Any]:
    resp = app.test_client().get("/api/v1/openapi.json", headers=HEADERS)
    assert resp.status_code == 200
    return dict(resp.json)


def test_the_document_is_valid_3_0_3_with_bounded_numeric_inputs(token_app: Flask) -> None:
    doc = _document(token_app)
    validate(doc)  # pydantic's `type: null` / `propertyNames` made it invalid before
    assert doc["openapi"] == "3.0.3"
    assert "propertyNames" not in str(doc) and "'null'" not in str(doc)
    assert unbounded_numeric_inputs(doc) == []


def test_errors_are_documented_with_the_real_shape_on_every_operation(token_app: Flask
                                                                      ) -> None:
    doc = _document(token_app)
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            responses = operation["responses"]
            assert "default" not in responses and "401" in responses, (method, path)
            for status, response in responses.items():
                if status.startswith("4"):
                    ref = response.get("$ref", "")
                    body = doc["components"]["responses"][ref.rsplit("/", 1)[1]] if ref \
                        else response
                    assert body["content"]["application/json"]["schema"] == {
                        "$ref": "#/components/schemas/Error"}, (method, path, status)
    put = doc["paths"]["/api/v1/parameters/{parameter_id}"]["put"]
    assert "409" in put["responses"]
    assert any(p["name"] == "X-Actor" and p["required"] for p in put["parameters"])


def _pinned(app: Flask, factory: sessionmaker[Session], make_profile: Callable[..., Any],
            enterprise_changed: Callable[..., EnterpriseChanged]) -> dict[str, Any]:
    profile = make_profile()
    with factory.begin() as session:
        apply_enterprise_changes(session, events=[enterprise_changed(profile)])
    client = app.test_client()
    parameters = client.get("/api/v1/parameters", headers=HEADERS).json["items"]
    return {"path.uscc": profile["enterprise"]["uscc"], "path.tier": "hnte",
            "path.parameter_id": parameters[0]["id"]}


def test_schemathesis_conformance_finds_nothing(
        token_app: Flask, factory: sessionmaker[Session], make_profile: Callable[..., Any],
        enterprise_changed: Callable[..., EnterpriseChanged]) -> None:
    found = [f.report() for f in run_conformance(token_app, headers=HEADERS,
                                                 max_examples=EXAMPLES)]
    pinned = _pinned(token_app, factory, make_profile, enterprise_changed)
    found += [f"(pinned) {f.report()}" for f in run_conformance(
        token_app, headers=HEADERS, max_examples=EXAMPLES, parameters=pinned)]
    assert found == [], "\n".join(found)
