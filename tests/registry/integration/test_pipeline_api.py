"""Pools and pipeline moves over HTTP: nomination, legal and illegal moves (409 listing the
allowed ones), stale versions, ladder prerequisites, history with actor, reason and time."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from registry_testkit import ACTOR
from registry_testkit import HEADERS
from registry_testkit import move
from registry_testkit import nominate

pytestmark = pytest.mark.integration

HAPPY_PATH = ("screened", "admitted", "cultivating", "applied", "certified")


def test_member_walks_the_whole_pipeline_with_history(
    client: FlaskClient, enterprise: dict[str, Any]
) -> None:
    uscc = enterprise["uscc"]
    member = nominate(client, "hnte_reserve", uscc)
    assert member["stage"] == "nominated" and member["nominated_by"] == ACTOR
    version = member["version"]
    for stage in HAPPY_PATH:
        # 认定 records its certificate (issue 12 item 3).
        extra = {"certificate": {"number": "GR202537000001", "issued_on": "2025-12-01"}} \
            if stage == "certified" else {}
        response = move(client, "hnte_reserve", uscc, stage, version, reason=f"进入{stage}",
                        **extra)
        assert response.status_code == 200, response.json
        version = response.json["version"]
    history = client.get(f"/api/v1/pools/hnte_reserve/members/{uscc}/moves").json["items"]
    assert [(h["from_stage"], h["to_stage"]) for h in history] == [
        (None, "nominated"), ("nominated", "screened"), ("screened", "admitted"),
        ("admitted", "cultivating"), ("cultivating", "applied"), ("applied", "certified")]
    assert all(h["actor"] == ACTOR and h["moved_at"] for h in history)
    assert history[-1]["reason"] == "进入certified"
    audit = client.get(f"/api/v1/enterprises/{uscc}/audit").json["items"]
    assert [a["action"] for a in audit if a["entity"] == "pool_membership"] == \
        ["nominate"] + ["move"] * 5


def test_illegal_move_is_409_listing_allowed_moves_and_changes_nothing(
    client: FlaskClient, enterprise: dict[str, Any]
) -> None:
    uscc = enterprise["uscc"]
    nominate(client, "tech_sme", uscc)
    response = move(client, "tech_sme", uscc, "certified", 1)
    assert response.status_code == 409
    error = response.json["error"]
    assert error["code"] == "illegal_move"
    assert error["details"]["allowed_moves"] == ["screened", "rejected", "withdrawn"]
    member = client.get(f"/api/v1/pools/tech_sme/members/{uscc}").json
    assert member["stage"] == "nominated" and member["version"] == 1


def test_stale_move_is_409(client: FlaskClient, enterprise: dict[str, Any]) -> None:
    uscc = enterprise["uscc"]
    nominate(client, "tech_sme", uscc)
    assert move(client, "tech_sme", uscc, "screened", 1).status_code == 200
    stale = move(client, "tech_sme", uscc, "rejected", 1)
    assert stale.status_code == 409 and stale.json["error"]["code"] == "stale_version"


def test_withdrawn_member_can_be_renominated_but_not_nominated_twice(
    client: FlaskClient, enterprise: dict[str, Any]
) -> None:
    uscc = enterprise["uscc"]
    nominate(client, "listing_reserve", uscc)
    assert move(client, "listing_reserve", uscc, "withdrawn", 1,
                reason="企业主动退库").status_code == 200
    again = client.post("/api/v1/pools/listing_reserve/members", json={"uscc": uscc},
                        headers=HEADERS)
    assert again.status_code == 409
    assert again.json["error"]["details"]["allowed_moves"] == ["nominated"]
    assert move(client, "listing_reserve", uscc, "nominated", 2).status_code == 200


def test_ladder_rung_needs_the_title_below_before_applying(
    client: FlaskClient, enterprise: dict[str, Any]
) -> None:
    uscc = enterprise["uscc"]
    nominate(client, "srdi_sme", uscc)
    version = 1
    for stage in ("screened", "admitted", "cultivating"):
        version = move(client, "srdi_sme", uscc, stage, version).json["version"]
    refused = move(client, "srdi_sme", uscc, "applied", version)
    assert refused.status_code == 409
    assert refused.json["error"]["details"]["requires_tier"] == "innovative_sme"
    client.post(f"/api/v1/enterprises/{uscc}/certifications", headers=HEADERS,
                json={"tier": "innovative_sme", "issued_on": "2025-09-01"})
    assert move(client, "srdi_sme", uscc, "applied", version).status_code == 200


def test_pools_list_counts_members_by_stage(
    client: FlaskClient, enterprise: dict[str, Any]
) -> None:
    nominate(client, "agri_leader_district", enterprise["uscc"])
    pools = {p["key"]: p for p in client.get("/api/v1/pools").json["items"]}
    assert pools["agri_leader_district"]["members_by_stage"]["nominated"] >= 1
    members = client.get("/api/v1/pools/agri_leader_district/members?stage=nominated").json
    assert enterprise["uscc"] in [m["uscc"] for m in members["items"]]
    mine = client.get(f"/api/v1/enterprises/{enterprise['uscc']}/memberships").json["items"]
    assert [m["pool"] for m in mine] == ["agri_leader_district"]


def test_unknown_member_and_pool_are_404(client: FlaskClient,
                                         enterprise: dict[str, Any]) -> None:
    assert move(client, "tech_sme", enterprise["uscc"], "screened", 1).status_code == 404
    assert client.get("/api/v1/pools/moon_base/members").status_code == 404
