"""``POST /api/v1/evaluate``: a what-if of posted figures, every tier or the named ones; 422s
name the offending field in the shared error shape; nothing is stored."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from scoring.models import Evaluation
from yumiao_common.contracts.profile import TIER_KEYS

pytestmark = pytest.mark.integration


MakeProfile = Callable[..., dict[str, Any]]


def test_every_tier_is_answered_with_verdict_score_and_criteria(
    client: FlaskClient, make_profile: MakeProfile
) -> None:
    resp = client.post("/api/v1/evaluate", json=make_profile())
    assert resp.status_code == 200, resp.json
    body = resp.json
    assert body["as_of"] == "2025-06-30"
    assert set(body["results"]) == set(TIER_KEYS)
    for result in body["results"].values():
        assert result["verdict"] in {"eligible", "ineligible", "near", "unknown"}
        assert {"min", "max", "pass_mark", "out_of"} <= set(
            result["score"] or {"min": 0, "max": 0, "pass_mark": 0, "out_of": 0}
        )
        assert result["criteria"]


def test_named_tiers_only(client: FlaskClient, make_profile: MakeProfile) -> None:
    resp = client.post("/api/v1/evaluate?tiers=hnte,tech_sme", json=make_profile())
    assert resp.status_code == 200
    assert set(resp.json["results"]) == {"hnte", "tech_sme"}


def test_what_if_stores_nothing(
    client: FlaskClient, factory: sessionmaker[Session], make_profile: MakeProfile
) -> None:
    with factory() as session:
        before = session.scalar(select(func.count()).select_from(Evaluation))
    assert client.post("/api/v1/evaluate", json=make_profile()).status_code == 200
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Evaluation)) == before


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(profile: dict[str, Any]) -> None:
        node: Any = profile
        *parents, last = path.split(".")
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = value

    return change


BAD_INPUTS = [
    ("bad credit code", _set("enterprise.uscc", "91371500614071479X"), "enterprise.uscc"),
    ("short credit code", _set("enterprise.uscc", "9137"), "enterprise.uscc"),
    ("unknown field", _set("enterprise.favourite_colour", "red"), "enterprise.favourite_colour"),
    ("unknown top-level field", _set("turnover", 1), "turnover"),
    ("wrong type", _set("financials.0.employees", "many"), "financials.0.employees"),
    ("negative money", _set("financials.1.rd_expense", -5), "financials.1.rd_expense"),
    (
        "science staff above employees",
        _set("financials.2.science_staff", 500),
        "financials.2.science_staff",
    ),
    ("bad date", _set("as_of", "30/06/2025"), "as_of"),
    (
        "unknown tier key in certification",
        _set("certifications", [{"tier": "gold", "issued_on": "2023-01-01"}]),
        "certifications.0.tier",
    ),
    ("missing enterprise", lambda p: p.pop("enterprise"), "enterprise"),
]


@pytest.mark.parametrize(("case", "change", "field"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_invalid_profile_is_422_naming_the_field(
    client: FlaskClient,
    case: str,
    change: Callable[[dict[str, Any]], None],
    field: str,
    make_profile: MakeProfile,
) -> None:
    profile = copy.deepcopy(make_profile())
    change(profile)
    resp = client.post("/api/v1/evaluate", json=profile)
    assert resp.status_code == 422, (case, resp.json)
    error = resp.json["error"]
    assert error["code"] == "validation_error"
    assert any(key == field or key.startswith(field + ".") for key in error["fields"]), error
    assert all(" / " in reason for reasons in error["fields"].values() for reason in reasons)


@pytest.mark.parametrize(
    ("query", "with_body", "status"),
    [
        ("?tiers=gold", True, 422),
        ("?tiers=", True, 422),
        ("?colour=red", True, 422),
        ("", False, 422),
    ],
)
def test_bad_requests_are_4xx_in_the_error_shape(
    client: FlaskClient, query: str, with_body: bool, status: int, make_profile: MakeProfile
) -> None:
    url = f"/api/v1/evaluate{query}"
    resp = client.post(url, json=make_profile()) if with_body else client.post(url)
    assert resp.status_code == status
    assert resp.json["error"]["status"] == status


def test_malformed_json_is_refused_not_a_500(client: FlaskClient) -> None:
    resp = client.post("/api/v1/evaluate", data=b"{not json", content_type="application/json")
    assert resp.status_code == 422
    assert "_body" in resp.json["error"]["fields"]


def test_openapi_documents_the_profile_schema(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").json
    schemas = spec["components"]["schemas"]
    assert "Profile" in schemas and "Financials" in schemas
    body = spec["paths"]["/api/v1/evaluate"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Profile"}
