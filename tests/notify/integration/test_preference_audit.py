# mypy: disable-error-code="index,union-attr"
"""Preference changes are audited: who (X-Actor), when, why, what changed; secrets redacted."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from notify_testkit import BUREAU
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from notify.models.preference import PreferenceAudit

pytestmark = pytest.mark.integration

SECRET, ROTATED = "first-secret-0123456789", "second-secret-9876543210"
HOOK = "https://hooks.example.com/in/hunter2pass?channel=7&token=tok-abc123"


def put(client: FlaskClient, uscc: str, headers: dict[str, str] | None = BUREAU,
        **body: Any) -> Any:
    doc = {"language": "zh-CN", "channels": ["inapp"]} | body
    return client.put(f"/api/v1/enterprises/{uscc}/preferences", json=doc, headers=headers)


def audit(client: FlaskClient, uscc: str) -> list[dict[str, Any]]:
    resp = client.get(f"/api/v1/enterprises/{uscc}/preferences/audit")
    assert resp.status_code == 200, resp.json
    assert resp.json["total"] == len(resp.json["items"]) and resp.json["next_cursor"] is None
    return resp.json["items"]  # type: ignore[no-any-return]


def test_each_change_records_who_when_why_and_the_diff(client: FlaskClient, uscc: str) -> None:
    created = put(client, uscc, language="en", channels=["email"], email="a@example.com")
    assert created.status_code == 200, created.json
    updated = put(client, uscc, headers={"X-Actor": "enterprise:" + uscc}, language="zh-CN",
                  channels=["email"], email="b@example.com", version=created.json["version"],
                  reason="换了联系人 / new contact")
    assert updated.status_code == 200, updated.json
    first, second = audit(client, uscc)
    assert (first["action"], first["actor"], first["reason"], first["before"]) == (
        "create", "bureau:test", None, None)
    assert first["changes"]["channels"] == {"before": None, "after": ["inapp", "email"]}
    assert first["version"] == created.json["version"]
    assert second["action"] == "update" and second["actor"] == f"enterprise:{uscc}"
    assert second["reason"] == "换了联系人 / new contact"
    assert second["changes"] == {
        "language": {"before": "en", "after": "zh-CN"},
        "email": {"before": "a@example.com", "after": "b@example.com"},
    }
    assert second["version"] == updated.json["version"] == created.json["version"] + 1
    assert second["before"]["email"] == "a@example.com" and second["after"]["language"] == "zh-CN"
    assert first["at"] <= second["at"] and second["at"] == updated.json["updated_at"]


def test_secrets_never_reach_the_audit_but_a_rotation_shows(
    client: FlaskClient, sessions: sessionmaker[Session], uscc: str
) -> None:
    first = put(client, uscc, channels=["webhook"], webhook_url=HOOK, webhook_secret=SECRET)
    assert first.status_code == 200, first.json
    rotated = put(client, uscc, channels=["webhook"], webhook_url=HOOK, webhook_secret=ROTATED,
                  version=first.json["version"], reason="密钥轮换 / rotate")
    assert rotated.status_code == 200, rotated.json
    trail = audit(client, uscc)
    assert trail[1]["changes"] == {
        "webhook_secret": {"before": "[redacted]", "after": "[redacted]"}}
    assert trail[0]["after"]["webhook_url"] == "https://hooks.example.com/…"
    with sessions() as session:  # the stored rows, not just the API's view of them
        stored = json.dumps([[a.changes, a.before, a.after] for a in session.scalars(
            select(PreferenceAudit).where(PreferenceAudit.uscc == uscc))], ensure_ascii=False)
    served = json.dumps(trail, ensure_ascii=False)
    for secret in (SECRET, ROTATED, "hunter2pass", "tok-abc123"):
        assert secret not in stored and secret not in served


def test_refused_or_empty_writes_leave_no_audit_row(client: FlaskClient, uscc: str) -> None:
    saved = put(client, uscc, language="en").json
    assert put(client, uscc, headers={}, language="zh-CN",
               version=saved["version"]).status_code == 422  # no X-Actor
    assert put(client, uscc, language="zh-CN", version=saved["version"] + 5).status_code == 409
    assert put(client, uscc, language="en", version=saved["version"],
               reason="x" * 1001).status_code == 422
    same = put(client, uscc, language="en", version=saved["version"], reason="no change")
    assert same.status_code == 200 and same.json["version"] == saved["version"]
    assert [a["action"] for a in audit(client, uscc)] == ["create"]


def test_audit_of_an_enterprise_without_preferences_is_empty(
    client: FlaskClient, uscc: str
) -> None:
    assert audit(client, uscc) == []
    bad = client.get("/api/v1/enterprises/91371502MA3C0000XX/preferences/audit")
    assert bad.status_code == 422


def test_the_audit_trail_pages_in_the_one_dialect_oldest_first(
    client: FlaskClient, uscc: str
) -> None:
    """The trail grows with every save: a client reads it page by page, nothing lost."""
    saved = put(client, uscc, language="en").json
    for n in range(4):
        saved = put(client, uscc, language="zh-CN" if n % 2 == 0 else "en",
                    version=saved["version"], reason=f"第{n}次 / save {n}").json
    path = f"/api/v1/enterprises/{uscc}/preferences/audit"
    seen: list[int] = []
    query = "?limit=2"
    while True:
        page = client.get(path + query).json
        assert page["total"] == 5 and len(page["items"]) <= 2
        seen += [a["version"] for a in page["items"]]
        if page["next_cursor"] is None:
            break
        query = f"?limit=2&cursor={page['next_cursor']}"
    assert seen == sorted(seen) and len(seen) == 5
    from yumiao_common.web.pagination import encode_cursor

    forged = encode_cursor({"version": str(2**40), "at": "2026-01-01T00:00:00+00:00",
                            "id": "00000000-0000-0000-0000-000000000000"})
    for bad in ("limit=201", "limit=0", "cursor=%%%", "page=2", f"cursor={forged}"):
        refused = client.get(f"{path}?{bad}")
        assert refused.status_code == 422, bad
        assert bad.split("=")[0] in refused.json["error"]["fields"]
