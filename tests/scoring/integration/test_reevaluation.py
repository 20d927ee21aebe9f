"""Local parameters and re-evaluation jobs: the impact (who gains, who loses, why) is shown
before anything changes; activation applies the change, audited, and re-evaluates everyone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from scoring.handlers.profiles import apply_enterprise_changes
from scoring.models import Evaluation
from scoring.models import ParameterOverride
from scoring.models import outbox
from yumiao_common.contracts.registry import EnterpriseChanged

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db")]

TIER = "agri_leader_municipal"
SALES = f"{TIER}.n3_sales.value"  # local parameter, default ¥20,000,000
ACTOR = {"X-Actor": "analyst-li"}
FLAGS = [
    "major_safety_incident",
    "major_quality_incident",
    "serious_environmental_violation",
    "research_misconduct",
    "abnormal_operations_list",
    "serious_dishonesty_list",
    "wage_or_insurance_arrears",
    "tax_violation",
    "bad_bank_credit_2y",
]


def agri_profile(make_profile: Callable[..., dict[str, Any]], revenue: int) -> dict[str, Any]:
    profile = make_profile(industry_code="C1311", flags=dict.fromkeys(FLAGS, False))
    profile["financials"] = [
        {
            "year": y,
            "employees": 200,
            "operating_revenue": revenue,
            "sales_revenue": revenue,
            "main_business_revenue": revenue,
            "total_income": revenue,
            "agri_sales": revenue * 5 // 6,
            "total_assets": 40_000_000,
            "total_liabilities": 10_000_000,
            "fixed_assets": 15_000_000,
            "net_profit": 3_000_000,
            "total_profit": 3_500_000,
            "interest_expense": 200_000,
            "farmer_households": 800,
            "farm_sourced_share_pct": 80,
        }
        for y in (2022, 2023, 2024)
    ]
    return profile


@pytest.fixture
def farms(
    factory: sessionmaker[Session],
    make_profile: Callable[..., dict[str, Any]],
    enterprise_changed: Callable[..., EnterpriseChanged],
) -> dict[str, str]:
    """A (¥30M sales: eligible) and B (¥18M: short of ¥20M), through the consumer's path."""
    big, small = agri_profile(make_profile, 30_000_000), agri_profile(make_profile, 18_000_000)
    with factory.begin() as session:
        apply_enterprise_changes(
            session, events=[enterprise_changed(big), enterprise_changed(small)]
        )
    return {"A": big["enterprise"]["uscc"], "B": small["enterprise"]["uscc"]}


def verdict(factory: sessionmaker[Session], uscc: str) -> str | None:
    with factory() as session:
        return session.scalar(
            select(Evaluation.verdict).where(Evaluation.uscc == uscc, Evaluation.tier == TIER)
        )


def finished(client: FlaskClient, job_id: str, status: str) -> Callable[[], Any]:
    def check() -> Any:
        body = client.get(f"/api/v1/reevaluations/{job_id}").json
        assert body["status"] != "failed", body["error"]
        return body if body["status"] == status else None

    return check


def test_preview_shows_gains_and_losses_and_changes_nothing(
    client: FlaskClient,
    farms: dict[str, str],
    factory: sessionmaker[Session],
    wait_for: Callable[..., Any],
) -> None:
    assert verdict(factory, farms["A"]) == "eligible"
    assert verdict(factory, farms["B"]) != "eligible"
    resp = client.post(
        "/api/v1/reevaluations",
        headers=ACTOR,
        json={"parameters": {SALES: "35000000"}, "reason": "市级标准提高 / municipal bar raised"},
    )
    assert resp.status_code == 202, resp.json
    job = wait_for(finished(client, resp.json["id"], "previewed"))
    losses = [i for i in job["impact"] if i["kind"] == "loss"]
    assert [(i["uscc"], i["tier"]) for i in losses] == [(farms["A"], TIER)]
    assert f"{TIER}.n3_sales" in losses[0]["criteria_lost"]
    assert job["summary"]["losses"] == 1 and job["summary"]["gains"] == 0
    assert verdict(factory, farms["A"]) == "eligible"  # nothing activated
    with factory() as session:
        assert session.get(ParameterOverride, SALES) is None


def test_activation_applies_the_change_audited_and_reevaluates_with_an_event(
    client: FlaskClient,
    farms: dict[str, str],
    factory: sessionmaker[Session],
    wait_for: Callable[..., Any],
) -> None:
    resp = client.post(
        "/api/v1/reevaluations",
        headers=ACTOR,
        json={"parameters": {SALES: 17_000_000}, "reason": "试行下调 / trial lower bar"},
    )
    job_id = resp.json["id"]
    job = wait_for(finished(client, job_id, "previewed"))
    assert [(i["uscc"], i["kind"]) for i in job["impact"]] == [(farms["B"], "gain")]
    assert client.post(f"/api/v1/reevaluations/{job_id}/activate").status_code == 422  # no actor
    assert client.post(f"/api/v1/reevaluations/{job_id}/activate", headers=ACTOR).status_code == 202
    wait_for(finished(client, job_id, "activated"))
    assert verdict(factory, farms["B"]) == "eligible"
    param = client.get(f"/api/v1/parameters/{SALES}").json
    assert param["value"] == "17000000" and param["overridden"] and param["version"] == 1
    assert param["history"][0]["actor"] == "analyst-li"
    assert param["history"][0]["reevaluation_id"] == job_id
    with factory() as session:
        events = [
            p
            for p in session.execute(select(outbox.c.payload)).scalars()
            if p["correlation_id"] == job_id
        ]
    assert [(e["payload"]["uscc"], e["payload"]["after"]) for e in events] == [
        (farms["B"], "eligible")
    ]
    again = client.post(f"/api/v1/reevaluations/{job_id}/activate", headers=ACTOR)
    assert again.status_code == 409


def test_put_parameter_is_audited_versioned_and_reevaluates(
    client: FlaskClient,
    farms: dict[str, str],
    factory: sessionmaker[Session],
    wait_for: Callable[..., Any],
) -> None:
    body = {"value": "35000000", "reason": "局务会决定 / bureau decision", "version": 0}
    resp = client.put(f"/api/v1/parameters/{SALES}", headers=ACTOR, json=body)
    assert resp.status_code == 200, resp.json
    assert resp.json["version"] == 1 and resp.json["history"][0]["reason"] == body["reason"]
    wait_for(finished(client, resp.json["reevaluation_id"], "activated"))
    assert verdict(factory, farms["A"]) != "eligible"
    stale = client.put(f"/api/v1/parameters/{SALES}", headers=ACTOR, json=body)
    assert stale.status_code == 409
    restore = client.put(
        f"/api/v1/parameters/{SALES}",
        headers=ACTOR,
        json={"value": None, "reason": "恢复默认 / restore default"},
    )
    assert restore.status_code == 200 and restore.json["overridden"] is False
    wait_for(finished(client, restore.json["reevaluation_id"], "activated"))
    assert verdict(factory, farms["A"]) == "eligible"


@pytest.mark.parametrize(
    ("path", "body", "headers", "status", "field"),
    [
        (f"/api/v1/parameters/{SALES}", {"value": "abc", "reason": "x"}, ACTOR, 422, "value"),
        (f"/api/v1/parameters/{SALES}", {"value": -1, "reason": "x"}, ACTOR, 422, "value"),
        (f"/api/v1/parameters/{SALES}", {"value": 1, "reason": ""}, ACTOR, 422, "reason"),
        (
            f"/api/v1/parameters/{SALES}",
            {"value": 1, "reason": "x", "colour": 1},
            ACTOR,
            422,
            "colour",
        ),
        (f"/api/v1/parameters/{SALES}", {"value": 1, "reason": "x"}, {}, 422, "X-Actor"),
        ("/api/v1/parameters/nope.value", {"value": 1, "reason": "x"}, ACTOR, 404, None),
    ],
)
def test_bad_parameter_writes(
    client: FlaskClient,
    path: str,
    body: dict[str, Any],
    headers: dict[str, str],
    status: int,
    field: str | None,
) -> None:
    resp = client.put(path, headers=headers, json=body)
    assert resp.status_code == status, resp.json
    if field:
        assert field in resp.json["error"]["fields"]


def test_parameters_are_listed_with_defaults(client: FlaskClient) -> None:
    items = client.get("/api/v1/parameters").json["items"]
    sales = next(i for i in items if i["id"] == SALES)
    assert sales["default"] == sales["value"] == "20000000" and not sales["overridden"]


def test_unknown_parameter_in_a_proposal_is_422(client: FlaskClient) -> None:
    resp = client.post(
        "/api/v1/reevaluations", headers=ACTOR, json={"parameters": {"nope": 1}, "reason": "x"}
    )
    assert resp.status_code == 422 and "parameters.nope" in resp.json["error"]["fields"]


def test_a_release_that_changes_the_rules_is_applied_by_a_reevaluation_without_parameters(
    client: FlaskClient,
    farms: dict[str, str],
    factory: sessionmaker[Session],
    wait_for: Callable[..., Any],
) -> None:
    """Stored verdicts stay as the previous release's rules left them until re-evaluated
    (docs/operations.md, "Releasing rule changes"): a re-evaluation with no parameter change
    previews who the new rules move and activation stores the current rules' verdicts."""
    with factory.begin() as session:  # B as an older release's rules had judged it
        stored = session.get(Evaluation, (farms["B"], TIER))
        assert stored is not None and stored.verdict != "eligible"
        stored.verdict = "eligible"
    resp = client.post("/api/v1/reevaluations", headers=ACTOR,
                       json={"reason": "规则发布 / rulebook release"})
    assert resp.status_code == 202, resp.json
    job = wait_for(finished(client, resp.json["id"], "previewed"))
    assert [(i["uscc"], i["tier"], i["kind"]) for i in job["impact"]] == [
        (farms["B"], TIER, "loss")
    ]
    assert verdict(factory, farms["B"]) == "eligible"  # the preview changes nothing
    assert client.post(f"/api/v1/reevaluations/{resp.json['id']}/activate",
                       headers=ACTOR).status_code == 202
    wait_for(finished(client, resp.json["id"], "activated"))
    assert verdict(factory, farms["B"]) != "eligible"
    assert verdict(factory, farms["A"]) == "eligible"
