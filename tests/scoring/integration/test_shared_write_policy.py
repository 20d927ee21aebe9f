# mypy: disable-error-code="index,union-attr"
"""Scoring's versioned writes answer a stale version as registry and notify do (409).

The policy lives once in ``yumiao_common.web.concurrency``: code ``stale_version``, both versions
in ``details``, nothing changed.
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db")]

SALES = "agri_leader_municipal.n3_sales.value"
ACTOR = {"X-Actor": "analyst-li"}


def test_a_stale_parameter_put_is_a_409_stale_version_and_changes_nothing(
    client: FlaskClient,
) -> None:
    body = {"value": "35000000", "reason": "局务会决定 / bureau decision", "version": 4}
    stale = client.put(f"/api/v1/parameters/{SALES}", headers=ACTOR, json=body)
    assert stale.status_code == 409
    error = stale.json["error"]
    assert error["code"] == "stale_version"
    assert error["details"] == {"current_version": 0, "sent_version": 4}
    after = client.get(f"/api/v1/parameters/{SALES}").json
    assert (after["overridden"], after["version"], after["history"]) == (False, 0, [])


@pytest.mark.parametrize("headers", [{}, {"X-Actor": "  "}])
def test_a_parameter_put_without_an_actor_is_a_422_naming_x_actor(
    client: FlaskClient, headers: dict[str, str],
) -> None:
    body = {"value": "35000000", "reason": "局务会决定 / bureau decision", "version": 0}
    resp = client.put(f"/api/v1/parameters/{SALES}", headers=headers, json=body)
    assert resp.status_code == 422
    assert "X-Actor" in resp.json["error"]["fields"]
    assert client.get(f"/api/v1/parameters/{SALES}").json["version"] == 0


def test_openapi_documents_x_actor_as_required_on_every_audited_write(
    client: FlaskClient,
) -> None:
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path, method in [("/api/v1/parameters/{parameter_id}", "put"),
                         ("/api/v1/reevaluations", "post"),
                         ("/api/v1/reevaluations/{job_id}/activate", "post")]:
        operation = paths[path][method]
        actor = [p for p in operation["parameters"] if p["name"] == "X-Actor"]
        assert [(p["in"], p["required"]) for p in actor] == [("header", True)], path
        assert "422" in operation["responses"]
