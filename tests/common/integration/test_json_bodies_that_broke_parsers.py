"""JSON that Python's parser cannot take is a 4xx in every service, never a 500.

Found by replaying crafted bodies at every service (issue 9, "never a 500 for any input"):
webargs lets the decoder's ``RecursionError`` (about a thousand nested brackets) and its bare
``ValueError`` for an integer of more than 4,300 digits through, and an escaped unpaired
surrogate (``"\\ud800"``) parses but cannot be encoded for the database. Registry and notify
answered 500 to all three; the shared wiring (``yumiao_common.web.wiring``) now refuses them
before a
route runs. Positive controls: many brackets side by side, a 4,000-digit-free body and a real
surrogate pair (an emoji) still pass.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

TESTS = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(TESTS), str(TESTS / "registry")]
from registry_testkit import enterprise_body  # noqa: E402
from registry_testkit import new_uscc  # noqa: E402
from request_bodies import CountingBody  # noqa: E402
from service_apps import migrated_service_apps  # noqa: E402

pytestmark = pytest.mark.integration
TOKEN = "json-guard-internal-token"
CURATOR = {"X-Actor": "user:curator", "X-Internal-Token": TOKEN}


@pytest.fixture(scope="module")
def services(make_sqlite_url: Callable[[str], str]) -> dict[str, Flask]:
    return migrated_service_apps(make_sqlite_url, prefix="json", token=TOKEN,
                                 log_level="CRITICAL")


@pytest.fixture(scope="module")
def uscc(services: dict[str, Flask]) -> str:
    uscc = new_uscc()
    resp = services["registry"].test_client().post(
        "/api/v1/enterprises", json=enterprise_body(uscc), headers=CURATOR)
    assert resp.status_code == 201, resp.get_json()
    return uscc


TARGETS = [
    ("registry", "POST", "/api/v1/enterprises"),
    ("registry", "PATCH", "/api/v1/enterprises/{uscc}"),
    ("registry", "PUT", "/api/v1/enterprises/{uscc}/financials/2023"),
    ("scoring", "POST", "/api/v1/evaluate"),
    ("notify", "PUT", "/api/v1/enterprises/{uscc}/preferences"),
    ("notify", "POST", "/api/v1/policies"),
]
UNPARSEABLE = {
    "1e5 nested arrays": b"[" * 100_000,
    "2e4 nested objects": b'{"name": ' * 20_000,
    "5,000-digit integer": b'{"name": "x", "version": ' + b"9" * 5000 + b"}",
}


def _send(client: FlaskClient, method: str, path: str, body: bytes) -> Any:
    return client.open(path, method=method, data=body, content_type="application/json",
                       headers={**CURATOR, "If-Match": '"1"'})


def _state(services: dict[str, Flask], uscc: str) -> list[Any]:
    registry, notify = services["registry"].test_client(), services["notify"].test_client()
    return [registry.get(f"/api/v1/enterprises/{uscc}", headers=CURATOR).get_json(),
            registry.get("/api/v1/enterprises?limit=200", headers=CURATOR).get_json(),
            notify.get(f"/api/v1/enterprises/{uscc}/preferences", headers=CURATOR).get_json()]


@pytest.mark.parametrize("body", UNPARSEABLE.values(), ids=UNPARSEABLE.keys())
@pytest.mark.parametrize(("service", "method", "path"), TARGETS)
def test_json_the_parser_cannot_take_is_a_400_that_changes_nothing(
    services: dict[str, Flask], uscc: str, service: str, method: str, path: str, body: bytes,
) -> None:
    before = _state(services, uscc)
    resp = _send(services[service].test_client(), method, path.format(uscc=uscc), body)
    assert resp.status_code == 400, (service, path, resp.get_json())
    error = resp.get_json()["error"]
    assert error["status"] == 400 and " / " in error["message"]
    [reason] = error["fields"]["_schema"]
    assert "JSON" in reason and " / " in reason
    assert _state(services, uscc) == before


@pytest.mark.parametrize(("service", "method", "path"), TARGETS)
def test_an_unpaired_surrogate_is_a_422_naming_the_field(
    services: dict[str, Flask], uscc: str, service: str, method: str, path: str,
) -> None:
    before = _state(services, uscc)
    body = b'{"name": "\\ud800x", "language": "zh-CN", "note": ["ok", "\\udfff"]}'
    resp = _send(services[service].test_client(), method, path.format(uscc=uscc), body)
    assert resp.status_code == 422, (service, path, resp.get_json())
    fields = resp.get_json()["error"]["fields"]
    assert set(fields) == {"name", "note.1"} and "surrogate" in fields["name"][0]
    assert _state(services, uscc) == before


def test_many_brackets_side_by_side_and_a_real_surrogate_pair_still_pass(
    services: dict[str, Flask], uscc: str,
) -> None:
    registry = services["registry"].test_client()
    current = registry.get(f"/api/v1/enterprises/{uscc}", headers=CURATOR).get_json()
    resp = registry.patch(f"/api/v1/enterprises/{uscc}", json={"name": "\U0001f331 育苗有限公司"},
                          headers={**CURATOR, "If-Match": f'"{current["version"]}"'})
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["name"] == "\U0001f331 育苗有限公司"
    # 600 IP items: more brackets than the guard parses again for, only three levels deep
    profile = {"as_of": "2025-06-30", "enterprise": {"uscc": uscc, "name": "育苗"},
               "ip": [{"kind": "software_copyright", "number": f"2023SR{i:06d}",
                       "granted_on": "2023-05-01", "acquired_by": "self_developed",
                       "related_to_main_product": True} for i in range(600)]}
    resp = services["scoring"].test_client().post("/api/v1/evaluate", json=profile,
                                                  headers=CURATOR)
    assert resp.status_code == 200, resp.get_json()


LIST_TARGETS = [
    ("registry", "PATCH", "/api/v1/enterprises/{uscc}", "main_product_fields"),
    ("notify", "PUT", "/api/v1/enterprises/{uscc}/preferences", "channels"),
]


@pytest.mark.parametrize(("service", "method", "path", "field"), LIST_TARGETS)
def test_a_json_body_over_256_kib_is_a_413_before_it_is_parsed(
    services: dict[str, Flask], uscc: str, service: str, method: str, path: str, field: str,
) -> None:
    """13.5 MB of one bad list held a registry worker for 20 s of CPU and answered 243 MB."""
    body = b'{"language": "zh-CN", "%s": [%s"x"]}' % (field.encode(), b'"x", ' * 60_000)
    assert len(body) > 256 * 1024
    before = _state(services, uscc)
    resp = _send(services[service].test_client(), method, path.format(uscc=uscc), body)
    assert resp.status_code == 413, resp.get_json()
    assert resp.get_json()["error"]["details"] == {"max_bytes": 256 * 1024}
    assert _state(services, uscc) == before


@pytest.mark.parametrize(("service", "method", "path", "field"), LIST_TARGETS)
def test_a_list_of_many_bad_items_names_a_hundred_and_counts_the_rest(
    services: dict[str, Flask], uscc: str, service: str, method: str, path: str, field: str,
) -> None:
    body = b'{"language": "zh-CN", "%s": [%s"x"]}' % (field.encode(), b'"x", ' * 40_000)
    resp = _send(services[service].test_client(), method, path.format(uscc=uscc), body)
    assert resp.status_code == 422, resp.get_json()
    error = resp.get_json()["error"]
    assert len(error["fields"]) == 100 and f"{field}.0" in error["fields"]
    assert error["details"]["fields_not_shown"] >= 40_001 - 100  # plus any other field named
    assert len(resp.data) < 64 * 1024


@pytest.mark.parametrize("body", [b'{"name": "\\u0000"}', b"[" * 100_000, b'{"name": "\\ud800"}'])
@pytest.mark.parametrize(("service", "method", "path"), TARGETS)
def test_without_the_internal_token_no_body_is_read(
    services: dict[str, Flask], uscc: str, service: str, method: str, path: str, body: bytes,
) -> None:
    stream = CountingBody(body)
    resp = services[service].test_client().open(
        path.format(uscc=uscc), method=method, input_stream=stream,
        content_type="application/json", headers={"X-Actor": "user:curator"})
    assert resp.status_code == 401, resp.get_json()
    assert stream.read_bytes == 0
