"""Dependent records over HTTP: annual figures per year and the five record kinds, with
versions, stale-write 409s that change nothing, and an audit row for every change."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from registry_testkit import ACTOR
from registry_testkit import FIGURES_2024
from registry_testkit import HEADERS

pytestmark = pytest.mark.integration

RECORDS = [
    ("ip", {"kind": "utility_model", "number": "ZL202220001111.1",
            "acquired_by": "self_developed", "related_to_main_product": True},
     {"in_force": False}),
    ("awards", {"level": "municipal", "year": 2022, "rank": 1}, {"rank": 3}),
    ("institutions", {"level": "provincial", "name": "省级工程技术研究中心"},
     {"name": "省级企业技术中心"}),
    ("standards", {"level": "group", "year": 2021, "code": "T/SDAS 12-2021"},
     {"level": "industry"}),
    ("certifications", {"tier": "tech_sme", "issued_on": "2025-05-10",
                        "number": "202537150200123"}, {"level": "national"}),
]


def _audit(client: FlaskClient, uscc: str) -> list[dict[str, Any]]:
    return client.get(f"/api/v1/enterprises/{uscc}/audit").json["items"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(("segment", "body", "change"), RECORDS, ids=[r[0] for r in RECORDS])
def test_record_lifecycle_with_versions_and_audit(
    client: FlaskClient, enterprise: dict[str, Any], segment: str, body: dict[str, Any],
    change: dict[str, Any],
) -> None:
    base = f"/api/v1/enterprises/{enterprise['uscc']}/{segment}"
    created = client.post(base, json={**body, "reason": "录入"}, headers=HEADERS)
    assert created.status_code == 201, created.json
    item = f"{base}/{created.json['id']}"
    assert client.get(base).json == {"items": [created.json], "next_cursor": None,
                                     "total": None}
    updated = client.patch(item, json={**change, "version": 1}, headers=HEADERS)
    assert updated.status_code == 200 and updated.json["version"] == 2
    stale = client.patch(item, json={**change, "version": 1}, headers=HEADERS)
    assert stale.status_code == 409
    assert client.delete(item, headers={**HEADERS, "If-Match": "1"}).status_code == 409
    assert client.get(item).json == updated.json  # the refused writes changed nothing
    assert client.delete(item, headers={**HEADERS, "If-Match": "2"}).status_code == 204
    assert client.get(item).status_code == 404
    actions = [(a["entity"], a["action"]) for a in _audit(client, enterprise["uscc"])[-3:]]
    assert [a for _, a in actions] == ["create", "update", "delete"]
    assert all(a["actor"] == ACTOR for a in _audit(client, enterprise["uscc"]))


def test_certification_gets_the_tier_default_expiry(
    client: FlaskClient, enterprise: dict[str, Any]
) -> None:
    response = client.post(f"/api/v1/enterprises/{enterprise['uscc']}/certifications",
                           json={"tier": "hnte", "issued_on": "2023-12-01"}, headers=HEADERS)
    assert response.json["expires_on"] == "2026-11-30"


def test_certification_patch_cannot_make_expiry_precede_issue(
    client: FlaskClient, enterprise: dict[str, Any]
) -> None:
    base = f"/api/v1/enterprises/{enterprise['uscc']}/certifications"
    made = client.post(base, json={"tier": "hnte", "issued_on": "2023-12-01"}, headers=HEADERS)
    response = client.patch(f"{base}/{made.json['id']}",
                            json={"expires_on": "2023-01-01", "version": 1}, headers=HEADERS)
    assert response.status_code == 422
    assert "expires_on" in response.json["error"]["fields"]


def test_duplicate_ip_number_is_409(client: FlaskClient, enterprise: dict[str, Any]) -> None:
    base = f"/api/v1/enterprises/{enterprise['uscc']}/ip"
    body = RECORDS[0][1]
    assert client.post(base, json=body, headers=HEADERS).status_code == 201
    assert client.post(base, json=body, headers=HEADERS).status_code == 409


def test_ip_use_in_an_earlier_hnte_recognition_left_out_is_unknown_not_unused(
    client: FlaskClient, enterprise: dict[str, Any]
) -> None:
    uscc = enterprise["uscc"]
    base = f"/api/v1/enterprises/{uscc}/ip"
    created = client.post(base, json=RECORDS[0][1], headers=HEADERS)
    assert created.status_code == 201 and created.json["used_in_hnte"] is None
    item = next(i for i in client.get(f"/api/v1/enterprises/{uscc}/profile").json["ip"]
                if i["number"] == RECORDS[0][1]["number"])
    assert item["used_in_hnte"] is None  # the scoring profile says "not known", never false
    url = f"{base}/{created.json['id']}"
    stated = client.patch(url, json={"used_in_hnte": False, "version": 1}, headers=HEADERS)
    assert stated.status_code == 200 and stated.json["used_in_hnte"] is False
    cleared = client.patch(url, json={"used_in_hnte": None, "version": 2}, headers=HEADERS)
    assert cleared.status_code == 200 and cleared.json["used_in_hnte"] is None
    bad = client.patch(url, json={"used_in_hnte": "unknown", "version": 3}, headers=HEADERS)
    assert bad.status_code == 422 and "used_in_hnte" in bad.json["error"]["fields"]
    assert client.get(url).json == cleared.json


def test_financials_replace_needs_version_and_records_the_diff(
    client: FlaskClient, enterprise: dict[str, Any]
) -> None:
    uscc = enterprise["uscc"]
    url = f"/api/v1/enterprises/{uscc}/financials/2024"
    assert client.put(url, json=FIGURES_2024, headers=HEADERS).status_code == 428
    changed = {**FIGURES_2024, "employees": 400, "operating_revenue": 250_000_000}
    ok = client.put(url, json={**changed, "version": 1, "reason": "年报更正"}, headers=HEADERS)
    assert ok.status_code == 200 and ok.json["version"] == 2
    assert client.put(url, json={**changed, "version": 1}, headers=HEADERS).status_code == 409
    assert client.get(f"/api/v1/enterprises/{uscc}").json["size_class"] == "medium"
    last = _audit(client, uscc)[-1]
    assert last["entity"] == "annual_financials" and last["reason"] == "年报更正"
    assert last["changes"]["employees"] == {"from": 120, "to": 400}


def test_absent_figures_become_unknown_not_zero(
    client: FlaskClient, enterprise: dict[str, Any]
) -> None:
    url = f"/api/v1/enterprises/{enterprise['uscc']}/financials/2023"
    assert client.put(url, json={"employees": 100}, headers=HEADERS).status_code == 201
    profile = client.get(f"/api/v1/enterprises/{enterprise['uscc']}/profile").json
    year_2023 = next(f for f in profile["financials"] if f["year"] == 2023)
    assert year_2023["employees"] == 100 and year_2023["rd_expense"] is None


def test_financials_list_and_delete(client: FlaskClient, enterprise: dict[str, Any]) -> None:
    base = f"/api/v1/enterprises/{enterprise['uscc']}/financials"
    client.put(f"{base}/2022", json={"employees": 90}, headers=HEADERS)
    assert [f["year"] for f in client.get(base).json["items"]] == [2022, 2024]
    assert client.delete(f"{base}/2022", headers={**HEADERS, "If-Match": '"1"'}).status_code == 204
    assert [f["year"] for f in client.get(base).json["items"]] == [2024]
