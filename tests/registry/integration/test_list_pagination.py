"""The registry's lists follow the shared dialect: ``limit``/``cursor`` in, ``items``/
``next_cursor``/``total`` out; old ``after`` paging and forged cursors are refused by name."""

from __future__ import annotations

import base64

import pytest
from flask.testing import FlaskClient
from registry_testkit import HEADERS
from registry_testkit import create_enterprise
from registry_testkit import move
from registry_testkit import new_uscc
from registry_testkit import nominate


def _all_pages(client: FlaskClient, url: str, limit: int) -> tuple[list[dict], int]:
    items: list[dict] = []
    pages, cursor = 0, None
    while True:
        query = f"limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(f"{url}{'&' if '?' in url else '?'}{query}", headers=HEADERS).json
        assert set(body) == {"items", "next_cursor", "total"}
        items += body["items"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return items, pages


def test_pool_members_and_audit_page_with_cursors(client: FlaskClient) -> None:
    made = [new_uscc() for _ in range(3)]
    for uscc in made:
        create_enterprise(client, uscc)
        nominate(client, "listing_reserve", uscc)
    members, pages = _all_pages(client, "/api/v1/pools/listing_reserve/members?stage=nominated", 2)
    assert [m["uscc"] for m in members][-3:] == made and pages >= 2
    client.patch(f"/api/v1/enterprises/{made[0]}", headers=HEADERS,
                 json={"park": "高新区", "version": 1})
    audit, pages = _all_pages(client, f"/api/v1/enterprises/{made[0]}/audit", 1)
    assert pages == len(audit) + 1 or pages == len(audit)
    assert len(audit) >= 2


@pytest.mark.parametrize("query", [
    "limit=0", "limit=201", "cursor=" + "x" * 513, "cursor=%25%25",
    "cursor=" + base64.urlsafe_b64encode(b'{"id":"1"}').decode(),
    "cursor=" + base64.urlsafe_b64encode(b'{"id":99999999999999999999999}').decode(),
])
@pytest.mark.parametrize("path", ["/api/v1/enterprises", "/api/v1/pools/hnte_reserve/members",
                                  "/api/v1/pools", "/api/v1/plans", "/api/v1/plans/measures",
                                  "/api/v1/reports/snapshots", "/api/v1/reference/towns",
                                  "/api/v1/reference/tiers"])
def test_bad_paging_is_a_422_naming_the_parameter(client: FlaskClient, path: str, query: str
                                                  ) -> None:
    resp = client.get(f"{path}?{query}")
    assert resp.status_code == 422, resp.json
    assert list(resp.json["error"]["fields"]) == [query.split("=")[0]]


def test_page_numbers_and_the_old_after_are_refused(client: FlaskClient) -> None:
    for query in ("after=5", "page=2", "per_page=10"):
        resp = client.get(f"/api/v1/enterprises?{query}")
        assert resp.status_code == 422
        assert query.split("=")[0] in resp.json["error"]["fields"]


def test_record_lists_page_in_the_dialect(client: FlaskClient) -> None:
    uscc = new_uscc()
    create_enterprise(client, uscc)
    made = [client.post(f"/api/v1/enterprises/{uscc}/awards", headers=HEADERS,
                        json={"level": "municipal", "year": 2020 + i}).json["id"]
            for i in range(3)]
    awards, pages = _all_pages(client, f"/api/v1/enterprises/{uscc}/awards", 2)
    assert [a["id"] for a in awards] == made and pages == 2


def test_stage_history_memberships_and_fiscal_years_page_in_the_dialect(
    client: FlaskClient
) -> None:
    """The lists that grow with an enterprise's life (every move, every pool, every fiscal
    year) page like every other list, oldest first, nothing lost between pages."""
    uscc = new_uscc()
    create_enterprise(client, uscc)
    version = nominate(client, "hnte_reserve", uscc)["version"]
    for stage in ("screened", "admitted", "cultivating", "applied", "cultivating", "applied"):
        moved = move(client, "hnte_reserve", uscc, stage, version)
        assert moved.status_code == 200, moved.json
        version = moved.json["version"]
    nominate(client, "tech_sme", uscc)
    for year in (2025, 2021, 2023, 2022):
        put = client.put(f"/api/v1/enterprises/{uscc}/financials/{year}", headers=HEADERS,
                         json={"employees": year - 2000})
        assert put.status_code == 201, put.json
    history, pages = _all_pages(client, f"/api/v1/pools/hnte_reserve/members/{uscc}/moves", 3)
    assert [h["to_stage"] for h in history] == [
        "nominated", "screened", "admitted", "cultivating", "applied", "cultivating", "applied"]
    assert pages == 3
    pools, _ = _all_pages(client, f"/api/v1/enterprises/{uscc}/memberships", 1)
    assert [m["pool"] for m in pools] == ["hnte_reserve", "tech_sme"]
    years, _ = _all_pages(client, f"/api/v1/enterprises/{uscc}/financials", 3)
    assert [f["year"] for f in years] == [2021, 2022, 2023, 2024, 2025]  # 2024: at creation
    first = client.get(f"/api/v1/enterprises/{uscc}/financials?limit=3").json
    assert first["total"] == 5 and first["next_cursor"] is not None
    towns, pages = _all_pages(client, "/api/v1/reference/towns", 10)
    assert pages >= 2 and len({t["code"] for t in towns}) == len(towns)
    measures, _ = _all_pages(client, "/api/v1/plans/measures", 2)
    assert len(measures) == client.get("/api/v1/plans/measures").json["total"]


@pytest.mark.parametrize("path", ["/pools/hnte_reserve/members/{uscc}/moves",
                                  "/enterprises/{uscc}/memberships",
                                  "/enterprises/{uscc}/financials"])
def test_an_enterprises_own_lists_refuse_bad_paging_by_name(client: FlaskClient, path: str
                                                            ) -> None:
    uscc = new_uscc()
    create_enterprise(client, uscc)
    nominate(client, "hnte_reserve", uscc)
    url = "/api/v1" + path.format(uscc=uscc)
    for query in ("limit=201", "limit=0", "cursor=%25%25", "page=2"):
        resp = client.get(f"{url}?{query}")
        assert resp.status_code == 422, (url, query, resp.json)
        assert list(resp.json["error"]["fields"]) == [query.split("=")[0]]
