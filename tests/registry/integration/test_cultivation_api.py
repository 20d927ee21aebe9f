"""Cultivation (issue 12 item 5): a responsible curator per firm; service records with
follow-ups, private to the bureau unless shared; problems followed up until resolved; the
curator's worklist. Every change leaves an audit row."""

from __future__ import annotations

import json
import uuid
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from registry_testkit import HEADERS
from registry_testkit import create_enterprise
from registry_testkit import new_uscc
from registry_testkit import nominate
from round_kit import eligibility
from round_kit import feed
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from registry.models.base import outbox_table
from yumiao_common.clock import beijing_today
from yumiao_common.contracts.events import parse_event
from yumiao_common.contracts.registry import CultivationChanged

pytestmark = pytest.mark.integration

TODAY = beijing_today()


def _curator() -> str:
    return f"user:curator.{uuid.uuid4().hex[:8]}"


def _assign(client: FlaskClient, uscc: str, curator: str) -> Any:
    return client.put(f"/api/v1/enterprises/{uscc}/curator", headers=HEADERS,
                      json={"curator": curator, "reason": "包联分工"})


def _service(client: FlaskClient, uscc: str, **body: Any) -> Any:
    return client.post(f"/api/v1/enterprises/{uscc}/services", headers=HEADERS, json={
        "kind": "visit", "served_on": TODAY.isoformat(), "summary": "走访了解研发投入", **body})


def test_a_firm_has_one_responsible_curator(client: FlaskClient,
                                            enterprise: dict[str, Any]) -> None:
    uscc = enterprise["uscc"]
    assert client.get(f"/api/v1/enterprises/{uscc}/curator").status_code == 404
    nominate(client, "hnte_reserve", uscc)
    assert client.get(f"/api/v1/pools/hnte_reserve/members/{uscc}").json["curator"] is None
    first = _assign(client, uscc, "user:zhang.wei")
    assert first.status_code == 201 and first.json["curator"] == "user:zhang.wei"
    member = client.get(f"/api/v1/pools/hnte_reserve/members/{uscc}").json
    assert member["curator"] == "user:zhang.wei"  # every pool list shows who looks after it
    stale = client.put(f"/api/v1/enterprises/{uscc}/curator", headers=HEADERS,
                       json={"curator": "user:li.na", "version": first.json["version"] + 5})
    assert stale.status_code == 409
    changed = client.put(f"/api/v1/enterprises/{uscc}/curator", headers=HEADERS,
                         json={"curator": "user:li.na", "version": first.json["version"]})
    assert changed.status_code == 200 and changed.json["curator"] == "user:li.na"
    bad = _assign(client, uscc, "enterprise:91371500614071479T")
    assert bad.status_code == 422
    audit = client.get(f"/api/v1/enterprises/{uscc}/audit").json["items"]
    assert [a["changes"]["curator"] for a in audit if a["entity"] == "curatorship"] == [
        {"from": None, "to": "user:zhang.wei"}, {"from": "user:zhang.wei", "to": "user:li.na"}]


def test_service_notes_are_private_unless_shared(client: FlaskClient,
                                                 enterprise: dict[str, Any]) -> None:
    uscc = enterprise["uscc"]
    private = _service(client, uscc, summary="内部评估：财务数据存疑")
    assert private.status_code == 201, private.json
    assert private.json["served_by"] == HEADERS["X-Actor"]
    assert private.json["shared_with_firm"] is False
    shared = _service(client, uscc, kind="policy_briefing", summary="研发费用加计扣除政策宣讲",
                      shared_with_firm=True, follow_up="提交归集表",
                      follow_up_due=(TODAY + timedelta(days=14)).isoformat())
    assert shared.status_code == 201
    mine = client.get(f"/api/v1/enterprises/{uscc}/services").json["items"]
    assert len(mine) == 2
    seen = client.get(f"/api/v1/enterprises/{uscc}/shared-services").json["items"]
    assert [s["summary"] for s in seen] == ["研发费用加计扣除政策宣讲"]
    assert set(seen[0]) == {"id", "kind", "served_on", "summary", "follow_up", "follow_up_due"}
    share = client.patch(f"/api/v1/enterprises/{uscc}/services/{private.json['id']}",
                         headers=HEADERS, json={"shared_with_firm": True,
                                                "version": private.json["version"]})
    assert share.status_code == 200
    assert len(client.get(f"/api/v1/enterprises/{uscc}/shared-services").json["items"]) == 2


@pytest.mark.parametrize(("body", "field"), [
    ({"kind": "karaoke"}, "kind"),
    ({"served_on": "2999-01-01"}, "served_on"),
    ({"follow_up_due": "2000-01-01"}, "follow_up_due"),
    ({"summary": ""}, "summary"),
    ({"served_by": "enterprise:x"}, "served_by"),
])
def test_bad_service_records_are_refused(client: FlaskClient, enterprise: dict[str, Any],
                                         body: dict[str, Any], field: str) -> None:
    response = _service(client, enterprise["uscc"], **body)
    assert response.status_code == 422 and field in response.json["error"]["fields"]


def test_problems_are_followed_up_until_resolved(client: FlaskClient,
                                                 enterprise: dict[str, Any]) -> None:
    uscc = enterprise["uscc"]
    raised = client.post(f"/api/v1/enterprises/{uscc}/problems", headers=HEADERS, json={
        "title": "研发用地指标不足", "raised_on": TODAY.isoformat()})
    assert raised.status_code == 201 and raised.json["status"] == "open"
    pid, version = raised.json["id"], raised.json["version"]
    no_resolution = client.patch(f"/api/v1/enterprises/{uscc}/problems/{pid}",
                                 headers=HEADERS, json={"status": "resolved",
                                                        "version": version})
    assert no_resolution.status_code == 422
    working = client.patch(f"/api/v1/enterprises/{uscc}/problems/{pid}", headers=HEADERS,
                           json={"status": "in_progress", "version": version})
    assert working.status_code == 200
    done = client.patch(f"/api/v1/enterprises/{uscc}/problems/{pid}", headers=HEADERS,
                        json={"status": "resolved", "resolution": "已协调自然资源局",
                              "version": working.json["version"], "reason": "协调完成"})
    assert done.status_code == 200
    assert (done.json["status"], done.json["resolved_on"]) == ("resolved", TODAY.isoformat())
    assert client.get(f"/api/v1/enterprises/{uscc}/shared-problems").json["items"] == []
    shared = client.patch(f"/api/v1/enterprises/{uscc}/problems/{pid}", headers=HEADERS,
                          json={"shared_with_firm": True, "version": done.json["version"]})
    seen = client.get(f"/api/v1/enterprises/{uscc}/shared-problems").json["items"]
    assert [(p["title"], p["status"], p["resolution"]) for p in seen] == [
        ("研发用地指标不足", "resolved", "已协调自然资源局")]
    assert "raised_by" not in seen[0]
    done = shared
    illegal = client.patch(f"/api/v1/enterprises/{uscc}/problems/{pid}", headers=HEADERS,
                           json={"status": "in_progress", "version": done.json["version"]})
    assert illegal.status_code == 409 and illegal.json["error"]["details"]["allowed"] == ["open"]
    audit = client.get(f"/api/v1/enterprises/{uscc}/audit").json["items"]
    problem_rows = [a for a in audit if a["entity"] == "problem"]
    assert [a["action"] for a in problem_rows] == ["create", "update", "update", "update"]
    assert problem_rows[2]["reason"] == "协调完成"


def test_worklist_gathers_what_a_curator_must_do(
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    me = _curator()
    visited, never, other = new_uscc(), new_uscc(), new_uscc()
    for code in (visited, never, other):
        create_enterprise(client, code)
    _assign(client, visited, me)
    _assign(client, never, me)
    _assign(client, other, _curator())
    last_week = TODAY - timedelta(days=7)
    _service(client, visited, served_on=last_week.isoformat(), follow_up="补充材料",
             follow_up_due=(TODAY - timedelta(days=2)).isoformat())
    done = _service(client, visited, served_on=last_week.isoformat(), follow_up="已办",
                    follow_up_due=(TODAY - timedelta(days=3)).isoformat(),
                    follow_up_done_on=TODAY.isoformat())
    assert done.status_code == 201
    now = datetime.now(UTC)
    feed(sessions,
         eligibility(visited, "eligible", "75", at=now),  # after the visit: listed
         eligibility(visited, "near", "60", tier="tech_sme",
                     at=now - timedelta(days=30)),  # before the visit: not listed
         eligibility(never, "near", "55", at=now - timedelta(days=300)),  # never visited
         eligibility(other, "eligible", "90", at=now))  # not mine
    client.post(f"/api/v1/enterprises/{never}/certifications", headers=HEADERS, json={
        "tier": "tech_sme", "issued_on": (TODAY - timedelta(days=300)).isoformat(),
        "expires_on": (TODAY + timedelta(days=20)).isoformat()})
    client.post(f"/api/v1/enterprises/{never}/problems", headers=HEADERS, json={
        "title": "融资难", "raised_on": (TODAY - timedelta(days=5)).isoformat()})
    response = client.get(f"/api/v1/worklist?curator={me}")
    assert response.status_code == 200, response.json
    work = response.json
    assert {f["uscc"] for f in work["firms"]["items"]} == {visited, never}
    assert [(f["uscc"], f["last_visit_on"]) for f in work["firms"]["items"]
            if f["uscc"] == visited] == [(visited, last_week.isoformat())]
    assert [(o["uscc"], o["days_overdue"]) for o in work["overdue_follow_ups"]["items"]] == [
        (visited, 2)]
    assert sorted((r["uscc"], r["tier"]) for r in work["readiness_changes"]["items"]) == sorted(
        [(visited, "hnte"), (never, "hnte")])
    assert [(e["uscc"], e["days_left"]) for e in work["expiring_certificates"]["items"]] == [
        (never, 20)]
    assert [(p["uscc"], p["days_open"]) for p in work["open_problems"]["items"]] == [(never, 5)]
    # Without ``curator`` the caller's own worklist; capped sections keep their totals.
    own = client.get("/api/v1/worklist?limit=1", headers={"X-Actor": me}).json
    assert own["curator"] == me and own["firms"]["total"] == 2
    assert len(own["firms"]["items"]) == 1


def test_changes_are_evented_without_the_notes_text(
    client: FlaskClient, session: Session, enterprise: dict[str, Any]
) -> None:
    uscc = enterprise["uscc"]
    _assign(client, uscc, "user:zhang.wei")
    request_id = uuid.uuid4().hex
    created = client.post(f"/api/v1/enterprises/{uscc}/services",
                          headers={**HEADERS, "X-Request-ID": request_id},
                          json={"kind": "financing_match", "served_on": TODAY.isoformat(),
                                "summary": "银行授信额度内部评估", "shared_with_firm": True})
    assert created.status_code == 201
    rows = session.execute(select(outbox_table.c.payload).where(
        outbox_table.c.correlation_id == request_id)).all()
    [event] = [parse_event(json.dumps(p)) for (p,) in rows]
    assert isinstance(event, CultivationChanged)
    assert (event.payload.record, event.payload.kind, event.payload.curator,
            event.payload.shared_with_firm) == ("service", "financing_match", "user:zhang.wei",
                                                True)
    assert "银行" not in json.dumps(rows[0][0], ensure_ascii=False)
