"""Decimals typed into the registry are plain decimal numbers within their documented bounds.

``Decimal()`` itself would take ``"1E+999999"``, ``"1_0"`` or ``" 5"``; the registry takes a
JSON number or a string matching the documented pattern, so what the document promises is
what the service checks.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from registry_testkit import HEADERS


@pytest.mark.parametrize("value", ["1E+999999", "1E+1", "1_0", " 5", "NaN", "-0.5", "101",
                                   True, "12.5.1", "0x10"])
def test_a_share_that_is_not_a_plain_decimal_in_range_is_refused(
        client: FlaskClient, enterprise: dict[str, Any], value: Any) -> None:
    resp = client.patch(f"/api/v1/enterprises/{enterprise['uscc']}", headers=HEADERS,
                        json={"market_share_pct": value, "version": enterprise["version"]})
    assert resp.status_code == 422, resp.json
    assert "market_share_pct" in resp.json["error"]["fields"]


@pytest.mark.parametrize("value", ["12.5", 12.5, 100, "0"])
def test_plain_decimals_and_numbers_are_accepted_and_served_as_decimal_strings(
        client: FlaskClient, enterprise: dict[str, Any], value: Any) -> None:
    current = client.get(f"/api/v1/enterprises/{enterprise['uscc']}").json
    resp = client.patch(f"/api/v1/enterprises/{enterprise['uscc']}", headers=HEADERS,
                        json={"market_share_pct": value, "version": current["version"]})
    assert resp.status_code == 200, resp.json
    served = resp.json["market_share_pct"]
    assert isinstance(served, str) and float(served) == float(value)


@pytest.mark.parametrize(("path", "status"), [
    ("/ip/2147483648", 404), ("/ip/99999999999999999999", 404),
    ("/financials/99999", 422), ("/financials/1900", 422),
])
def test_path_numbers_beyond_their_bounds_are_4xx(client: FlaskClient,
                                                  enterprise: dict[str, Any], path: str,
                                                  status: int) -> None:
    resp = client.get(f"/api/v1/enterprises/{enterprise['uscc']}{path}")
    assert resp.status_code == status, resp.json


@pytest.mark.parametrize("value", [0, 1, "true", "yes"])
def test_booleans_are_json_booleans_only(client: FlaskClient, enterprise: dict[str, Any],
                                         value: Any) -> None:
    resp = client.patch(f"/api/v1/enterprises/{enterprise['uscc']}", headers=HEADERS,
                        json={"flags": {"research_misconduct": value},
                              "version": enterprise["version"]})
    assert resp.status_code == 422, resp.json
    assert "flags.research_misconduct" in resp.json["error"]["fields"]
