# mypy: disable-error-code="index,union-attr"
"""HTTP API: policy catalogue (audited), preferences, inbox read/unread, error shapes."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from notify_testkit import BUREAU
from notify_testkit import eligibility
from notify_testkit import new_uscc
from notify_testkit import put_prefs
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from notify.domain.templates import TemplateSet
from notify.handlers.notices import process_events

pytestmark = pytest.mark.integration

NEW_POLICY: dict[str, Any] = {
    "code": "test-award", "trigger": "eligible", "tier": "srdi_sme", "name_zh": "测试奖励",
    "name_en": "Test award", "summary_zh": "测试", "summary_en": "test", "benefit_zh": "奖励",
    "benefit_en": "award", "amount_yuan": 300000, "source_document": "测试文件",
    "window_closes": "2030-12-31", "reason": "新政策发布 / new policy",
}


def test_the_seeded_catalogue_is_listed_with_unknown_amounts_marked(client: FlaskClient) -> None:
    page = client.get("/api/v1/policies?limit=100").json
    by_code = {p["code"]: p for p in page["items"]}
    assert page["total"] >= 12
    assert by_code["hnte-income-tax-15"]["amount_known"] is False
    assert by_code["listing-subsidy-ipo"]["amount_yuan"] == 2_000_000
    assert by_code["rd-super-deduction-tech-sme-2022"]["status"] == "retired"


def test_create_edit_retire_is_audited_with_actor_and_reason(client: FlaskClient) -> None:
    created = client.post("/api/v1/policies", json=NEW_POLICY, headers=BUREAU)
    assert created.status_code == 201, created.json
    edited = client.patch("/api/v1/policies/test-award", headers=BUREAU, json={
        "amount_yuan": 500000, "version": created.json["version"], "reason": "金额调整"})
    assert edited.status_code == 200 and edited.json["amount_yuan"] == 500000
    stale = client.patch("/api/v1/policies/test-award", headers=BUREAU, json={
        "amount_yuan": 1, "version": created.json["version"], "reason": "stale"})
    assert stale.status_code == 409
    retired = client.post("/api/v1/policies/test-award/retire", headers=BUREAU,
                          json={"version": edited.json["version"], "reason": "到期废止"})
    assert retired.json["status"] == "retired"
    audit = client.get("/api/v1/policies/test-award/audit").json["items"]
    assert [a["action"] for a in audit] == ["create", "update", "retire"]
    assert {a["actor"] for a in audit} == {"bureau:test"}
    assert audit[1]["before"]["amount_yuan"] == 300000 and audit[1]["reason"] == "金额调整"
    paged, query = [], "?limit=1"  # the trail grows with every change: it pages, nothing lost
    while True:
        one = client.get(f"/api/v1/policies/test-award/audit{query}").json
        assert one["total"] == 3 and len(one["items"]) == 1
        paged += [a["action"] for a in one["items"]]
        if one["next_cursor"] is None:
            break
        query = f"?limit=1&cursor={one['next_cursor']}"
    assert paged == ["create", "update", "retire"]
    assert client.get("/api/v1/policies/test-award/audit?limit=201").status_code == 422


@pytest.mark.parametrize(("change", "field"), [
    ({"code": "Bad Code"}, "code"),
    ({"trigger": "sometimes"}, "trigger"),
    ({"amount_yuan": -1}, "amount_yuan"),
    ({"amount_yuan": 1.5}, "amount_yuan"),
    ({"window_opens": "2031-01-01"}, "window_closes"),
    ({"tier": None}, "tier"),
    ({"surprise": 1}, "surprise"),
    ({"reason": ""}, "reason"),
])
def test_bad_policies_are_refused_with_field_errors(client, change, field) -> None:  # type: ignore[no-untyped-def]
    resp = client.post("/api/v1/policies", json=NEW_POLICY | {"code": "x-bad"} | change,
                       headers=BUREAU)
    assert resp.status_code == 422
    assert field in resp.json["error"]["fields"]


def test_writes_need_an_actor(client: FlaskClient) -> None:
    resp = client.post("/api/v1/policies", json=NEW_POLICY | {"code": "no-actor"})
    assert resp.status_code == 422 and resp.json["error"]["code"] == "actor_required"
    assert "X-Actor" in resp.json["error"]["fields"]


@pytest.mark.parametrize(("body", "field"), [
    ({"channels": ["email"]}, "email"),
    ({"channels": ["webhook"], "webhook_url": "http://x.test/h"}, "webhook_secret"),
    ({"channels": ["sms"]}, "channels.0"),
    ({"language": "fr"}, "language"),
    ({"webhook_url": "ftp://x/y"}, "webhook_url"),
    ({"webhook_secret": "short"}, "webhook_secret"),
])
def test_bad_preferences_are_refused(client, uscc, body, field) -> None:  # type: ignore[no-untyped-def]
    doc = {"language": "en", "channels": ["inapp"]} | body
    resp = client.put(f"/api/v1/enterprises/{uscc}/preferences", json=doc, headers=BUREAU)
    assert resp.status_code == 422, resp.json
    assert field in resp.json["error"]["fields"]


def test_preferences_default_then_saved_without_echoing_the_secret(client, uscc) -> None:  # type: ignore[no-untyped-def]
    first = client.get(f"/api/v1/enterprises/{uscc}/preferences").json
    assert (first["language"], first["channels"], first["version"]) == ("zh-CN", ["inapp"], 0)
    saved = put_prefs(client, uscc, language="en", channels=["webhook"],
                      webhook_url="https://hooks.example.com/h", webhook_secret="x" * 20)
    assert saved["channels"] == ["inapp", "webhook"] and saved["webhook_secret_set"] is True
    assert "webhook_secret" not in saved
    bad = client.get("/api/v1/enterprises/91371502MA3C0000XX/preferences")
    assert bad.status_code == 422


def test_enterprise_reads_and_marks_its_own_notices_only(  # type: ignore[no-untyped-def]
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    mine, other = new_uscc(), new_uscc()
    with sessions.begin() as session:
        process_events(session, [eligibility(mine), eligibility(other)],
                       templates=TemplateSet(), weekly_cap=5)
    inbox = client.get(f"/api/v1/enterprises/{mine}/notices?read=false").json
    assert inbox["total"] == 3
    first = inbox["items"][0]
    resp = client.patch(f"/api/v1/enterprises/{mine}/notices/{first['id']}", json={"read": True})
    assert resp.status_code == 200 and resp.json["read"] is True
    assert client.get(f"/api/v1/enterprises/{mine}/notices?read=false").json["total"] == 2
    assert client.get(f"/api/v1/enterprises/{mine}/notices?read=true").json["total"] == 1
    theirs = client.get(f"/api/v1/enterprises/{other}/notices").json["items"][0]["id"]
    assert client.patch(f"/api/v1/enterprises/{mine}/notices/{theirs}",
                        json={"read": True}).status_code == 404
    bureau = client.get(f"/api/v1/notices?uscc={other}&kind=eligibility").json
    assert bureau["total"] == 3
    detail = client.get(f"/api/v1/notices/{theirs}").json
    assert detail["deliveries"] == [] and detail["cause"]["type"] == "eligible:hnte"


def test_openapi_describes_every_path(client: FlaskClient) -> None:
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/policies", "/api/v1/notices", "/api/v1/parking",
                 "/api/v1/enterprises/{uscc}/preferences", "/api/v1/enterprises/{uscc}/notices"):
        assert path in paths
