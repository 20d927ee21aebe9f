# mypy: disable-error-code="index,union-attr"
"""Notify answers a stale write and a write without an actor exactly as registry and scoring do.

The policy lives once in ``yumiao_common`` (``concurrency.check_version``,
``web.required_actor``): a stale version is a 409 ``stale_version`` naming both versions.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from flask.testing import FlaskClient
from notify_testkit import BUREAU

pytestmark = pytest.mark.integration


def _policy() -> dict[str, Any]:
    return {
        "code": f"k2-{uuid.uuid4().hex[:8]}", "trigger": "eligible", "tier": "srdi_sme",
        "name_zh": "测试奖励", "name_en": "Test award", "summary_zh": "测试",
        "summary_en": "test", "benefit_zh": "奖励", "benefit_en": "award",
        "amount_yuan": 300000, "source_document": "测试文件", "window_closes": "2030-12-31",
        "reason": "新政策发布 / new policy",
    }


def test_a_stale_policy_edit_is_a_409_naming_both_versions_and_changes_nothing(
    client: FlaskClient,
) -> None:
    created = client.post("/api/v1/policies", json=_policy(), headers=BUREAU)
    assert created.status_code == 201, created.json
    code, version = created.json["code"], created.json["version"]
    stale = client.patch(f"/api/v1/policies/{code}", headers=BUREAU,
                         json={"amount_yuan": 1, "version": version + 3, "reason": "stale"})
    assert stale.status_code == 409
    error = stale.json["error"]
    assert error["code"] == "stale_version"
    assert error["details"] == {"current_version": version, "sent_version": version + 3}
    assert client.get(f"/api/v1/policies/{code}").json["amount_yuan"] == 300000


@pytest.mark.parametrize("headers", [{}, {"X-Actor": " "}])
def test_a_policy_without_an_actor_is_a_422_naming_x_actor_and_is_not_created(
    client: FlaskClient, headers: dict[str, str],
) -> None:
    body = _policy()
    resp = client.post("/api/v1/policies", json=body, headers=headers)
    assert resp.status_code == 422
    assert resp.json["error"]["code"] == "actor_required"
    assert list(resp.json["error"]["fields"]) == ["X-Actor"]
    assert client.get(f"/api/v1/policies/{body['code']}").status_code == 404


def test_openapi_documents_x_actor_as_required_where_notify_requires_it(
    client: FlaskClient,
) -> None:
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path, method in [("/api/v1/policies", "post"), ("/api/v1/policies/{code}", "patch"),
                         ("/api/v1/policies/{code}/retire", "post"),
                         ("/api/v1/parking/{parked_id}/replay", "post"),
                         ("/api/v1/enterprises/{uscc}/preferences", "put")]:
        operation = paths[path][method]
        actor = [p for p in operation["parameters"] if p["name"] == "X-Actor"]
        assert [(p["in"], p["required"]) for p in actor] == [("header", True)], path
        assert "422" in operation["responses"] and "403" not in operation["responses"], path
