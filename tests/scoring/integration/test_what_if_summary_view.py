"""``POST /api/v1/evaluate?view=summary``: the compact what-if answer for phones and the
gateway's self-check — verdict, route, score and next steps as in the full view, only the
criteria not passed listed (with their gaps), passing ones counted; the full view unchanged."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from flask.testing import FlaskClient

from scoring.api.evaluate.routes import encode
from yumiao_common.contracts.profile import TIER_KEYS

pytestmark = pytest.mark.integration

MakeProfile = Callable[..., dict[str, Any]]
LEFT_OUT = {"points", "points_max", "uses_local_parameter", "local_parameters"}


def _post(client: FlaskClient, profile: dict[str, Any], query: str = "") -> dict[str, Any]:
    resp = client.post(f"/api/v1/evaluate{query}", json=profile)
    assert resp.status_code == 200, resp.json
    assert resp.mimetype == "application/json"
    return dict(resp.json)


def test_summary_keeps_verdicts_and_steps_and_lists_only_criteria_not_passed(
    client: FlaskClient, make_profile: MakeProfile
) -> None:
    profile = make_profile()
    full = _post(client, profile)
    summary = _post(client, profile, "?view=summary")
    assert summary["view"] == "summary" and "view" not in full
    assert summary["as_of"] == full["as_of"]
    assert set(summary["results"]) == set(full["results"]) == set(TIER_KEYS)
    for tier, small in summary["results"].items():
        big = full["results"][tier]
        for key in ("tier", "title", "verdict", "route", "score", "next_steps",
                    "rulebook_version", "uses_local_parameter", "local_parameters"):
            assert small[key] == big[key], (tier, key)
        not_passed = [c for c in big["criteria"] if c["status"] != "pass"]
        assert [c["id"] for c in small["criteria"]] == [c["id"] for c in not_passed]
        for c, whole in zip(small["criteria"], not_passed, strict=True):
            assert c == {k: v for k, v in whole.items() if k not in LEFT_OUT}
        statuses = [c["status"] for c in big["criteria"]]
        kinds = ("pass", "fail", "unknown") + (("review",) if "pending_review" in big else ())
        assert small["counts"] == {s: statuses.count(s) for s in kinds}
        assert small.get("pending_review") == big.get("pending_review"), tier
        assert ("review" in statuses) <= ("pending_review" in big), tier


def test_summary_is_much_smaller_than_the_full_answer(
    client: FlaskClient, make_profile: MakeProfile
) -> None:
    profile = make_profile()
    full = client.post("/api/v1/evaluate", json=profile).data
    summary = client.post("/api/v1/evaluate?view=summary", json=profile).data
    assert len(summary) < len(full) * 0.7


def test_summary_of_named_tiers_and_failing_gaps_in_users_units(
    client: FlaskClient, make_profile: MakeProfile
) -> None:
    profile = make_profile()
    for year in profile["financials"]:
        year["rd_expense"] = year["rd_expense_domestic"] = 0
    body = _post(client, profile, "?tiers=tech_sme,hnte&view=summary")
    assert set(body["results"]) == {"tech_sme", "hnte"}
    gaps = [c["gap"] for r in body["results"].values() for c in r["criteria"] if c["gap"]]
    assert gaps and all(g["text_zh"] and g["text_en"] and g["unit"] for g in gaps)


def test_full_view_is_the_default_and_can_be_asked_for(
    client: FlaskClient, make_profile: MakeProfile
) -> None:
    profile = make_profile()
    default = _post(client, profile)
    assert _post(client, profile, "?view=full") == default
    for result in default["results"].values():
        assert "counts" not in result
        for c in result["criteria"]:
            assert LEFT_OUT <= set(c)


@pytest.mark.parametrize("query", ["?view=tiny", "?view=", "?view=SUMMARY", "?views=summary"])
def test_unknown_view_is_a_422_naming_the_parameter(
    client: FlaskClient, make_profile: MakeProfile, query: str
) -> None:
    resp = client.post(f"/api/v1/evaluate{query}", json=make_profile())
    assert resp.status_code == 422
    assert resp.json["error"]["code"] == "validation_error"


def test_invalid_profile_is_still_a_422_in_the_summary_view(
    client: FlaskClient, make_profile: MakeProfile
) -> None:
    profile = make_profile()
    profile["financials"][0]["employees"] = "many"
    resp = client.post("/api/v1/evaluate?view=summary", json=profile)
    assert resp.status_code == 422
    assert "financials.0.employees" in json.dumps(resp.json["error"]["fields"])


@pytest.mark.parametrize("value", [
    {"text": "中文 \x00\x1f\x7f\u2028 \"quoted\" \\ /"},
    {"money": Decimal("1234.5000"), "zero": Decimal("-0"), "exp": Decimal("1E+3")},
    {"big": 2**64, "small": -(2**63), "nested": [1, (2, 3), None, True]},
    {"surrogate": "\ud800"},
])
def test_encoding_is_what_the_standard_library_gives(value: dict[str, Any]) -> None:
    expected = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    assert encode(value) == expected.encode("utf-8", "surrogatepass")
