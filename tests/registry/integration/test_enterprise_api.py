"""Enterprises over HTTP: create, read, update with versions, list filters and keyset pages,
and the profile endpoint returning the shared Profile shape."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from registry_testkit import HEADERS
from registry_testkit import create_enterprise
from registry_testkit import new_uscc
from registry_testkit import nominate
from sqlalchemy import text
from sqlalchemy.orm import Session

from registry.adapters.sql.enterprise_list import EnterpriseFilter
from registry.adapters.sql.enterprise_list import filtered
from yumiao_common.clock import beijing_today
from yumiao_common.contracts.profile import Profile

pytestmark = pytest.mark.integration


def test_create_then_read_returns_every_field_and_derives_size(
    client: FlaskClient, enterprise: dict[str, Any]
) -> None:
    assert enterprise["division_code"] == "371502"
    assert enterprise["size_class"] == "small"  # 120 staff, ¥48M revenue, manufacturing
    assert enterprise["market_share_pct"] == "12.500"
    assert enterprise["flags"]["major_safety_incident"] is False
    assert enterprise["flags"]["tax_violation"] is None  # unknown stays unknown
    assert enterprise["version"] == 1
    assert enterprise["created_at"].endswith("+00:00")  # offsets even where SQLite drops them


def test_duplicate_credit_code_is_a_409(client: FlaskClient, enterprise: dict[str, Any]) -> None:
    response = client.post("/api/v1/enterprises",
                           json={"uscc": enterprise["uscc"], "name": "重复"}, headers=HEADERS)
    assert response.status_code == 409
    assert "uscc" in response.json["error"]["fields"]


def test_update_bumps_version_and_stale_update_is_409_and_changes_nothing(
    client: FlaskClient, enterprise: dict[str, Any]
) -> None:
    url = f"/api/v1/enterprises/{enterprise['uscc']}"
    ok = client.patch(url, json={"name": "新名称有限公司", "version": 1, "reason": "更名"},
                      headers=HEADERS)
    assert ok.status_code == 200 and ok.json["version"] == 2
    stale = client.patch(url, json={"name": "过期写入", "version": 1}, headers=HEADERS)
    assert stale.status_code == 409
    assert stale.json["error"]["details"]["current_version"] == 2
    assert client.get(url).json["name"] == "新名称有限公司"


def test_version_may_come_as_if_match_and_is_required(
    client: FlaskClient, enterprise: dict[str, Any]
) -> None:
    url = f"/api/v1/enterprises/{enterprise['uscc']}"
    missing = client.patch(url, json={"park": "嘉明经济开发区"}, headers=HEADERS)
    assert missing.status_code == 428
    ok = client.patch(url, json={"park": "嘉明经济开发区"}, headers={**HEADERS, "If-Match": '"1"'})
    assert ok.status_code == 200 and ok.json["park"] == "嘉明经济开发区"


def test_unknown_enterprise_is_404_in_the_error_shape(client: FlaskClient) -> None:
    response = client.get(f"/api/v1/enterprises/{new_uscc()}")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "enterprise_not_found"


def test_profile_validates_against_the_shared_contract(
    client: FlaskClient, enterprise: dict[str, Any]
) -> None:
    uscc = enterprise["uscc"]
    client.post(f"/api/v1/enterprises/{uscc}/ip", headers=HEADERS, json={
        "kind": "invention_patent", "number": "ZL202110001234.5", "granted_on": "2022-05-01",
        "acquired_by": "self_developed", "related_to_main_product": True})
    client.post(f"/api/v1/enterprises/{uscc}/awards", headers=HEADERS,
                json={"level": "provincial", "year": 2023, "rank": 2})
    client.post(f"/api/v1/enterprises/{uscc}/institutions", headers=HEADERS,
                json={"level": "municipal", "name": "市级企业技术中心"})
    client.post(f"/api/v1/enterprises/{uscc}/standards", headers=HEADERS,
                json={"level": "industry", "year": 2022})
    client.post(f"/api/v1/enterprises/{uscc}/certifications", headers=HEADERS,
                json={"tier": "innovative_sme", "issued_on": "2023-09-01",
                      "expires_on": "2026-08-31"})
    response = client.get(f"/api/v1/enterprises/{uscc}/profile?as_of=2025-06-30")
    assert response.status_code == 200
    profile = Profile.model_validate(response.json)
    assert profile.as_of.isoformat() == "2025-06-30"
    assert profile.enterprise.uscc == uscc
    assert profile.financials[0].science_staff == 30
    assert (len(profile.ip), len(profile.awards), len(profile.rd_institutions),
            len(profile.standards_led), len(profile.certifications)) == (1, 1, 1, 1, 1)
    assert profile.assessments.hnte_expert is not None
    earlier = client.get(f"/api/v1/enterprises/{uscc}/profile?as_of=2023-06-30").json
    assert Profile.model_validate(earlier).financials == ()  # 2024 had not happened yet


def _list(client: FlaskClient, **query: Any) -> dict[str, Any]:
    response = client.get("/api/v1/enterprises", query_string=query)
    assert response.status_code == 200, response.json
    return response.json  # type: ignore[no-any-return]


def test_list_filters_combine(client: FlaskClient) -> None:
    tag = new_uscc()[-8:-2]
    chem = create_enterprise(client, new_uscc(), name=f"聊城化工{tag}", industry_code="C2641",
                             town_code="371502102")
    bearing = create_enterprise(client, new_uscc(), name=f"聊城轴承{tag}")
    nominate(client, "hnte_reserve", bearing["uscc"])
    client.post(f"/api/v1/enterprises/{chem['uscc']}/certifications", headers=HEADERS,
                json={"tier": "tech_sme", "issued_on": beijing_today().isoformat()})  # 当年有效
    assert [e["uscc"] for e in _list(client, q=tag, town="371502102")["items"]] == [chem["uscc"]]
    assert [e["uscc"] for e in _list(client, q=tag, industry="C26")["items"]] == [chem["uscc"]]
    assert [e["uscc"] for e in _list(client, q=tag, pool="hnte_reserve",
                                     stage="nominated")["items"]] == [bearing["uscc"]]
    assert [e["uscc"] for e in _list(client, q=tag, tier="tech_sme")["items"]] == [chem["uscc"]]
    assert _list(client, q=bearing["uscc"][:14])["items"][0]["uscc"] == bearing["uscc"]
    assert _list(client, q=tag, size_class="small")["total"] == 2


def test_keyset_pages_cover_every_row_once_in_id_order(client: FlaskClient) -> None:
    tag = new_uscc()[-8:-2]
    made = [create_enterprise(client, new_uscc(), name=f"分页{tag}{i}")["uscc"] for i in range(5)]
    seen: list[str] = []
    cursor: dict[str, str] = {}
    while True:
        page = _list(client, q=f"分页{tag}", limit=2, **cursor)
        assert page["total"] == 5
        seen += [e["uscc"] for e in page["items"]]
        if page["next_cursor"] is None:
            break
        cursor = {"cursor": page["next_cursor"]}
    assert seen == made


def test_like_wildcards_in_q_are_literal(client: FlaskClient) -> None:
    assert _list(client, q="%_%")["total"] == 0


def _found(client: FlaskClient, q: str) -> set[str]:
    return {e["uscc"] for e in _list(client, q=q, limit=100)["items"]}


def test_search_finds_a_fragment_of_the_name_anywhere_or_the_start_of_the_code(
    client: FlaskClient
) -> None:
    """What a curator types into the list's search box: part of a name (Chinese, Latin in any
    case, at the start, middle or end) or the first characters of a credit code. The same firms
    on SQLite and on PostgreSQL, where trigram indexes serve the search (issue 12 item 7)."""
    tag = new_uscc()[-8:-2]
    bearing = create_enterprise(client, new_uscc(), name=f"聊城{tag}精密轴承有限公司")
    latin = create_enterprise(client, new_uscc(), name=f"Yumiao {tag} Robotics 股份公司")
    both = {bearing["uscc"], latin["uscc"]}
    assert _found(client, tag) == both
    assert _found(client, f"{tag}精密轴承") == {bearing["uscc"]}  # middle, Chinese
    assert _found(client, f"聊城{tag}") == {bearing["uscc"]}  # start
    assert _found(client, f"{tag}精密轴承有限公司") == {bearing["uscc"]}  # end
    assert _found(client, f"yumiao {tag.lower()} robotics") == {latin["uscc"]}  # any case
    assert _found(client, f"{tag}轴承精密") == set()  # a fragment, not a bag of words
    prefix = bearing["uscc"][:12]  # other firms of the run may share it: every one found starts so
    by_code = _found(client, prefix.lower())  # code, any case
    assert bearing["uscc"] in by_code and all(u.startswith(prefix) for u in by_code)
    assert _list(client, q=bearing["uscc"])["total"] == 1
    assert bearing["uscc"] not in _found(client, bearing["uscc"][4:16])  # code: from its start


def test_percent_and_underscore_typed_into_search_are_matched_literally(
    client: FlaskClient
) -> None:
    tag = new_uscc()[-8:-2]
    literal = create_enterprise(client, new_uscc(), name=f"百分{tag}100%_新材料")
    lookalike = create_enterprise(client, new_uscc(), name=f"百分{tag}100X新材料")
    assert _found(client, f"{tag}100%_新") == {literal["uscc"]}
    assert _found(client, "%_新材料") == {literal["uscc"]}
    assert _found(client, f"{tag}100_") == set()
    assert _found(client, f"百分{tag}") == {literal["uscc"], lookalike["uscc"]}


def test_on_postgresql_the_search_can_be_served_by_the_trigram_indexes(
    session: Session, is_postgres: bool
) -> None:
    """At 100,000 firms a scan per keystroke is what made the list slow (issue 12 item 7): the
    search's SQL must stay a shape the name and code trigram indexes serve (a BitmapOr), with
    the user's text bound as a parameter and its ``%``/``_`` escaped."""
    if not is_postgres:
        pytest.skip("SQLite, a dev and test store, has no trigram index: it scans")
    session.execute(text("SET LOCAL enable_seqscan = off"))
    session.execute(text("SET LOCAL enable_indexscan = off"))  # so a tiny table still shows it
    connection = session.connection()
    search = filtered(EnterpriseFilter(q="精密_轴承%")).compile(connection)
    plan = "\n".join(row[0] for row in connection.exec_driver_sql(
        f"EXPLAIN {search}", search.params))
    assert "ix_enterprise_name_trgm" in plan and "ix_enterprise_uscc_trgm" in plan, plan
