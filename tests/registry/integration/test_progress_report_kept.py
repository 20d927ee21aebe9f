"""The progress report read again and again (the dashboard): each worker keeps its JSON while
nothing it is computed from changes, names it with an ETag and answers 304 to a read that sends
the ETag back. What a reader notices: a change made just before a read is on it — a
certificate, a town move, a plan's new target, a frozen year's correction — and a kept report
reads exactly as one counted from scratch.

The database is shared by every test of the run: the plans are this test's own, read by id,
and the frozen years are ones no other test uses.
"""

from __future__ import annotations

from datetime import date
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from registry_testkit import HEADERS
from registry_testkit import create_enterprise
from registry_testkit import new_uscc
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from yumiao_common.clock import beijing_today

pytestmark = pytest.mark.integration

ADMIN = {"X-Actor": "admin:bureau"}
TODAY = beijing_today()
TOWN = "371502101"  # 沙镇镇
OTHER_TOWN = "371502102"  # 堂邑镇


def _plan(client: FlaskClient, start: int, end: int, target: str) -> tuple[int, int]:
    response = client.post("/api/v1/plans", json={
        "title": "看板测试规划 / Dashboard test plan", "start_year": start, "end_year": end,
        "indicators": [{"measure": "hnte_held", "final_target": target,
                        "town_targets": {TOWN: "3"}},
                       {"measure": "rd_growth", "final_target": "15"}],
        "reason": "测试 / test"}, headers=ADMIN)
    assert response.status_code == 201, response.json
    return int(_body(response)["id"]), int(_body(response)["version"])


def _certify(client: FlaskClient, uscc: str, issued: date) -> None:
    response = client.post(f"/api/v1/enterprises/{uscc}/certifications", headers=HEADERS,
                           json={"tier": "hnte", "issued_on": issued.isoformat(),
                                 "expires_on": (issued + timedelta(days=3 * 365)).isoformat()})
    assert response.status_code == 201, response.json


def _body(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.get_json()
    return body


def _held(report: dict[str, Any], town: str | None = None) -> float:
    rows = report["rows"] if town is None else next(
        (t["rows"] for t in report["towns"] if t["town_code"] == town), [])
    return next((float(r["actual"] or 0) for r in rows if r["measure"] == "hnte_held"), 0.0)


def test_a_report_read_again_is_not_sent_again_until_a_change_moves_its_figures(
    client: FlaskClient,
) -> None:
    from registry.handlers import report_cache
    from registry.handlers import reports

    plan_id, _ = _plan(client, TODAY.year, TODAY.year + 2, "300")
    query = {"plan": plan_id, "year": TODAY.year}
    first = client.get("/api/v1/reports/progress", query_string=query)
    assert first.status_code == 200 and first.headers["ETag"]
    etag = first.headers["ETag"]

    unchanged = client.get("/api/v1/reports/progress", query_string=query,
                           headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.data == b""
    assert unchanged.headers["ETag"] == etag

    firm = create_enterprise(client, new_uscc(), town_code=TOWN)["uscc"]  # counts nowhere yet
    assert client.get("/api/v1/reports/progress", query_string=query,
                      headers={"If-None-Match": etag}).status_code == 304

    _certify(client, firm, TODAY - timedelta(days=5))  # the change just before the read
    certified = client.get("/api/v1/reports/progress", query_string=query,
                           headers={"If-None-Match": etag})
    assert certified.status_code == 200 and certified.headers["ETag"] != etag
    assert _held(_body(certified)) == _held(_body(first)) + 1
    assert _held(_body(certified), TOWN) == _held(_body(first), TOWN) + 1

    moved = client.patch(f"/api/v1/enterprises/{firm}", headers=HEADERS,
                         json={"town_code": OTHER_TOWN, "version": 1})
    assert moved.status_code == 200, moved.json
    after_move = client.get("/api/v1/reports/progress", query_string=query,
                            headers={"If-None-Match": certified.headers["ETag"]})
    assert after_move.status_code == 200
    assert _held(_body(after_move), TOWN) == _held(_body(first), TOWN)
    assert _held(_body(after_move), OTHER_TOWN) == _held(_body(certified), OTHER_TOWN) + 1

    report_cache._KEPT.clear()  # what a freshly started worker counts and builds
    reports._LIVE.clear()
    fresh = client.get("/api/v1/reports/progress", query_string=query)
    assert _body(fresh) == _body(after_move) and fresh.headers["ETag"] == after_move.headers["ETag"]


def test_a_new_target_and_a_correction_are_on_the_next_read(
    client: FlaskClient, database_url: str, sessions: sessionmaker[Session],
) -> None:
    from registry.api.reports.schemas import ProgressSchema
    from registry.handlers.reports import progress_report

    year = 2008 if database_url.startswith("sqlite") else 2009
    plan_id, version = _plan(client, year - 1, year + 1, "5")
    query = {"plan": plan_id, "year": year + 1}
    before = client.get("/api/v1/reports/progress", query_string=query)
    assert _body(before)["rows"][0]["display"]["target"] == "5"

    replaced = client.put(f"/api/v1/plans/{plan_id}", headers=ADMIN, json={
        "title": "看板测试规划 / Dashboard test plan", "start_year": year - 1,
        "end_year": year + 1, "indicators": [{"measure": "hnte_held", "final_target": "7"}],
        "version": version, "reason": "调整目标 / new target"})
    assert replaced.status_code == 200, replaced.json
    retargeted = client.get("/api/v1/reports/progress", query_string=query,
                            headers={"If-None-Match": before.headers["ETag"]})
    assert retargeted.status_code == 200
    assert _body(retargeted)["rows"][0]["display"]["target"] == "7"

    frozen = client.post("/api/v1/reports/snapshots", headers=ADMIN,
                         json={"year": year, "reason": "年末冻结 / year-end"})
    assert frozen.status_code == 201, frozen.json
    read = client.get("/api/v1/reports/progress", query_string=query)
    trend = {y["year"]: y for y in _body(read)["trend"]}
    assert trend[year]["source"] == "snapshot"
    fix = client.post(f"/api/v1/reports/snapshots/{year}/corrections", headers=ADMIN,
                      json={"measure": "hnte_held", "value": "4321",
                            "reason": "补录 / late filing"})
    assert fix.status_code == 201, fix.json
    corrected = client.get("/api/v1/reports/progress", query_string=query,
                           headers={"If-None-Match": read.headers["ETag"]})
    assert corrected.status_code == 200
    assert {y["year"]: y for y in _body(corrected)["trend"]}[year]["values"]["hnte_held"] == \
        "4321.00"
    frozen_year = client.get("/api/v1/reports/progress", query_string={"plan": plan_id,
                                                                        "year": year})
    assert _body(frozen_year)["corrections"][0]["to_value"] == "4321.00"
    with sessions() as session:  # the JSON answered is the documented schema's, field by field
        for answered, shown in ((corrected, year + 1), (frozen_year, year)):
            report = progress_report(session, plan_id=plan_id, year=shown, today=beijing_today())
            assert _body(answered) == ProgressSchema().dump(report)


def test_the_dashboards_view_has_the_same_figures_without_funnel_and_cohorts(
    client: FlaskClient,
) -> None:
    plan_id, _ = _plan(client, TODAY.year, TODAY.year + 2, "300")
    query = {"plan": plan_id, "year": TODAY.year}
    firm = create_enterprise(client, new_uscc(), town_code=TOWN)["uscc"]
    _certify(client, firm, TODAY - timedelta(days=2))
    full = _body(client.get("/api/v1/reports/progress", query_string=query))
    view = client.get("/api/v1/reports/progress", query_string={**query, "view": "dashboard"})
    assert view.status_code == 200
    dashboard = _body(view)
    assert dashboard["funnel"] == [] and dashboard["cohorts"] == []
    assert [s["stage"] for s in full["funnel"]][:3] == ["nominated", "screened", "admitted"]
    assert {k: v for k, v in dashboard.items() if k not in ("funnel", "cohorts")} == \
        {k: v for k, v in full.items() if k not in ("funnel", "cohorts")}
    refused = client.get("/api/v1/reports/progress", query_string={**query, "view": "all"})
    assert refused.status_code == 422 and "view" in _body(refused)["error"]["fields"]
