"""The registry's OpenAPI document tells the truth: valid 3.0.3, bounded inputs, and
schemathesis with its conformance checks finds nothing against the real PostgreSQL database.

The app runs as deployed behind the gateway (internal token required), so the documented
401s are real. Two bounded, seeded engine runs (all phases: examples, coverage, fuzzing,
stateful): one with generated path parameters (mostly unknown credit codes — the 404 paths)
and one with the path pinned to an enterprise in a pool with a record of each kind, so the
generated bodies reach validation, the handlers and the database. The failures found are
listed all at once.
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
from registry_testkit import create_enterprise
from registry_testkit import new_uscc
from registry_testkit import nominate

from registry.adapters.sql.migrations import upgrade_head
from registry.app import create_app
from registry.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from conformance_kit import run_conformance  # noqa: E402
from openapi_walk import unbounded_numeric_inputs  # noqa: E402

pytestmark = [pytest.mark.integration, pytest.mark.slow]
TOKEN = "registry-conformance-token-0123456789"
HEADERS = {"X-Internal-Token": TOKEN, "X-Actor": "schemathesis"}
EXAMPLES = 5


@pytest.fixture(scope="module")
def pg_app(make_pg_database: Callable[[str], str]) -> Flask:
    url = make_pg_database("registry_fuzz")
    upgrade_head(url)
    return create_app(Settings(database_url=url, log_json=False, log_level="CRITICAL",
                               internal_token=SecretStr(TOKEN), max_content_length=64 * 1024))


def _document(app: Flask) -> dict[str, Any]:
    resp = app.test_client().get("/api/v1/openapi.json", headers=HEADERS)
    assert resp.status_code == 200
    return dict(resp.json)


def test_the_document_is_valid_3_0_3_with_bounded_numeric_inputs(pg_app: Flask) -> None:
    doc = _document(pg_app)
    validate(doc)
    assert doc["openapi"] == "3.0.3"
    assert unbounded_numeric_inputs(doc) == []


def test_errors_are_documented_with_the_real_shape_on_every_operation(pg_app: Flask) -> None:
    doc = _document(pg_app)
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            responses = operation["responses"]
            assert "default" not in responses, (method, path)
            assert "401" in responses, (method, path)
            for status, response in responses.items():
                if status.startswith(("4", "5")):
                    ref = response.get("$ref", "")
                    body = doc["components"]["responses"][ref.rsplit("/", 1)[1]] if ref \
                        else response
                    schema = body["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, (method, path)
    stale = doc["paths"]["/api/v1/enterprises/{uscc}"]["patch"]["responses"]
    assert {"409", "422", "428"} <= set(stale)


def _pinned(app: Flask) -> dict[str, Any]:
    client = app.test_client()
    client.environ_base.update({"HTTP_X_INTERNAL_TOKEN": TOKEN, "HTTP_X_ACTOR": "fixture"})
    uscc = new_uscc()
    create_enterprise(client, uscc)
    nominate(client, "hnte_reserve", uscc)
    made = client.post(f"/api/v1/enterprises/{uscc}/awards", json={"level": "national",
                                                                   "year": 2024})
    assert made.status_code == 201, made.json
    return {"path.uscc": uscc, "path.pool": "hnte_reserve", "path.year": 2024,
            "path.record_id": made.json["id"]}


def test_schemathesis_conformance_finds_nothing(pg_app: Flask) -> None:
    found = [f.report() for f in run_conformance(pg_app, headers=HEADERS,
                                                 max_examples=EXAMPLES)]
    found += [f"(pinned) {f.report()}" for f in run_conformance(
        pg_app, headers=HEADERS, max_examples=EXAMPLES, parameters=_pinned(pg_app))]
    assert found == [], "\n".join(found)
