"""Events go through the outbox in the change's own transaction: one row per change, with the
profile snapshot or the move, parseable by the shared contracts; nothing when it rolls back."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from flask.testing import FlaskClient
from registry_testkit import HEADERS
from registry_testkit import enterprise_body
from registry_testkit import move
from registry_testkit import new_uscc
from registry_testkit import nominate
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from registry import handlers
from registry.handlers.journal import Who
from registry.models import Enterprise
from registry.models.base import outbox_table
from yumiao_common.contracts.events import parse_event
from yumiao_common.contracts.profile import Profile
from yumiao_common.contracts.registry import EnterpriseChanged
from yumiao_common.contracts.registry import PipelineMoved

pytestmark = pytest.mark.integration


def _events(session: Session, correlation_id: str) -> list[Any]:
    rows = session.execute(select(outbox_table.c.payload).where(
        outbox_table.c.correlation_id == correlation_id).order_by(outbox_table.c.created_at))
    return [parse_event(json.dumps(payload)) for (payload,) in rows]


def _rid() -> dict[str, str]:
    return {**HEADERS, "X-Request-ID": uuid.uuid4().hex}


def test_create_writes_one_snapshot_event_that_validates_as_a_profile(
    client: FlaskClient, session: Session
) -> None:
    headers = _rid()
    uscc = new_uscc()
    assert client.post("/api/v1/enterprises", json=enterprise_body(uscc),
                       headers=headers).status_code == 201
    [event] = _events(session, headers["X-Request-ID"])
    assert isinstance(event, EnterpriseChanged)
    assert event.payload.change == "enterprise.created" and event.payload.version == 1
    assert Profile.model_validate(event.payload.profile).enterprise.uscc == uscc


def test_every_profile_change_bumps_the_snapshot_version(
    client: FlaskClient, session: Session, enterprise: dict[str, Any]
) -> None:
    uscc = enterprise["uscc"]
    headers = _rid()
    client.post(f"/api/v1/enterprises/{uscc}/awards", headers=headers,
                json={"level": "national", "year": 2024, "rank": 1})
    [event] = _events(session, headers["X-Request-ID"])
    assert event.payload.version == enterprise["profile_version"] + 1
    assert event.payload.profile["awards"] == [{"level": "national", "year": 2024, "rank": 1}]
    # the enterprise's own edit version is untouched by a profile change elsewhere
    assert client.get(f"/api/v1/enterprises/{uscc}").json["version"] == enterprise["version"]


def test_move_writes_a_pipeline_moved_event_with_actor_and_reason(
    client: FlaskClient, session: Session, enterprise: dict[str, Any]
) -> None:
    nominate(client, "hnte_reserve", enterprise["uscc"])
    headers = _rid()
    response = client.post(f"/api/v1/pools/hnte_reserve/members/{enterprise['uscc']}/moves",
                           json={"to_stage": "screened", "reason": "符合遴选条件", "version": 1},
                           headers=headers)
    assert response.status_code == 200
    events = _events(session, headers["X-Request-ID"])
    [moved] = [e for e in events if isinstance(e, PipelineMoved)]
    [changed] = [e for e in events if isinstance(e, EnterpriseChanged)]
    assert (moved.payload.from_stage, moved.payload.to_stage) == ("nominated", "screened")
    assert moved.payload.actor == HEADERS["X-Actor"] and moved.payload.reason == "符合遴选条件"
    # the snapshot scoring ranks by carries the live pool memberships
    assert changed.payload.pools == ("hnte_reserve",)


def test_a_withdrawn_member_leaves_the_snapshot_pools(
    client: FlaskClient, session: Session, enterprise: dict[str, Any]
) -> None:
    uscc = enterprise["uscc"]
    nominate(client, "tech_sme", uscc)
    headers = _rid()
    response = client.post(f"/api/v1/pools/tech_sme/members/{uscc}/moves",
                           json={"to_stage": "withdrawn", "reason": "企业申请退库", "version": 1},
                           headers=headers)
    assert response.status_code == 200
    changed = [e for e in _events(session, headers["X-Request-ID"])
               if isinstance(e, EnterpriseChanged)]
    assert [e.payload.pools for e in changed] == [()]


def test_refused_requests_write_no_events(
    client: FlaskClient, session: Session, enterprise: dict[str, Any]
) -> None:
    uscc = enterprise["uscc"]
    nominate(client, "tech_sme", uscc)
    headers = _rid()
    assert move(client, "tech_sme", uscc, "applied", 1).status_code == 409
    ip = {"kind": "utility_model", "number": "ZL1", "acquired_by": "other",
          "related_to_main_product": False}
    client.post(f"/api/v1/enterprises/{uscc}/ip", json=ip, headers=HEADERS)
    assert client.post(f"/api/v1/enterprises/{uscc}/ip", json=ip,
                       headers=headers).status_code == 409  # unique key, after the flush
    assert _events(session, headers["X-Request-ID"]) == []


def test_rolled_back_change_leaves_neither_row_nor_event(
    sessions: sessionmaker[Session]
) -> None:
    uscc, rid = new_uscc(), uuid.uuid4().hex
    who = Who(actor="test", request_id=rid)
    with sessions() as session:
        handlers.create_enterprise(session, data={"uscc": uscc, "name": "回滚测试"}, who=who)
        assert len(_events(session, rid)) == 1  # written in the transaction…
        session.rollback()  # …and gone with it
    with sessions() as session:
        assert _events(session, rid) == []
        assert session.scalars(select(Enterprise).where(Enterprise.uscc == uscc)).first() is None


def test_recorded_review_outcomes_reach_the_profile_and_its_snapshot(
    client: FlaskClient, session: Session, enterprise: dict[str, Any]
) -> None:
    uscc = enterprise["uscc"]
    headers = _rid()
    reviews = {"little_giant.c5_reputation": {"outcome": "pass", "reviewed_on": "2026-10-09",
                                              "by": "专家组", "note": "行业知名度较高"}}
    resp = client.patch(f"/api/v1/enterprises/{uscc}", headers=headers,
                        json={"version": enterprise["version"], "reason": "专家评审结果",
                              "assessments": {"reviews": reviews}})
    assert resp.status_code == 200, resp.json
    [event] = _events(session, headers["X-Request-ID"])
    profile = Profile.model_validate(event.payload.profile)
    assert profile.assessments.reviews["little_giant.c5_reputation"].outcome == "pass"
    shown = client.get(f"/api/v1/enterprises/{uscc}/profile").json["assessments"]["reviews"]
    assert shown == reviews


@pytest.mark.parametrize("reviews, field", [
    ({"Little Giant": {"outcome": "pass", "reviewed_on": "2026-10-09"}}, "assessments.reviews"),
    ({"little_giant.c5_reputation": {"outcome": "maybe", "reviewed_on": "2026-10-09"}},
     "assessments.reviews"),
    ({"little_giant.c5_reputation": {"outcome": "pass"}}, "assessments.reviews"),
])
def test_a_malformed_review_is_refused_and_changes_nothing(
    client: FlaskClient, enterprise: dict[str, Any], reviews: dict[str, Any], field: str
) -> None:
    uscc = enterprise["uscc"]
    body = {"version": enterprise["version"], "assessments": {"reviews": reviews}}
    resp = client.patch(f"/api/v1/enterprises/{uscc}", headers=HEADERS, json=body)
    assert resp.status_code == 422
    assert any(k.startswith(field) for k in resp.json["error"]["fields"]), resp.json
    assert client.get(f"/api/v1/enterprises/{uscc}").json["version"] == enterprise["version"]
