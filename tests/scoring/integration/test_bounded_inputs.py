"""Every numeric input of scoring's own schemas is bounded and refused by name past its bound.

(The what-if profile is bounded by the shared Profile contract; its tests live with it.)
A value such as ``1E+999999`` must never be stored as a parameter threshold, where every
later evaluation would do arithmetic with it.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

pytestmark = pytest.mark.integration
ACTOR = {"X-Actor": "analyst-li"}


def _numeric_parameter(client: FlaskClient) -> str:
    items = client.get("/api/v1/parameters").json["items"]
    return next(p["id"] for p in items
                if isinstance(p["default"], int | float | str) and not isinstance(
                    p["default"], bool) and str(p["default"]).replace(".", "", 1).isdigit())


@pytest.mark.parametrize("value", ["1E+999999", "1e5000", 10**20, 1e300, "NaN", "Infinity",
                                   [1], {"a": 1}, "x" * 201, ""])
def test_parameter_values_beyond_bounds_are_refused_and_nothing_is_stored(
        client: FlaskClient, value: Any) -> None:
    pid = _numeric_parameter(client)
    before = client.get(f"/api/v1/parameters/{pid}").json
    resp = client.put(f"/api/v1/parameters/{pid}", headers=ACTOR,
                      json={"value": value, "reason": "边界 / bounds"})
    assert resp.status_code == 422, resp.json
    assert "value" in resp.json["error"]["fields"]
    after = client.get(f"/api/v1/parameters/{pid}").json
    assert (after["value"], after["version"]) == (before["value"], before["version"])


def test_an_absurd_expected_version_is_refused_by_name(client: FlaskClient) -> None:
    pid = _numeric_parameter(client)
    resp = client.put(f"/api/v1/parameters/{pid}", headers=ACTOR,
                      json={"value": None, "reason": "r", "version": 2**40})
    assert resp.status_code == 422
    assert "version" in resp.json["error"]["fields"]


@pytest.mark.parametrize(("body", "field"), [
    ({"parameters": {f"p{i}": 1 for i in range(101)}, "reason": "r"}, "parameters"),
    ({"parameters": {"x": "1E+999999"}, "reason": "r"}, "parameters.x.value"),
    ({"parameters": {"x" * 201: 1}, "reason": "r"}, "parameters"),
    ({"tiers": ["hnte"] * 50, "reason": "r"}, "tiers"),
])
def test_a_reevaluation_proposal_is_bounded(client: FlaskClient, body: dict[str, Any],
                                            field: str) -> None:
    resp = client.post("/api/v1/reevaluations", headers=ACTOR, json=body)
    assert resp.status_code == 422, resp.json
    assert any(name.startswith(field.split(".")[0]) for name in resp.json["error"]["fields"])


def test_the_missing_actor_is_a_422_naming_the_header(client: FlaskClient) -> None:
    resp = client.post("/api/v1/reevaluations", json={"reason": "r"})
    assert resp.status_code == 422
    assert "X-Actor" in resp.json["error"]["fields"]


def test_ranking_filters_are_bounded(client: FlaskClient) -> None:
    resp = client.get("/api/v1/rankings/hnte?" + "&".join(["verdict=near"] * 5))
    assert resp.status_code == 422
    assert "verdict" in resp.json["error"]["fields"]
