# mypy: disable-error-code="index,union-attr"
"""notify's OpenAPI document tells the truth, and schemathesis's conformance checks agree.

The document must be valid OpenAPI 3.0.3, document the one error shape on every error status,
speak the project's pagination dialect on every list (``limit``/``cursor`` →
``items``/``next_cursor``/``total``; a huge page number used to be a 500) and bound every
number it accepts. The last test runs schemathesis's engine (all four phases, the ten
conformance checks, seeded and bounded) over the app on the real PostgreSQL database, with
the paths pinned to a real enterprise with notices, a real policy and a parked message so the
generated requests reach the handlers and not only the 404s.
"""

from __future__ import annotations

import base64
import json
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from notify_testkit import BUREAU
from notify_testkit import eligibility
from notify_testkit import new_uscc
from openapi_spec_validator import validate
from pydantic import SecretStr
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from notify.adapters.sql.migrations import upgrade_head
from notify.app import create_app
from notify.domain.templates import TemplateSet
from notify.handlers.notices import process_events
from notify.handlers.policies import seed_policies
from notify.models.parked import ParkedMessage
from notify.settings import Settings
from yumiao_common.db.engine import make_engine
from yumiao_common.db.engine import make_session_factory
from yumiao_common.web.wiring import INTERNAL_TOKEN_HEADER

sys.path.insert(0, str(Path(__file__).parents[2]))  # tests/: the shared conformance kit

from conformance_kit import run_conformance  # noqa: E402

pytestmark = pytest.mark.integration
TOKEN = "notify-conformance-internal-token"
LISTS = ("/api/v1/policies", "/api/v1/notices", "/api/v1/enterprises/{uscc}/notices",
         "/api/v1/parking", "/api/v1/policies/{code}/audit",
         "/api/v1/enterprises/{uscc}/preferences/audit")


@pytest.fixture(scope="module")
def doc(app: Flask) -> dict[str, Any]:
    body = app.test_client().get("/api/v1/openapi.json").json
    assert isinstance(body, dict)
    return body


def _notices_for(sessions: sessionmaker[Session], uscc: str, tiers: tuple[str, ...]) -> None:
    with sessions.begin() as session:
        process_events(session, [eligibility(uscc, tier) for tier in tiers],
                       templates=TemplateSet(), weekly_cap=50)


def test_the_document_is_valid_openapi_3_0(doc: dict[str, Any]) -> None:
    validate(doc)
    assert doc["openapi"] == "3.0.3"


def _resolve(doc: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        kind, name = node["$ref"].split("/")[-2:]
        node = doc["components"][kind][name]
    return node


def test_every_error_status_documents_the_real_error_shape(doc: dict[str, Any]) -> None:
    checked = 0
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method == "parameters":
                continue
            assert "default" not in op["responses"], (method, path)  # no catch-all
            for status, response in op["responses"].items():
                if int(status) < 400:
                    continue
                schema = _resolve(doc, response)["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, status)
                checked += 1
    error = _resolve(doc, {"$ref": "#/components/schemas/Error"})
    body = _resolve(doc, error["properties"]["error"])
    assert set(body["properties"]) == {"code", "status", "message", "fields", "details"}
    assert checked > 50


def test_every_list_speaks_the_pagination_dialect(doc: dict[str, Any]) -> None:
    for path in LISTS:
        op = doc["paths"][path]["get"]
        params = {p["name"]: p for p in op["parameters"] if p["in"] == "query"}
        assert {"page", "per_page"}.isdisjoint(params), path
        assert params["limit"]["schema"]["minimum"] == 1, path
        assert params["limit"]["schema"]["maximum"] == 200, path
        assert params["cursor"]["schema"]["maxLength"] == 512, path
        page = _resolve(doc, op["responses"]["200"]["content"]["application/json"]["schema"])
        assert {"items", "next_cursor", "total"} <= set(page["properties"]), path


@pytest.mark.parametrize(("query", "field"), [
    ("page=18446744073709551617", "page"),  # page numbers are gone: an unknown parameter
    ("limit=25168437337083864166808785885258055680", "limit"),
    ("limit=0", "limit"),
    ("limit=201", "limit"),
    ("cursor=not-a-cursor", "cursor"),
    ("cursor=" + "A" * 600, "cursor"),
    ("cursor=" + base64.urlsafe_b64encode(b'{"code": 5}').decode().rstrip("="), "cursor"),
])
def test_bad_page_arguments_are_422_naming_the_parameter(
    client: FlaskClient, query: str, field: str
) -> None:
    for path in ("/api/v1/policies", "/api/v1/notices", "/api/v1/parking",
                 f"/api/v1/enterprises/{new_uscc()}/notices"):
        resp = client.get(f"{path}?{query}")
        assert resp.status_code == 422, (path, query, resp.json)
        assert field in resp.json["error"]["fields"], (path, resp.json)


def test_a_cursor_of_another_list_is_refused(
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    policies = client.get("/api/v1/policies?limit=1").json
    assert policies["next_cursor"]
    resp = client.get(f"/api/v1/notices?cursor={policies['next_cursor']}")
    assert resp.status_code == 422 and "cursor" in resp.json["error"]["fields"]


def test_walking_the_cursor_visits_every_notice_once_newest_first(
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    uscc = new_uscc()
    _notices_for(sessions, uscc, ("hnte", "tech_sme", "srdi_sme", "innovative_sme"))
    everything = client.get(f"/api/v1/enterprises/{uscc}/notices?limit=200").json
    assert everything["next_cursor"] is None and everything["total"] >= 4
    seen: list[str] = []
    cursor: str | None = None
    while True:
        query = "limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(f"/api/v1/enterprises/{uscc}/notices?{query}").json
        assert page["total"] == everything["total"]
        seen += [n["id"] for n in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [n["id"] for n in everything["items"]]
    stamps = [n["created_at"] for n in everything["items"]]
    assert stamps == sorted(stamps, reverse=True)


def test_walking_the_policy_catalogue_by_code(client: FlaskClient) -> None:
    codes: list[str] = []
    cursor = ""
    for _ in range(100):
        page = client.get(f"/api/v1/policies?limit=5{cursor}").json
        codes += [p["code"] for p in page["items"]]
        if page["next_cursor"] is None:
            break
        cursor = f"&cursor={page['next_cursor']}"
    assert len(codes) == page["total"] >= 12
    assert codes == sorted(set(codes))


@pytest.mark.parametrize(("change", "field"), [
    ({"amount_yuan": 428170140105544564736}, "amount_yuan"),  # was a 500 (BIGINT overflow)
    ({"amount_yuan": 10**15 + 1}, "amount_yuan"),
    ({"version": 2**31}, "version"),
    ({"version": 0}, "version"),
])
def test_numbers_beyond_their_bounds_are_422_naming_the_field(
    client: FlaskClient, change: dict[str, Any], field: str
) -> None:
    resp = client.patch("/api/v1/policies/listing-subsidy-ipo", headers=BUREAU,
                        json={"version": 1, "reason": "bounds"} | change)
    assert resp.status_code == 422, resp.json
    assert field in resp.json["error"]["fields"]
    retire = client.post("/api/v1/policies/listing-subsidy-ipo/retire", headers=BUREAU,
                         json={"version": 2**40, "reason": "bounds"})
    assert retire.status_code == 422 and "version" in retire.json["error"]["fields"]


def test_timestamps_always_carry_their_offset(client: FlaskClient) -> None:
    policy = client.get("/api/v1/policies/listing-subsidy-ipo").json
    for key in ("created_at", "updated_at"):
        assert policy[key].endswith("+00:00"), policy[key]


@pytest.fixture(scope="module")
def own_database(make_pg_database: Callable[[str], str]) -> str:
    """The fuzzer creates and edits policies: keep them out of the shared catalogue."""
    url = make_pg_database("notify_fuzz")
    upgrade_head(url)
    with make_session_factory(make_engine(url)).begin() as session:
        seed_policies(session, actor="test:seed")
    return url


def _pinned(client: FlaskClient, sessions: sessionmaker[Session], headers: dict[str, str]
            ) -> dict[str, Any]:
    """Path parameters that exist: an enterprise with notices, a policy, a parked message."""
    uscc = new_uscc()
    _notices_for(sessions, uscc, ("hnte", "tech_sme"))
    inbox = client.get(f"/api/v1/enterprises/{uscc}/notices", headers=headers).json
    notice_id = inbox["items"][0]["id"]
    parked_id = uuid.uuid4()
    with sessions.begin() as session:
        session.add(ParkedMessage(
            id=parked_id, message_id=str(uuid.uuid4()), source_queue="notify.events",
            routing_key="scoring.eligibility_changed", reason="schemathesis fixture",
            attempts=5, status="parked", headers={}, body=json.dumps({"x": 1}).encode()))
    return {"uscc": uscc, "notice_id": notice_id, "code": "hnte-income-tax-15",
            "parked_id": str(parked_id)}


def test_schemathesis_conformance_checks_find_nothing(own_database: str, amqp_url: str) -> None:
    app = create_app(Settings(database_url=own_database, amqp_url=amqp_url, log_json=False,
                              log_level="ERROR", internal_token=SecretStr(TOKEN)))
    headers = BUREAU | {INTERNAL_TOKEN_HEADER: TOKEN}
    engine = make_engine(own_database)
    pinned = _pinned(app.test_client(), make_session_factory(engine), headers)
    found = run_conformance(app, headers=headers, max_examples=20, stateful_steps=10,
                            parameters=pinned)
    engine.dispose()
    assert not found, "\n".join(str(f) for f in found)
