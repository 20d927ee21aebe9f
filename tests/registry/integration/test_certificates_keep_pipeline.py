"""Certificates and the pipeline stay consistent (issue 12 item 3): recording a certificate
carries an admitted member on to 认定; 认定 records or requires its certificate; a revoked or
expired certificate reopens the member; every step is a move with history, audit and event."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from flask.testing import FlaskClient
from registry_testkit import HEADERS
from registry_testkit import move
from registry_testkit import nominate
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.models.base import outbox_table
from yumiao_common.clock import beijing_today
from yumiao_common.contracts.events import parse_event
from yumiao_common.contracts.registry import PipelineMoved

pytestmark = pytest.mark.integration


def _walk(client: FlaskClient, pool: str, uscc: str, stages: tuple[str, ...]) -> int:
    version = nominate(client, pool, uscc)["version"]
    for stage in stages:
        response = move(client, pool, uscc, stage, version)
        assert response.status_code == 200, response.json
        version = response.json["version"]
    return version


def _moves_of(session: Session, request_id: str) -> list[PipelineMoved]:
    rows = session.execute(select(outbox_table.c.payload).where(
        outbox_table.c.correlation_id == request_id).order_by(outbox_table.c.created_at))
    events = [parse_event(json.dumps(payload)) for (payload,) in rows]
    return [e for e in events if isinstance(e, PipelineMoved)]


def test_recording_the_certificate_certifies_a_cultivated_member(
    client: FlaskClient, session: Session, enterprise: dict[str, Any]
) -> None:
    uscc = enterprise["uscc"]
    _walk(client, "hnte_reserve", uscc, ("screened", "admitted", "cultivating"))
    nominate(client, "tech_sme", uscc)  # another pool's title: untouched
    request_id = uuid.uuid4().hex
    created = client.post(f"/api/v1/enterprises/{uscc}/certifications",
                          headers={**HEADERS, "X-Request-ID": request_id},
                          json={"tier": "hnte", "number": "GR202537000777",
                                "issued_on": "2025-11-20", "reason": "证书下发"})
    assert created.status_code == 201, created.json
    member = client.get(f"/api/v1/pools/hnte_reserve/members/{uscc}").json
    assert member["stage"] == "certified"
    history = client.get(f"/api/v1/pools/hnte_reserve/members/{uscc}/moves").json["items"]
    assert [(h["from_stage"], h["to_stage"]) for h in history[-2:]] == [
        ("cultivating", "applied"), ("applied", "certified")]
    assert all("GR202537000777" in h["reason"] for h in history[-2:])
    events = _moves_of(session, request_id)
    assert [(e.payload.pool, e.payload.to_stage) for e in events] == [
        ("hnte_reserve", "applied"), ("hnte_reserve", "certified")]
    assert client.get(f"/api/v1/pools/tech_sme/members/{uscc}").json["stage"] == "nominated"
    audit = client.get(f"/api/v1/enterprises/{uscc}/audit").json["items"]
    moves = [a for a in audit if a["entity"] == "pool_membership" and a["action"] == "move"]
    assert moves[-1]["changes"]["stage"] == {"from": "applied", "to": "certified"}


def test_a_nominated_firm_is_not_moved_by_a_certificate(
    client: FlaskClient, enterprise: dict[str, Any]
) -> None:
    uscc = enterprise["uscc"]
    nominate(client, "hnte_reserve", uscc)
    client.post(f"/api/v1/enterprises/{uscc}/certifications", headers=HEADERS,
                json={"tier": "hnte", "issued_on": "2025-11-20"})
    assert client.get(f"/api/v1/pools/hnte_reserve/members/{uscc}").json["stage"] == "nominated"


def test_certified_needs_a_certificate_or_records_the_one_given(
    client: FlaskClient, enterprise: dict[str, Any]
) -> None:
    uscc = enterprise["uscc"]
    version = _walk(client, "tech_sme", uscc, ("screened", "admitted", "cultivating", "applied"))
    refused = move(client, "tech_sme", uscc, "certified", version)
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "certificate_required"
    assert refused.json["error"]["details"]["tier"] == "tech_sme"
    today = beijing_today().isoformat()
    done = move(client, "tech_sme", uscc, "certified", version,
                certificate={"number": "2025371502A0001", "issued_on": today})
    assert done.status_code == 200, done.json
    assert done.json["stage"] == "certified"
    certs = client.get(f"/api/v1/enterprises/{uscc}/certifications").json["items"]
    assert [(c["tier"], c["number"]) for c in certs] == [("tech_sme", "2025371502A0001")]
    assert certs[0]["expires_on"] == f"{beijing_today().year}-12-31"  # the tier's rule


@pytest.mark.parametrize("bad", [
    {"issued_on": "2999-01-01"},
    {"issued_on": "2025-01-01", "expires_on": "2024-01-01"},
])
def test_a_bad_certificate_given_with_the_move_changes_nothing(
    client: FlaskClient, enterprise: dict[str, Any], bad: dict[str, str]
) -> None:
    uscc = enterprise["uscc"]
    version = _walk(client, "tech_sme", uscc, ("screened", "admitted", "cultivating", "applied"))
    response = move(client, "tech_sme", uscc, "certified", version, certificate=bad)
    assert response.status_code == 422
    assert client.get(f"/api/v1/pools/tech_sme/members/{uscc}").json["stage"] == "applied"
    assert client.get(f"/api/v1/enterprises/{uscc}/certifications").json["items"] == []


def test_revoking_or_expiring_the_certificate_reopens_the_member(
    client: FlaskClient, enterprise: dict[str, Any]
) -> None:
    uscc = enterprise["uscc"]
    _walk(client, "hnte_reserve", uscc, ("screened", "admitted"))
    cert = client.post(f"/api/v1/enterprises/{uscc}/certifications", headers=HEADERS,
                       json={"tier": "hnte", "issued_on": "2025-11-20"}).json
    assert client.get(f"/api/v1/pools/hnte_reserve/members/{uscc}").json["stage"] == "certified"
    # Corrected to an expired certificate: the title is not held, the member reopens.
    patched = client.patch(f"/api/v1/enterprises/{uscc}/certifications/{cert['id']}",
                           headers=HEADERS, json={"issued_on": "2020-01-01",
                                                  "expires_on": "2023-01-01",
                                                  "version": cert["version"]})
    assert patched.status_code == 200, patched.json
    member = client.get(f"/api/v1/pools/hnte_reserve/members/{uscc}").json
    assert member["stage"] == "cultivating"
    # A new certificate certifies again; revoking it (delete) reopens again.
    again = client.post(f"/api/v1/enterprises/{uscc}/certifications", headers=HEADERS,
                        json={"tier": "hnte", "issued_on": "2025-11-21"}).json
    assert client.get(f"/api/v1/pools/hnte_reserve/members/{uscc}").json["stage"] == "certified"
    deleted = client.delete(f"/api/v1/enterprises/{uscc}/certifications/{again['id']}",
                            headers={**HEADERS, "If-Match": str(again["version"])})
    assert deleted.status_code == 204
    history = client.get(f"/api/v1/pools/hnte_reserve/members/{uscc}/moves").json["items"]
    assert history[-1]["to_stage"] == "cultivating" and "失效" in history[-1]["reason"]


def test_withdrawal_carries_a_structured_exit_reason(
    client: FlaskClient, session: Session, enterprise: dict[str, Any]
) -> None:
    uscc = enterprise["uscc"]
    nominate(client, "listing_reserve", uscc)
    request_id = uuid.uuid4().hex
    response = client.post(f"/api/v1/pools/listing_reserve/members/{uscc}/moves",
                           headers={**HEADERS, "X-Request-ID": request_id},
                           json={"to_stage": "withdrawn", "reason": "企业申请退出",
                                 "exit_reason": "withdrew", "version": 1})
    assert response.status_code == 200 and response.json["exit_reason"] == "withdrew"
    [event] = _moves_of(session, request_id)
    assert event.payload.exit_reason == "withdrew"
    renominated = move(client, "listing_reserve", uscc, "nominated", response.json["version"])
    assert renominated.json["exit_reason"] is None


@pytest.mark.parametrize(("extra", "field"), [
    ({"certificate": {"issued_on": "2025-01-01"}}, "certificate"),
    ({"exit_reason": "withdrew"}, "exit_reason"),
])
def test_a_certificate_or_exit_reason_goes_only_with_its_move(
    client: FlaskClient, enterprise: dict[str, Any], extra: dict[str, Any], field: str
) -> None:
    uscc = enterprise["uscc"]
    nominate(client, "tech_sme", uscc)
    response = move(client, "tech_sme", uscc, "screened", 1, **extra)
    assert response.status_code == 422 and field in response.json["error"]["fields"]
    assert client.get(f"/api/v1/pools/tech_sme/members/{uscc}").json["stage"] == "nominated"
