"""Every pool member has a responsible curator (issue 12 item 5).

A firm admitted to a pool — by one pipeline move or in a round's batch — with nobody
responsible yet gets the bureau user who admitted it, audited with why and evented as an
assignment is; a firm that already has a curator keeps them. The worklist's ``unassigned``
section lists the members (admitted and on) nobody looks after, district-wide, each firm
once, in keyset pages counted in SQL.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from flask.testing import FlaskClient
from registry_testkit import HEADERS
from registry_testkit import create_enterprise
from registry_testkit import new_uscc
from registry_testkit import nominate
from round_kit import open_round
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.models.base import outbox_table
from yumiao_common.contracts.events import parse_event
from yumiao_common.contracts.registry import CultivationChanged

pytestmark = pytest.mark.integration


def _user() -> str:
    return f"user:admit.{uuid.uuid4().hex[:8]}"


def _as(actor: str, request_id: str | None = None) -> dict[str, str]:
    return {"X-Actor": actor, **({"X-Request-ID": request_id} if request_id else {})}


def _move(client: FlaskClient, uscc: str, to_stage: str, actor: str, *,
          pool: str = "hnte_reserve", request_id: str | None = None) -> Any:
    version = client.get(f"/api/v1/pools/{pool}/members/{uscc}").json["version"]
    response = client.post(f"/api/v1/pools/{pool}/members/{uscc}/moves",
                           headers=_as(actor, request_id),
                           json={"to_stage": to_stage, "reason": "评审通过", "version": version})
    assert response.status_code == 200, response.json
    return response


def _admit(client: FlaskClient, uscc: str, actor: str, **kw: Any) -> Any:
    _move(client, uscc, "screened", actor, pool=kw.get("pool", "hnte_reserve"))
    return _move(client, uscc, "admitted", actor, **kw)


def _curator_of(client: FlaskClient, uscc: str) -> str | None:
    response = client.get(f"/api/v1/enterprises/{uscc}/curator")
    return response.json["curator"] if response.status_code == 200 else None


def _firm(client: FlaskClient, *pools: str) -> str:
    uscc = new_uscc()
    create_enterprise(client, uscc)
    for pool in pools:
        nominate(client, pool, uscc)
    return uscc


def test_the_admitting_user_becomes_responsible_audited_and_evented(
    client: FlaskClient, session: Session
) -> None:
    uscc, admitter = _firm(client, "hnte_reserve"), _user()
    _move(client, uscc, "screened", admitter)
    assert _curator_of(client, uscc) is None  # screening is not admission
    request_id = uuid.uuid4().hex
    _move(client, uscc, "admitted", admitter, request_id=request_id)
    assert _curator_of(client, uscc) == admitter
    member = client.get(f"/api/v1/pools/hnte_reserve/members/{uscc}").json
    assert member["curator"] == admitter
    audit = [a for a in client.get(f"/api/v1/enterprises/{uscc}/audit").json["items"]
             if a["entity"] == "curatorship"]
    assert [(a["actor"], a["changes"]["curator"]) for a in audit] == [
        (admitter, {"from": None, "to": admitter})]
    assert "入库" in audit[0]["reason"] and "评审通过" in audit[0]["reason"]
    rows = session.execute(select(outbox_table.c.payload).where(
        outbox_table.c.correlation_id == request_id)).all()
    events = [parse_event(json.dumps(p)) for (p,) in rows]
    [assigned] = [e for e in events if isinstance(e, CultivationChanged)]
    assert (assigned.payload.record, assigned.payload.action, assigned.payload.actor,
            assigned.payload.curator) == ("curator", "create", admitter, admitter)


def test_a_firm_with_a_curator_keeps_them_when_admitted_elsewhere(client: FlaskClient) -> None:
    uscc, admitter = _firm(client, "hnte_reserve", "tech_sme"), _user()
    assigned = client.put(f"/api/v1/enterprises/{uscc}/curator", headers=HEADERS,
                          json={"curator": "user:li.na", "reason": "包联分工"})
    assert assigned.status_code == 201
    _admit(client, uscc, admitter)
    _admit(client, uscc, _user(), pool="tech_sme")
    assert _curator_of(client, uscc) == "user:li.na"
    audit = [a for a in client.get(f"/api/v1/enterprises/{uscc}/audit").json["items"]
             if a["entity"] == "curatorship"]
    assert len(audit) == 1


def test_a_round_batch_admit_makes_the_admitting_user_responsible_for_each_firm(
    client: FlaskClient,
) -> None:
    found = open_round(client, quota=3)
    admitter = _user()
    kept = _firm(client)
    fresh = _firm(client)
    client.put(f"/api/v1/enterprises/{kept}/curator", headers=HEADERS,
               json={"curator": "user:wang.fang"})
    for action in ("nominate", "screen", "admit"):
        response = client.post(f"/api/v1/rounds/{found['id']}/batches", headers=_as(admitter),
                               json={"action": action, "usccs": [kept, fresh],
                                     "reason": "2026 年度集中遴选"})
        assert response.status_code == 200, response.json
        if action != "admit":
            assert _curator_of(client, fresh) is None
    assert (_curator_of(client, fresh), _curator_of(client, kept)) == (admitter,
                                                                        "user:wang.fang")


def test_an_admission_by_a_process_assigns_nobody(client: FlaskClient) -> None:
    uscc = _firm(client, "hnte_reserve")
    _admit(client, uscc, "system:import")
    assert _curator_of(client, uscc) is None


def _unassigned(client: FlaskClient, **query: Any) -> Any:
    response = client.get("/api/v1/worklist", headers=_as(_user()), query_string=query)
    assert response.status_code == 200, response.json
    return response.json["unassigned"]


def _walk(client: FlaskClient, limit: int) -> tuple[list[dict[str, Any]], int]:
    items: list[dict[str, Any]] = []
    first = page = _unassigned(client, limit=limit)
    while True:
        items += page["items"]
        if page["next_cursor"] is None:
            return items, first["total"]
        page = _unassigned(client, limit=limit, unassigned_cursor=page["next_cursor"])


def test_members_without_a_curator_are_listed_once_in_pages_with_their_total(
    client: FlaskClient,
) -> None:
    before = _unassigned(client, limit=1)["total"]
    twice = _firm(client, "hnte_reserve", "tech_sme")  # a member of two pools: listed once
    _admit(client, twice, "system:lifecycle")
    _admit(client, twice, "system:lifecycle", pool="tech_sme")
    alone = _firm(client, "hnte_reserve")
    _admit(client, alone, "system:lifecycle")
    looked_after = _firm(client, "hnte_reserve")
    _admit(client, looked_after, _user())
    candidate = _firm(client, "hnte_reserve")  # nominated only: not a member yet
    left = _firm(client, "hnte_reserve")
    _admit(client, left, "system:lifecycle")
    _move(client, left, "withdrawn", "system:lifecycle")  # no longer in the pool
    items, total = _walk(client, limit=2)
    assert total == before + 2 == len(items)
    assert len({i["uscc"] for i in items}) == len(items)
    mine = {i["uscc"]: i["pools"] for i in items if i["uscc"] in {twice, alone}}
    assert mine == {twice: [{"pool": "hnte_reserve", "stage": "admitted"},
                            {"pool": "tech_sme", "stage": "admitted"}],
                    alone: [{"pool": "hnte_reserve", "stage": "admitted"}]}
    assert not {looked_after, candidate, left} & {i["uscc"] for i in items}
    client.put(f"/api/v1/enterprises/{alone}/curator", headers=HEADERS,
               json={"curator": "user:zhao.lei"})
    assert _unassigned(client, limit=1)["total"] == before + 1


@pytest.mark.parametrize("cursor", ["not-a-cursor", "eyJ4IjoxfQ", "x" * 600])
def test_a_bad_unassigned_cursor_is_a_422_naming_it(client: FlaskClient, cursor: str) -> None:
    response = client.get("/api/v1/worklist", headers=_as(_user()),
                          query_string={"unassigned_cursor": cursor})
    assert response.status_code == 422
    assert "unassigned_cursor" in response.json["error"]["fields"]
