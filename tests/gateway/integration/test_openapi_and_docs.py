"""The aggregated OpenAPI document and the docs page: over recording upstreams, then in front
of the real registry, scoring and notify (valid 3.0.3, the real error shape, auth requirements,
405 for methods nobody serves, the pagination dialect through the gateway, and schemathesis's
conformance checks signed in as the curator)."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from gateway_testkit import INTERNAL_TOKEN
from gateway_testkit import PASSWORD
from gateway_testkit import USCC_A
from gateway_testkit import USCC_B
from gateway_testkit import RecordingUpstream
from gateway_testkit import assert_error_shape
from gateway_testkit import bearer
from gateway_testkit import gateway_before
from gateway_testkit import json_response
from openapi_spec_validator import validate

sys.path.insert(0, str(Path(__file__).parents[2]))  # tests/: the shared conformance kit

from conformance_kit import run_conformance  # noqa: E402
from openapi_walk import unpaged_lists  # noqa: E402
from service_apps import migrated_service_apps  # noqa: E402

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
    assert ref == "#/components/schemas/scoring_Error"  # a clash is renamed, not overwritten
    # ... to a name (and title, which generators name classes by) no other component has
    assert doc["components"]["schemas"]["scoring_Error"]["title"] == "scoring_Error"
    assert doc["paths"]["/api/v1/eligibility/check"]["post"]["security"] == []
    assert "/api/v1/me/profile" in doc["paths"]
    assert doc["x-yumiao-unavailable"] == ["notify"]


def test_docs_page_lists_operations_without_external_assets(client: FlaskClient) -> None:
    resp = client.get("/api/docs")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "/api/v1/auth/login" in html
    assert "http://" not in html.replace("http://127.0.0.1", "") and "https://" not in html


# --- The merged document in front of the real services ---------------------------------------

@pytest.fixture(scope="module")
def live(make_sqlite_url: Callable[[str], str], migrated_url: str, app: Flask,
         upstreams: dict[str, RecordingUpstream]) -> Iterator[Flask]:
    """A gateway in front of the real services (``app`` made the accounts), one firm each."""
    apps = migrated_service_apps(make_sqlite_url, prefix="doc", token=INTERNAL_TOKEN,
                                 log_level="ERROR")
    firms = {USCC_A: "甲公司 / Doc Co", USCC_B: "乙公司 / Other Doc Co"}
    with gateway_before(apps, migrated_url, upstreams, firms) as gateway:
        yield gateway


@pytest.fixture(scope="module")
def merged(live: Flask) -> dict[str, Any]:
    doc = live.test_client().get("/api/v1/openapi.json").get_json()
    assert doc["x-yumiao-unavailable"] == []
    return dict(doc)


def _operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in ("get", "put", "post", "patch", "delete"):
                yield method, path, op


def test_the_merged_document_is_valid_openapi_3_0(merged: dict[str, Any]) -> None:
    validate(merged)
    assert merged["openapi"] == "3.0.3"
    assert len(list(_operations(merged))) > 90


def test_the_gateway_answers_the_one_error_shape_and_documents_it(
    merged: dict[str, Any]
) -> None:
    error = merged["components"]["schemas"]["Error"]
    assert error["properties"]["error"] == {"$ref": "#/components/schemas/ErrorBody"}
    assert not any(name.endswith("_Error") for name in merged["components"]["schemas"])
    for method, path, op in _operations(merged):
        assert "default" not in op["responses"], (method, path)
        for status, response in op["responses"].items():
            if int(status) >= 400:
                while "$ref" in response:
                    response = merged["components"]["responses"][response["$ref"].rsplit("/")[-1]]
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, status)


def test_auth_requirements_are_documented_on_every_operation(merged: dict[str, Any]) -> None:
    public = set()
    for method, path, op in _operations(merged):
        assert {"401", "429"} <= set(op["responses"]), (method, path)
        if op["security"] == []:
            public.add(f"{method.upper()} {path}")
        else:
            assert op["security"] in ([{"bearerAuth": []}, {"cookieAuth": []},
                                       {"apiKeyAuth": []}], [{"cookieAuth": []}]), (method, path)
            assert "403" in op["responses"], (method, path)
        if op.get("x-yumiao-service"):  # reaches a service: its failures are the gateway's 5xx
            assert {"502", "503", "504"} <= set(op["responses"]), (method, path)
        for param in op.get("parameters", []):  # the gateway sets these itself
            assert param["name"].lower() not in ("x-actor", "x-internal-token"), (method, path)
    assert {"POST /api/v1/auth/login", "POST /api/v1/eligibility/check",
            "GET /api/v1/reference/towns"} <= public
    assert "GET /api/v1/enterprises" not in public and "GET /api/v1/me" not in public
    assert merged["paths"]["/api/v1/accounts"]["get"]["responses"]["403"]
    assert merged["paths"]["/api/v1/accounts"]["get"]["x-yumiao-roles"] == ["admin"]
    assert merged["paths"]["/api/v1/auth/session"]["get"]["security"] == [{"cookieAuth": []}]
    assert "anonymous" in merged["paths"]["/api/v1/auth/login"]["post"]["x-yumiao-roles"]
    assert all(op.get("x-yumiao-roles") for _, _, op in _operations(merged))
    assert set(merged["components"]["securitySchemes"]) == {"bearerAuth", "cookieAuth",
                                                             "apiKeyAuth"}


def test_me_operations_carry_the_schemas_of_what_they_forward_to(
    merged: dict[str, Any]
) -> None:
    notices = merged["paths"]["/api/v1/me/notices"]["get"]
    names = {p["name"] for p in notices["parameters"]}
    assert {"limit", "cursor", "read"} <= names and "uscc" not in names
    assert notices["responses"]["200"] == \
        merged["paths"]["/api/v1/enterprises/{uscc}/notices"]["get"]["responses"]["200"]
    one = merged["paths"]["/api/v1/me/notices/{id}"]["patch"]
    assert [p["name"] for p in one["parameters"] if p["in"] == "path"] == ["id"]
    assert "requestBody" in one
    evaluate = merged["paths"]["/api/v1/me/evaluate"]["post"]
    assert evaluate["requestBody"] == merged["paths"]["/api/v1/evaluate"]["post"]["requestBody"]
    ids = [op.get("operationId") for _, _, op in _operations(merged)]
    assert len(ids) == len(set(ids)) and None not in ids  # a generator needs unique names


@pytest.mark.parametrize(("method", "path", "allow"), [
    ("PUT", "/api/v1/auth/login", "POST"),
    ("GET", "/api/v1/auth/logout", "POST"),
    ("PUT", "/api/v1/me", "GET"),
    ("PUT", "/api/v1/accounts", "GET, POST"),
    ("DELETE", "/api/v1/me/profile", "GET"),
    ("POST", "/api/v1/me/preferences", "GET, PUT"),
    ("PUT", "/api/v1/me/sign-ins", "GET"),  # the gateway's own /me path, asked by a firm
])
def test_a_method_the_gateway_does_not_serve_is_405_with_allow(
    live: Flask, method: str, path: str, allow: str
) -> None:
    client = live.test_client()
    headers = bearer(client, USCC_A if "/me/" in path else "curator", PASSWORD)
    resp = client.open(path, method=method, headers=headers)
    assert resp.status_code == 405, (method, path, resp.get_json())
    assert_error_shape(resp.get_json(), 405)
    allowed = set(resp.headers["Allow"].split(", "))
    assert set(allow.split(", ")) <= allowed and method not in allowed


@pytest.mark.parametrize("path", ["/api/v1/policies", "/api/v1/notices", "/api/v1/parking",
                                  f"/api/v1/enterprises/{USCC_A}/notices", "/api/v1/me/notices"])
@pytest.mark.parametrize("query", ["page=8894556888597353304424448",
                                   "limit=8894556888597353304424448", "cursor=%7B%7D"])
def test_huge_page_numbers_through_the_gateway_are_422_not_500(
    live: Flask, path: str, query: str
) -> None:
    client = live.test_client()
    who = USCC_A if path.startswith("/api/v1/me/") else "admin"
    resp = client.get(f"{path}?{query}", headers=bearer(client, who, PASSWORD))
    assert resp.status_code == 422, (path, query, resp.get_json())
    assert_error_shape(resp.get_json(), 422)
    assert query.split("=")[0] in resp.get_json()["error"]["fields"]


#: What the gateway implements itself: its own routes, the /me rewrites, the self-check.
GATEWAY_OWN = r"^/api/v1/(auth|me|accounts|eligibility)(/|$)"


def test_schemathesis_conformance_checks_find_nothing_signed_in_as_curator(live: Flask) -> None:
    """Every operation fuzzed (examples, fuzzing, stateful); the coverage phase — hundreds of
    boundary cases per operation — over the gateway's own operations, as the services' own
    suites run it over theirs (a forwarded request is validated by the service, unchanged)."""
    headers = bearer(live.test_client(), "curator", PASSWORD)
    found = run_conformance(live, headers=headers, max_examples=4, stateful_steps=6,
                            parameters={"uscc": USCC_A},
                            phases=("examples", "fuzzing", "stateful"))
    found += run_conformance(live, headers=headers, max_examples=4, parameters={"uscc": USCC_A},
                             phases=("coverage",), path_regex=GATEWAY_OWN)
    assert not found, "\n".join(str(f) for f in found)


def test_the_gateways_own_lists_speak_the_pagination_dialect(
    client: FlaskClient, merged: dict[str, Any]
) -> None:
    admin = bearer(client, "admin", PASSWORD)
    for path in ("/api/v1/accounts", "/api/v1/accounts/api-keys"):
        params = {p["name"]: p for p in merged["paths"][path]["get"]["parameters"]}
        assert params["limit"]["schema"]["maximum"] == 200 and "cursor" in params
        seen: list[str] = []
        query = "?limit=2"
        while True:
            page = client.get(path + query, headers=admin).get_json()
            assert set(page) == {"items", "next_cursor", "total"}, page
            seen += [row.get("username") or row["name"] for row in page["items"]]
            if page["next_cursor"] is None:
                break
            query = f"?limit=2&cursor={page['next_cursor']}"
        assert len(seen) == page["total"] and seen == sorted(set(seen)), path
    for query in ("page=2", "limit=0", "limit=99999999999999999999", "cursor=%%%"):
        resp = client.get(f"/api/v1/accounts?{query}", headers=admin)
        assert resp.status_code == 422, (query, resp.get_json())
        assert query.split("=")[0] in resp.get_json()["error"]["fields"]
    stale = client.patch(f"/api/v1/accounts/{uuid.uuid4()}", headers=admin,
                         json={"version": 2**63})
    assert stale.status_code == 422 and "version" in stale.get_json()["error"]["fields"]


def test_no_get_of_the_merged_document_answers_a_list_outside_the_dialect(
    merged: dict[str, Any]
) -> None:
    """Every list a client reaches through the gateway — the services', the ``/me/…``
    rewrites and the gateway's own — pages one way (``openapi_walk.unpaged_lists``)."""
    assert unpaged_lists(merged) == []


def test_the_gateways_timestamps_carry_their_offset_even_from_sqlite() -> None:
    from datetime import datetime

    from gateway.api.accounts.schemas import ApiKeyOut

    naive = datetime(2026, 12, 6, 4, 30, 0, 123456)  # how SQLite hands back a stored UTC time
    dumped = ApiKeyOut().dump({"created_at": naive, "revoked_at": None})
    assert dumped == {"created_at": "2026-12-06T04:30:00.123456+00:00", "revoked_at": None}
