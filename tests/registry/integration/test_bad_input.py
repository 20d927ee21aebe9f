"""Bad input gets a 4xx in the one error shape, naming the field, and writes nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient
from registry_testkit import HEADERS
from registry_testkit import enterprise_body
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.models import AuditEntry
from registry.models.base import outbox_table
from yumiao_common.clock import beijing_today

pytestmark = pytest.mark.integration

NEXT_YEAR = beijing_today().year + 1
TOMORROW = date.fromordinal(beijing_today().toordinal() + 1).isoformat()

# (case id, method, path under the enterprise ("" = create), body, status, field named)
CASES: list[tuple[str, str, str, Any, int, str]] = [
    ("bad check char", "POST", "", {"uscc": "91371502MA3DHUQR58", "name": "x"}, 422, "uscc"),
    ("bad position 17", "POST", "", {"uscc": "91371502MA3DHUQR67", "name": "x"}, 422, "uscc"),
    ("letter O in code", "POST", "", {"uscc": "91371502MA3DHUOR57", "name": "x"}, 422, "uscc"),
    ("short code", "POST", "", {"uscc": "9137150", "name": "x"}, 422, "uscc"),
    ("code not a string", "POST", "", {"uscc": 913715, "name": "x"}, 422, "uscc"),
    ("missing name", "POST", "", {"uscc": "@new"}, 422, "name"),
    ("unknown field", "POST", "", {"uscc": "@new", "name": "x", "colour": "red"}, 422, "colour"),
    ("unknown nested flag", "POST", "",
     {"uscc": "@new", "name": "x", "flags": {"on_fire": True}}, 422, "flags.on_fire"),
    ("town elsewhere", "POST", "", {"uscc": "@new", "name": "x", "town_code": "371503001"},
     422, "town_code"),
    ("industry division outside section", "POST", "",
     {"uscc": "@new", "name": "x", "industry_code": "C0111"}, 422, "industry_code"),
    ("share above 100", "POST", "",
     {"uscc": "@new", "name": "x", "market_share_pct": "120"}, 422, "market_share_pct"),
    ("share NaN", "POST", "", {"uscc": "@new", "name": "x", "market_share_pct": "NaN"},
     422, "market_share_pct"),
    ("established tomorrow", "POST", "",
     {"uscc": "@new", "name": "x", "established_on": TOMORROW}, 422, "established_on"),
    ("NUL in name", "POST", "", {"uscc": "@new", "name": "a\x00b"}, 422, "name"),
    ("body is a list", "POST", "", [1, 2], 422, "_schema"),
    ("uscc not updatable", "PATCH", "", {"uscc": "@new", "version": 1}, 422, "uscc"),
    ("version as string", "PATCH", "", {"name": "y", "version": "1"}, 422, "version"),
    ("negative money", "PUT", "/financials/2024", {"operating_revenue": -1}, 422,
     "operating_revenue"),
    ("money as float", "PUT", "/financials/2024", {"rd_expense": 12.5}, 422, "rd_expense"),
    ("money as text", "PUT", "/financials/2024", {"rd_expense": "12"}, 422, "rd_expense"),
    ("money beyond bigint", "PUT", "/financials/2024", {"total_assets": 10**20}, 422,
     "total_assets"),
    ("boolean as count", "PUT", "/financials/2024", {"employees": True}, 422, "employees"),
    ("science staff above employees", "PUT", "/financials/2024",
     {"employees": 10, "science_staff": 11}, 422, "science_staff"),
    ("rd staff above employees", "PUT", "/financials/2024",
     {"employees": 10, "rd_staff": 11}, 422, "rd_staff"),
    ("domestic rd above total", "PUT", "/financials/2024",
     {"rd_expense": 10, "rd_expense_domestic": 11}, 422, "rd_expense_domestic"),
    ("fiscal year in the future", "PUT", f"/financials/{NEXT_YEAR}", {"employees": 1}, 422,
     "year"),
    ("fiscal year before 1949", "PUT", "/financials/1900", {"employees": 1}, 422, "year"),
    ("ip kind unknown", "POST", "/ip", {"kind": "trademark", "number": "1",
                                        "acquired_by": "other",
                                        "related_to_main_product": False}, 422, "kind"),
    ("ip granted tomorrow", "POST", "/ip",
     {"kind": "utility_model", "number": "1", "acquired_by": "other",
      "related_to_main_product": False, "granted_on": TOMORROW}, 422, "granted_on"),
    ("award year future", "POST", "/awards", {"level": "national", "year": NEXT_YEAR}, 422,
     "year"),
    ("institution level unknown", "POST", "/institutions", {"level": "galactic", "name": "x"},
     422, "level"),
    ("certification expires before issue", "POST", "/certifications",
     {"tier": "hnte", "issued_on": "2024-01-01", "expires_on": "2023-01-01"}, 422,
     "expires_on"),
    ("certification tier unknown", "POST", "/certifications",
     {"tier": "unicorn", "issued_on": "2024-01-01"}, 422, "tier"),
    ("move to unknown stage", "MOVE", "", {"to_stage": "promoted", "reason": "x",
                                           "version": 1}, 422, "to_stage"),
    ("move without reason", "MOVE", "", {"to_stage": "screened", "version": 1}, 422, "reason"),
    ("nominate invalid code", "NOMINATE", "", {"uscc": "91371502MA3DHUQR58"}, 422, "uscc"),
]


def _counts(session: Session) -> tuple[int, int]:
    return (session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
            session.scalar(select(func.count()).select_from(outbox_table)) or 0)


def _send(client: FlaskClient, method: str, uscc: str, path: str, body: Any) -> Any:
    if isinstance(body, dict) and body.get("uscc") == "@new":
        body = {**body, "uscc": "91371502MA3DHUQR57" if method == "PATCH" else _fresh()}
    base = f"/api/v1/enterprises/{uscc}"
    if method == "POST" and path == "":
        return client.post("/api/v1/enterprises", json=body, headers=HEADERS)
    if method == "MOVE":
        return client.post(f"/api/v1/pools/hnte_reserve/members/{uscc}/moves", json=body,
                           headers=HEADERS)
    if method == "NOMINATE":
        return client.post("/api/v1/pools/hnte_reserve/members", json=body, headers=HEADERS)
    return client.open(base + path, method=method, json=body, headers=HEADERS)


def _fresh() -> str:
    from registry_testkit import new_uscc

    return new_uscc()


@pytest.mark.parametrize(("method", "path", "body", "status", "field"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_refused_naming_the_field_and_writes_nothing(
    client: FlaskClient, session: Session, enterprise: dict[str, Any], method: str, path: str,
    body: Any, status: int, field: str,
) -> None:
    client.post("/api/v1/pools/hnte_reserve/members", json={"uscc": enterprise["uscc"]},
                headers=HEADERS)
    before = _counts(session)
    response = _send(client, method, enterprise["uscc"], path, body)
    assert response.status_code == status, response.json
    error = response.json["error"]
    assert error["status"] == status and " / " in error["message"]
    assert field in error["fields"], error
    assert _counts(session) == before


def test_oversized_body_is_413(client: FlaskClient) -> None:
    body = enterprise_body(_fresh(), address="东" * 100_000)
    response = client.post("/api/v1/enterprises", json=body, headers=HEADERS)
    assert response.status_code == 413
    assert response.json["error"]["code"] == "payload_too_large"


@pytest.mark.parametrize("raw", [b"{not json", b"", b"\xff\xfe"])
def test_malformed_json_is_4xx(client: FlaskClient, raw: bytes) -> None:
    response = client.post("/api/v1/enterprises", data=raw,
                           headers={**HEADERS, "Content-Type": "application/json"})
    assert 400 <= response.status_code < 500
    assert "error" in response.json


@pytest.mark.parametrize("path", [
    "/api/v1/enterprises/%00", "/api/v1/enterprises/x'--/profile",
    "/api/v1/enterprises/91371502MA3DHUQR57/ip/99999999999999999999",
    "/api/v1/pools/nope/members", "/api/v1/enterprises?limit=0", "/api/v1/enterprises?q=%00",
    "/api/v1/enterprises?cursor=-1", "/api/v1/enterprises?industry=Z99",
])
def test_odd_urls_are_4xx_not_500(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert 400 <= response.status_code < 500, response.json
