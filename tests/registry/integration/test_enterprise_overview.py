"""The enterprise overview (issue 16): everything the bureau's enterprise page reads from the
registry in one request. Each part equals what its own endpoint answers for the same firm (the
first page, at the limit the page reads it with); memberships come with their whole stage
histories; a firm with nothing yet answers empty parts; an unknown credit code is the
structured 404 of every enterprise path."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from registry_testkit import HEADERS
from registry_testkit import move
from registry_testkit import new_uscc
from registry_testkit import nominate

from yumiao_common.clock import beijing_today

pytestmark = pytest.mark.integration

TODAY = beijing_today().isoformat()


def _ok(client: FlaskClient, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, (url, response.json)
    return response.json


def _cultivate(client: FlaskClient, uscc: str) -> None:
    """Two pools (one moved on), a curator, two service records, a problem, a yearly report."""
    base = f"/api/v1/enterprises/{uscc}"
    nominate(client, "hnte_reserve", uscc)
    version = nominate(client, "tech_sme", uscc)["version"]
    assert move(client, "tech_sme", uscc, "screened", version).status_code == 200
    assert client.put(f"{base}/curator", headers=HEADERS, json={
        "curator": "user:zhang.wei", "reason": "包联分工"}).status_code == 201
    for summary in ("走访了解研发投入", "政策宣讲"):
        assert client.post(f"{base}/services", headers=HEADERS, json={
            "kind": "visit", "served_on": TODAY, "summary": summary}).status_code == 201
    assert client.post(f"{base}/problems", headers=HEADERS, json={
        "title": "用地指标紧张", "raised_on": TODAY}).status_code == 201
    assert client.post(f"{base}/submissions", json={"year": 2024},
                       headers={"X-Actor": f"firm:{uscc}"}).status_code == 201


def test_every_part_equals_what_its_own_endpoint_answers(
    client: FlaskClient, enterprise: dict[str, Any]
) -> None:
    uscc = enterprise["uscc"]
    _cultivate(client, uscc)
    base = f"/api/v1/enterprises/{uscc}"
    got = _ok(client, f"{base}/overview")
    assert got["enterprise"] == _ok(client, base)
    assert got["profile"] == _ok(client, f"{base}/profile")
    assert got["audit"] == _ok(client, f"{base}/audit?limit=200")
    assert got["services"] == _ok(client, f"{base}/services?limit=200")
    assert got["problems"] == _ok(client, f"{base}/problems?limit=200")
    assert got["curator"] == _ok(client, f"{base}/curator")
    assert got["submissions"] == _ok(client, f"{base}/submissions?limit=50")
    members = _ok(client, f"{base}/memberships?limit=200")["items"]
    assert [{k: v for k, v in m.items() if k != "history"} for m in got["memberships"]] \
        == members
    assert [m["pool"] for m in got["memberships"]] == ["hnte_reserve", "tech_sme"]
    for member in got["memberships"]:
        moves = _ok(client, f"/api/v1/pools/{member['pool']}/members/{uscc}/moves?limit=200")
        assert member["history"] == moves["items"]
    assert [m["to_stage"] for m in got["memberships"][1]["history"]] == ["nominated", "screened"]
    assert len(got["services"]["items"]) == 2 and got["submissions"]["total"] == 1


def test_a_firm_with_nothing_yet_answers_empty_parts(
    client: FlaskClient, enterprise: dict[str, Any]
) -> None:
    got = _ok(client, f"/api/v1/enterprises/{enterprise['uscc']}/overview")
    assert got["memberships"] == [] and got["curator"] is None
    empty: dict[str, Any] = {"items": [], "next_cursor": None, "total": None}
    assert got["services"] == empty and got["problems"] == empty
    assert got["submissions"] == {"items": [], "next_cursor": None, "total": 0}
    assert got["audit"]["items"] and got["audit"]["next_cursor"] is None  # its creation


def test_parts_are_bounded_as_their_first_pages(
    client: FlaskClient, enterprise: dict[str, Any]
) -> None:
    """More than 200 rows: the overview serves the first 200 service records and the cursor
    that continues at ``/services``, as that endpoint's first page does; of the audit trail it
    serves the newest 200 (the page shows the latest changes, not a firm's first ones)."""
    uscc = enterprise["uscc"]
    base = f"/api/v1/enterprises/{uscc}"
    for n in range(201):
        assert client.post(f"{base}/services", headers=HEADERS, json={
            "kind": "training", "served_on": TODAY, "summary": f"培训 {n}"}).status_code == 201
    got = _ok(client, f"{base}/overview")
    assert len(got["audit"]["items"]) == 200 and got["audit"]["next_cursor"] is None
    first = _ok(client, f"{base}/audit?limit=200")
    later = _ok(client, f"{base}/audit?limit=200&cursor={first['next_cursor']}")["items"]
    assert got["audit"]["items"] == (first["items"] + later)[-200:]
    assert later and got["audit"]["items"][-1] == later[-1]  # the newest change is shown
    assert len(got["services"]["items"]) == 200
    assert got["services"] == _ok(client, f"{base}/services?limit=200")
    rest = _ok(client, f"{base}/services?limit=200&cursor={got['services']['next_cursor']}")
    assert [r["summary"] for r in rest["items"]] == ["培训 200"]


def test_an_unknown_firm_is_a_structured_404(client: FlaskClient) -> None:
    for uscc in (new_uscc(), "not-a-credit-code"):
        response = client.get(f"/api/v1/enterprises/{uscc}/overview")
        assert response.status_code == 404
        error = (response.json or {})["error"]
        assert error["code"] == "enterprise_not_found" and error["status"] == 404
        assert set(error) >= {"code", "status", "message", "fields", "details"}


def test_the_overview_is_documented_with_its_errors(client: FlaskClient) -> None:
    doc = _ok(client, "/api/v1/openapi.json")
    operation = doc["paths"]["/api/v1/enterprises/{uscc}/overview"]["get"]
    assert {"200", "404", "422"} <= set(operation["responses"])
    assert set(doc["components"]["schemas"]["Overview"]["properties"]) == {
        "enterprise", "profile", "memberships", "audit", "services", "problems", "curator",
        "submissions"}
