"""What-if and anonymous profiles get the same validity rules as registry data (issue 8
item 4; criteria.md §8 item 10): an HNTE certificate posted without an expiry date is held
for three years from issue, never forever."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

pytestmark = pytest.mark.integration


def _weak_with(make_profile: Callable[..., dict[str, Any]], issued: str) -> dict[str, Any]:
    profile = make_profile()
    for year in profile["financials"]:
        year["rd_expense"] = year["rd_expense_domestic"] = 0
    profile["ip"] = []  # the score route is far out of reach: only direct routes qualify
    profile["certifications"] = [{"tier": "hnte", "issued_on": issued}]
    return profile


@pytest.mark.parametrize(("issued", "eligible"), [("2015-03-01", False), ("2022-07-01", True)])
def test_a_posted_certificate_without_expiry_is_held_for_its_tiers_validity(
    client: FlaskClient, make_profile: Callable[..., dict[str, Any]], issued: str,
    eligible: bool,
) -> None:
    resp = client.post("/api/v1/evaluate?tiers=tech_sme", json=_weak_with(make_profile, issued))
    assert resp.status_code == 200, resp.json
    result = resp.json["results"]["tech_sme"]
    d_hnte = next(c for c in result["criteria"] if c["id"] == "tech_sme.d_hnte")
    assert d_hnte["status"] == ("pass" if eligible else "fail")
    assert (result["verdict"] == "eligible" and result["route"] == "direct_hnte") is eligible
