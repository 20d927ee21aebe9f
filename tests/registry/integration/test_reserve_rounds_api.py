"""Reserve rounds (issue 12 item 4): a round per pool and year with its quota; candidates from
the readiness ranking without holders and members; batches nominate → screen → admit with
one reason, all or nothing; the 入库名单 published as JSON pages and XLSX; admissions end on
their date with a structured exit reason and one event each."""

from __future__ import annotations

import io
import json
import uuid
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from registry_testkit import HEADERS
from registry_testkit import create_enterprise
from registry_testkit import new_uscc
from registry_testkit import nominate
from round_kit import batch
from round_kit import eligibility
from round_kit import feed
from round_kit import open_round
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from registry.models.base import outbox_table
from yumiao_common.clock import beijing_today
from yumiao_common.contracts.events import parse_event
from yumiao_common.contracts.registry import PipelineMoved
from yumiao_common.contracts.registry import RoundChanged

pytestmark = pytest.mark.integration


def _firms(client: FlaskClient, n: int, **overrides: Any) -> list[str]:
    usccs = [new_uscc() for _ in range(n)]
    for code in usccs:
        create_enterprise(client, code, **overrides)
    return usccs


def _all_candidates(client: FlaskClient, round_id: int, query: str = "") -> list[dict[str, Any]]:
    items, cursor = [], None
    while True:
        url = f"/api/v1/rounds/{round_id}/candidates?limit=2{query}"
        response = client.get(url + (f"&cursor={cursor}" if cursor else ""))
        assert response.status_code == 200, response.json
        items += response.json["items"]
        cursor = response.json["next_cursor"]
        if cursor is None:
            return items


def test_a_round_has_one_year_per_pool_and_the_reserve_quota_of_20(
    client: FlaskClient,
) -> None:
    found = open_round(client)
    assert (found["quota"], found["valid_months"], found["status"]) == (20, 24, "open")
    again = client.post("/api/v1/rounds", headers=HEADERS, json={
        "pool": "hnte_reserve", "year": found["year"], "opens_on": "2030-01-01",
        "closes_on": "2030-02-01"})
    assert again.status_code == 409 and again.json["error"]["code"] == "round_exists"
    no_quota = client.post("/api/v1/rounds", headers=HEADERS, json={
        "pool": "listing_reserve", "year": 2031, "opens_on": "2031-01-01",
        "closes_on": "2031-02-01"})
    assert no_quota.status_code == 422 and "quota" in no_quota.json["error"]["fields"]
    listed = client.get(f"/api/v1/rounds?pool=hnte_reserve&year={found['year']}").json
    assert [r["id"] for r in listed["items"]] == [found["id"]]


def test_candidates_rank_ready_firms_without_holders_or_members(
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    found = open_round(client)
    top, near, member, holder, ineligible, other_town = _firms(client, 6)
    far = new_uscc()
    create_enterprise(client, far, town_code="371502102")
    feed(sessions, eligibility(top, "eligible", "88.5"), eligibility(near, "near", "65"),
         eligibility(member, "eligible", "90"), eligibility(holder, "eligible", "95"),
         eligibility(ineligible, "ineligible", "20"), eligibility(other_town, "near", None),
         eligibility(far, "eligible", "99"))
    nominate(client, "hnte_reserve", member)
    client.post(f"/api/v1/enterprises/{holder}/certifications", headers=HEADERS,
                json={"tier": "hnte", "issued_on": "2025-01-10"})
    mine = {top, near, member, holder, ineligible, other_town, far}
    ranked = [c["uscc"] for c in _all_candidates(client, found["id"]) if c["uscc"] in mine]
    assert ranked.index(far) < ranked.index(top) < ranked.index(near)
    assert ranked.index(near) < ranked.index(other_town)  # no score sorts last among near
    assert member not in ranked and holder not in ranked and ineligible not in ranked
    eligible_only = _all_candidates(client, found["id"], "&verdict=eligible&min_score=80")
    assert {c["uscc"] for c in eligible_only} & mine == {top, far}
    in_town = _all_candidates(client, found["id"], "&town=371502102")
    assert far in [c["uscc"] for c in in_town] and top not in [c["uscc"] for c in in_town]
    by_industry = _all_candidates(client, found["id"], "&industry=Z")
    assert not {c["uscc"] for c in by_industry} & mine


def test_batches_nominate_screen_admit_within_the_quota_all_or_nothing(
    client: FlaskClient, session: Session
) -> None:
    found = open_round(client, quota=2)
    a, b, c = _firms(client, 3)
    nominated = batch(client, found["id"], "nominate", [a, b, c], reason="2026 年度集中遴选")
    assert nominated.status_code == 200, nominated.json
    assert [m["stage"] for m in nominated.json["moved"]] == ["nominated"] * 3
    assert all(m["round_id"] == found["id"] for m in nominated.json["moved"])
    assert batch(client, found["id"], "screen", [a, b, c]).status_code == 200
    over = batch(client, found["id"], "admit", [a, b, c])
    assert over.status_code == 409 and over.json["error"]["code"] == "quota_exceeded"
    # One firm that cannot take the step refuses the whole batch, naming it.
    assert batch(client, found["id"], "reject", [c]).status_code == 200
    refused = batch(client, found["id"], "admit", [a, c])
    assert refused.status_code == 409 and refused.json["error"]["code"] == "batch_refused"
    assert list(refused.json["error"]["details"]["failures"]) == [c]
    assert client.get(f"/api/v1/pools/hnte_reserve/members/{a}").json["stage"] == "screened"
    admitted = batch(client, found["id"], "admit", [a, b], reason="评审通过")
    assert admitted.status_code == 200
    until = admitted.json["moved"][0]["valid_until"]
    assert until > beijing_today().isoformat()
    view = client.get(f"/api/v1/rounds/{found['id']}").json
    assert (view["admitted"], view["quota_left"]) == (2, 0)
    assert view["members_by_stage"] == {"admitted": 2, "rejected": 1}
    history = client.get(f"/api/v1/pools/hnte_reserve/members/{a}/moves").json["items"]
    assert history[-1]["reason"] == "评审通过"
    outside = batch(client, found["id"], "screen", [new_uscc()])
    assert outside.status_code == 409


def _events(session: Session, request_id: str) -> list[Any]:
    rows = session.execute(select(outbox_table.c.payload).where(
        outbox_table.c.correlation_id == request_id)).all()
    return [parse_event(json.dumps(p)) for (p,) in rows]


def test_published_roster_is_final_as_json_and_xlsx(client: FlaskClient,
                                                   session: Session) -> None:
    found = open_round(client, quota=5)
    named = new_uscc()
    create_enterprise(client, named, name="=HYPERLINK(\"http://x\")")
    plain, = _firms(client, 1)
    for step in ("nominate", "screen", "admit"):
        assert batch(client, found["id"], step, [named, plain]).status_code == 200
    roster = client.get(f"/api/v1/rounds/{found['id']}/roster").json
    assert [m["uscc"] for m in roster["items"]] == [named, plain]
    request_id = uuid.uuid4().hex
    published = client.post(f"/api/v1/rounds/{found['id']}/publication",
                            headers={**HEADERS, "X-Request-ID": request_id},
                            json={"reason": "局务会审定", "version": found["version"]})
    assert published.status_code == 200, published.json
    assert published.json["status"] == "published"
    rounds = [e for e in _events(session, request_id) if isinstance(e, RoundChanged)]
    assert [(e.payload.action, e.payload.admitted, e.payload.reason) for e in rounds] == [
        ("published", 2, "局务会审定")]
    late = batch(client, found["id"], "nominate", _firms(client, 1))
    assert late.status_code == 409 and late.json["error"]["code"] == "round_published"
    xlsx = client.get(f"/api/v1/rounds/{found['id']}/roster.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "已公布 / Published"
    assert [r[1] for r in rows[2:]] == [named, plain]
    assert rows[2][2] == "=HYPERLINK(\"http://x\")"
    assert sheet.cell(3, 3).data_type == "s"  # text, never a formula
    audit = client.get(f"/api/v1/enterprises/{plain}/audit").json["items"]
    assert any(a["entity"] == "reserve_round" and a["action"] == "publish" and
               a["reason"] == "局务会审定" for a in audit)
    # Exits stay possible after publication (适时动态调整).
    out = batch(client, found["id"], "exit", [plain], exit_reason="disqualified",
                reason="存在严重失信行为")
    assert out.status_code == 200 and out.json["moved"][0]["exit_reason"] == "disqualified"
    no_reason = batch(client, found["id"], "exit", [named])
    assert no_reason.status_code == 422


def test_admissions_end_on_their_date_with_reason_and_event(
    app: Flask, client: FlaskClient, session: Session
) -> None:
    found = open_round(client, quota=3, valid_months=12)
    kept, certified = _firms(client, 2)
    for step in ("nominate", "screen", "admit"):
        assert batch(client, found["id"], step, [kept, certified]).status_code == 200
    client.post(f"/api/v1/enterprises/{certified}/certifications", headers=HEADERS,
                json={"tier": "hnte", "issued_on": beijing_today().isoformat()})
    assert client.get(
        f"/api/v1/pools/hnte_reserve/members/{certified}").json["stage"] == "certified"
    until = client.get(f"/api/v1/pools/hnte_reserve/members/{kept}").json["valid_until"]
    day = date.fromisoformat(until).replace(year=date.fromisoformat(until).year)
    after = date.fromordinal(day.toordinal() + 1).isoformat()
    runner = app.test_cli_runner()
    on_the_day = runner.invoke(args=["run-pipeline-lifecycle", "--today", until])
    assert on_the_day.exit_code == 0, on_the_day.output
    assert client.get(f"/api/v1/pools/hnte_reserve/members/{kept}").json["stage"] == "admitted"
    first = runner.invoke(args=["run-pipeline-lifecycle", "--today", after])
    assert first.exit_code == 0, first.output
    kept_now = client.get(f"/api/v1/pools/hnte_reserve/members/{kept}").json
    cert_now = client.get(f"/api/v1/pools/hnte_reserve/members/{certified}").json
    assert (kept_now["stage"], kept_now["exit_reason"]) == ("withdrawn", "lapsed")
    assert (cert_now["stage"], cert_now["exit_reason"]) == ("withdrawn", "certified")
    rows = session.execute(select(outbox_table.c.payload).where(
        outbox_table.c.correlation_id == f"lifecycle-{after}")).all()
    events = [parse_event(json.dumps(p)) for (p,) in rows]
    exits = {e.payload.uscc: e.payload.exit_reason for e in events
             if isinstance(e, PipelineMoved) and e.payload.uscc in (kept, certified)}
    assert exits == {kept: "lapsed", certified: "certified"}
    assert all(e.payload.round_id == found["id"] for e in events
               if isinstance(e, PipelineMoved) and e.payload.uscc in (kept, certified))
    second = runner.invoke(args=["run-pipeline-lifecycle", "--today", after])
    assert second.exit_code == 0 and "0 admissions ended" in second.output
