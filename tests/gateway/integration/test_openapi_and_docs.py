"""The aggregated OpenAPI document and the docs page, over recording upstreams."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from gateway_testkit import RecordingUpstream
from gateway_testkit import json_response

pytestmark = pytest.mark.integration


def _doc(path: str, schema_name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3", "info": {"title": "x", "version": "1"},
        "paths": {path: {"get": {"summary": "s", "responses": {"200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref":
                                                        f"#/components/schemas/{schema_name}"}}}}}}},
                  "/healthz": {"get": {"responses": {}}}},
        "components": {"schemas": {schema_name: schema},
                       "securitySchemes": {"internal": {"type": "apiKey", "in": "header",
                                                        "name": "X-Internal-Token"}}},
    }


def test_documents_are_merged_with_public_security_schemes(
    client: FlaskClient, upstreams: dict[str, RecordingUpstream]
) -> None:
    upstreams["registry"].routes[("GET", "/api/v1/openapi.json")] = json_response(
        _doc("/api/v1/enterprises/{uscc}", "Error", {"type": "object", "title": "registry"}))
    upstreams["scoring"].routes[("GET", "/api/v1/openapi.json")] = json_response(
        _doc("/api/v1/rankings/{tier}", "Error", {"type": "object", "title": "scoring"}))
    upstreams["notify"].routes[("GET", "/api/v1/openapi.json")] = json_response({}, status=503)
    doc = client.get("/api/v1/openapi.json").get_json()
    assert set(doc["components"]["securitySchemes"]) == {"bearerAuth", "cookieAuth", "apiKeyAuth"}
    assert "/api/v1/auth/login" in doc["paths"] and "/api/v1/enterprises/{uscc}" in doc["paths"]
    assert "/healthz" not in doc["paths"]
    op = doc["paths"]["/api/v1/rankings/{tier}"]["get"]
    assert op["x-yumiao-roles"] == ["viewer", "curator", "admin"]
    ref = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/scoring.Error"  # a clash is renamed, not overwritten
    assert doc["paths"]["/api/v1/eligibility/check"]["post"]["security"] == []
    assert "/api/v1/me/profile" in doc["paths"]
    assert doc["x-yumiao-unavailable"] == ["notify"]


def test_docs_page_lists_operations_without_external_assets(client: FlaskClient) -> None:
    resp = client.get("/api/docs")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "/api/v1/auth/login" in html
    assert "http://" not in html.replace("http://127.0.0.1", "") and "https://" not in html
