"""Monitoring against a plan's targets (plan item 129, issue 13): the counting rules at their
edges, plans as data, a frozen year that reads the same after edits (corrections recorded with
who and why), and the progress table as JSON, XLSX and a PDF whose text says what it shows.

The database is shared by every test of the run, so counts are compared before and after this
test's own changes (a delta), and each frozen year is one no other test uses.
"""

from __future__ import annotations

import io
from datetime import date
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from pypdf import PdfReader
from registry_testkit import HEADERS
from registry_testkit import create_enterprise
from registry_testkit import move
from registry_testkit import new_uscc
from registry_testkit import nominate
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from registry.models import MonitoringAuditEntry
from yumiao_common.clock import beijing_today

pytestmark = pytest.mark.integration

ADMIN = {"X-Actor": "admin:bureau"}
TODAY = beijing_today()
OLD_TOWN = "371502101"  # 沙镇镇
NEW_TOWN = "371502102"  # 堂邑镇


def _certify(client: FlaskClient, uscc: str, tier: str, issued: str, expires: str | None,
             level: str | None = None) -> None:
    body: dict[str, Any] = {"tier": tier, "issued_on": issued, "expires_on": expires}
    if level:
        body["level"] = level
    response = client.post(f"/api/v1/enterprises/{uscc}/certifications", json=body,
                           headers=HEADERS)
    assert response.status_code == 201, response.json


def _held(client: FlaskClient, tier: str, as_of: date, by: str = "none") -> dict[Any, int]:
    response = client.get("/api/v1/statistics/certifications",
                          query_string={"as_of": as_of.isoformat(), "by": by})
    assert response.status_code == 200, response.json
    return {row["group"]: row["enterprises"] for row in response.json if row["tier"] == tier}


def _total(counts: dict[Any, int]) -> int:
    return sum(counts.values())


def test_a_certificate_counts_through_its_expiry_date_and_a_firm_certified_twice_once(
    client: FlaskClient,
) -> None:
    snapshot_day = date(2019, 12, 31)
    before = _total(_held(client, "hnte", snapshot_day))
    next_day_before = _total(_held(client, "hnte", date(2020, 1, 1)))
    on_the_day, day_before, twice = (create_enterprise(client, new_uscc())["uscc"]
                                     for _ in range(3))
    _certify(client, on_the_day, "hnte", "2016-12-31", "2019-12-31")  # last valid day: counts
    _certify(client, day_before, "hnte", "2016-12-30", "2019-12-30")  # lapsed the day before
    _certify(client, twice, "hnte", "2017-03-01", "2020-02-28")
    _certify(client, twice, "hnte", "2019-06-01", "2022-05-31")  # renewed early: still one firm
    assert _total(_held(client, "hnte", snapshot_day)) == before + 2
    # the next day only the renewed firm still holds one
    assert _total(_held(client, "hnte", date(2020, 1, 1))) == next_day_before + 1


def test_a_firm_that_moved_towns_counts_where_it_was_on_the_date(client: FlaskClient) -> None:
    yesterday = TODAY - timedelta(days=1)
    past_before = _held(client, "hnte", yesterday, "town")
    now_before = _held(client, "hnte", TODAY, "town")
    uscc = create_enterprise(client, new_uscc(), town_code=OLD_TOWN)["uscc"]
    _certify(client, uscc, "hnte", (TODAY - timedelta(days=400)).isoformat(), None)
    got = client.get(f"/api/v1/enterprises/{uscc}").json
    moved = client.patch(f"/api/v1/enterprises/{uscc}",
                         json={"town_code": NEW_TOWN, "version": got["version"],
                               "reason": "迁址 / moved"}, headers=HEADERS)
    assert moved.status_code == 200, moved.json
    past_after = _held(client, "hnte", yesterday, "town")
    now_after = _held(client, "hnte", TODAY, "town")
    assert past_after.get(OLD_TOWN, 0) == past_before.get(OLD_TOWN, 0) + 1
    assert past_after.get(NEW_TOWN, 0) == past_before.get(NEW_TOWN, 0)
    assert now_after.get(NEW_TOWN, 0) == now_before.get(NEW_TOWN, 0) + 1
    assert now_after.get(OLD_TOWN, 0) == now_before.get(OLD_TOWN, 0)


def test_only_provincial_or_higher_srdi_titles_count_toward_the_srdi_indicator(
    client: FlaskClient, sessions: sessionmaker[Session],
) -> None:
    year = 2018
    before = _srdi(client, year)
    for level in ("municipal", "provincial", None):
        uscc = create_enterprise(client, new_uscc())["uscc"]
        _certify(client, uscc, "srdi_sme", f"{year}-03-01", f"{year + 2}-12-31", level)
    assert _srdi(client, year) == before + 2  # the municipal one does not count


def _srdi(client: FlaskClient, year: int) -> int:
    plan = _plan(client, year - 1, year + 1, [{"measure": "srdi_provincial_held"}])
    report = client.get("/api/v1/reports/progress", query_string={"plan": plan, "year": year})
    assert report.status_code == 200, report.json
    return int(float(report.json["rows"][0]["actual"]))


def _plan(client: FlaskClient, start: int, end: int, indicators: list[dict[str, Any]],
          title: str = "测试规划 / Test plan") -> int:
    response = client.post("/api/v1/plans", json={
        "title": title, "document_number": "东政发〔2026〕1号", "start_year": start,
        "end_year": end, "indicators": indicators, "reason": "测试 / test"}, headers=ADMIN)
    assert response.status_code == 201, response.json
    return int(response.json["id"])


def test_the_seeded_plan_names_its_indicators_with_rules_and_targets(client: FlaskClient
                                                                     ) -> None:
    plans = client.get("/api/v1/plans").json["items"]
    seeded = next(p for p in plans if p["start_year"] == 2023 and p["end_year"] == 2025)
    assert "2023-2025" in seeded["title"]
    targets = {i["measure"]: i["final_target"] for i in seeded["indicators"]}
    assert targets["hnte_held"] == "120.00"
    assert targets["srdi_provincial_held"] == "35.00"
    assert targets["tech_sme_registered"] == "150.00"
    assert targets["agri_leader_new"] == "20.00"
    assert {"reserve_admitted", "rd_growth", "innovation_platforms"} <= set(targets)
    rd = next(i for i in seeded["indicators"] if i["measure"] == "rd_growth")
    assert rd["yearly_targets"]["2024"] == "15" and "上年" in rd["rule"]


def test_a_plan_is_created_and_replaced_with_the_change_journaled(
    client: FlaskClient, sessions: sessionmaker[Session],
) -> None:
    plan_id = _plan(client, 2026, 2028, [
        {"measure": "hnte_held", "final_target": 150, "baseline": "118",
         "yearly_targets": {"2026": "130"}, "town_targets": {OLD_TOWN: "30"}}],
        title="2026–2028 测试规划")
    got = client.get(f"/api/v1/plans/{plan_id}").json
    assert got["indicators"][0]["town_targets"] == {OLD_TOWN: "30.00"}
    replaced = client.put(f"/api/v1/plans/{plan_id}", json={
        "title": "2026–2028 测试规划（修订）", "start_year": 2026, "end_year": 2028,
        "indicators": [{"measure": "hnte_held", "final_target": "160"}],
        "version": got["version"], "reason": "区政府调整目标"}, headers=ADMIN)
    assert replaced.status_code == 200, replaced.json
    assert replaced.json["indicators"][0]["final_target"] == "160.00"
    stale = client.put(f"/api/v1/plans/{plan_id}", json={
        "title": "x", "start_year": 2026, "end_year": 2028,
        "indicators": [{"measure": "hnte_held"}], "version": got["version"]}, headers=ADMIN)
    assert stale.status_code == 409
    with sessions() as session:
        rows = session.scalars(select(MonitoringAuditEntry).where(
            MonitoringAuditEntry.entity == "plan",
            MonitoringAuditEntry.entity_id == plan_id).order_by(MonitoringAuditEntry.id)).all()
    assert [(r.action, r.actor) for r in rows] == [("create", "admin:bureau"),
                                                   ("update", "admin:bureau")]
    assert rows[1].reason == "区政府调整目标"
    assert rows[1].changes["from"]["indicators"][0]["final_target"] == "150.00"
    journal = client.get(f"/api/v1/plans/{plan_id}/journal", query_string={"limit": 1})
    assert journal.status_code == 200 and journal.json["next_cursor"]
    rest = client.get(f"/api/v1/plans/{plan_id}/journal",
                      query_string={"cursor": journal.json["next_cursor"]}).json
    assert [(e["action"], e["actor"], e["reason"]) for e in journal.json["items"] + rest[
        "items"]] == [("create", "admin:bureau", "测试 / test"),
                      ("update", "admin:bureau", "区政府调整目标")]
    assert client.get("/api/v1/plans/999999/journal").status_code == 404


def test_a_replace_that_changes_only_targets_still_refuses_the_stale_version(
    client: FlaskClient,
) -> None:
    plan_id = _plan(client, 2036, 2038, [{"measure": "hnte_held", "final_target": "10"}])
    loaded = client.get(f"/api/v1/plans/{plan_id}").json["version"]
    body = {"title": "测试规划 / Test plan", "document_number": "东政发〔2026〕1号",
            "start_year": 2036, "end_year": 2038, "version": loaded,
            "indicators": [{"measure": "hnte_held", "final_target": "12"}]}
    first = client.put(f"/api/v1/plans/{plan_id}", json=body, headers=ADMIN)
    assert first.status_code == 200 and first.json["version"] == loaded + 1
    second = client.put(f"/api/v1/plans/{plan_id}", headers=ADMIN, json={
        **body, "indicators": [{"measure": "hnte_held", "final_target": "14"}]})
    assert second.status_code == 409  # loaded before the first save: overtaken


@pytest.mark.parametrize(("body", "field"), [
    ({"start_year": 2027, "end_year": 2026}, "end_year"),
    ({"indicators": [{"measure": "hnte_held"}, {"measure": "hnte_held"}]},
     "indicators.1.measure"),
    ({"indicators": [{"measure": "hnte_held", "yearly_targets": {"2030": "1"}}]},
     "indicators.0.yearly_targets"),
    ({"indicators": [{"measure": "no_such_rule"}]}, "indicators"),
])
def test_a_plan_that_does_not_hold_together_is_refused(client: FlaskClient, body: dict[str, Any],
                                                      field: str) -> None:
    plan = {"title": "坏规划", "start_year": 2026, "end_year": 2028,
            "indicators": [{"measure": "hnte_held"}], **body}
    response = client.post("/api/v1/plans", json=plan, headers=ADMIN)
    assert response.status_code == 422
    assert any(k.startswith(field) for k in response.json["error"]["fields"]), response.json


def test_a_frozen_year_reads_the_same_after_edits_and_corrections_are_recorded(
    client: FlaskClient, sessions: sessionmaker[Session], database_url: str,
) -> None:
    year = 2011 if database_url.startswith("sqlite") else 2012
    plan_id = _plan(client, year - 1, year + 1, [
        {"measure": "hnte_held", "final_target": "5", "yearly_targets": {str(year): "4"}},
        {"measure": "rd_growth", "final_target": "15"}])
    first = create_enterprise(client, new_uscc(), town_code=OLD_TOWN)["uscc"]
    _certify(client, first, "hnte", f"{year}-02-01", f"{year + 3}-01-31")
    live = client.get("/api/v1/reports/progress", query_string={"plan": plan_id, "year": year})
    assert live.json["source"] == "live"
    frozen = client.post("/api/v1/reports/snapshots",
                         json={"year": year, "reason": "年末冻结 / year-end"}, headers=ADMIN)
    assert frozen.status_code == 201, frozen.json
    again = client.post("/api/v1/reports/snapshots", json={"year": year}, headers=ADMIN)
    assert again.status_code == 409
    before = client.get("/api/v1/reports/progress", query_string={"plan": plan_id, "year": year})
    assert before.json["source"] == "snapshot"
    counted = before.json["rows"][0]["actual"]

    later = create_enterprise(client, new_uscc(), town_code=OLD_TOWN)["uscc"]  # an edit after
    _certify(client, later, "hnte", f"{year}-05-01", f"{year + 3}-04-30")
    after = client.get("/api/v1/reports/progress", query_string={"plan": plan_id, "year": year})
    assert after.json["rows"][0]["actual"] == counted
    assert after.json["rows"][0]["corrected"] is False
    live_now = _total(_held(client, "hnte", date(year, 12, 31)))
    assert live_now == int(float(counted)) + 1  # the live count moved; the frozen one did not

    fix = client.post(f"/api/v1/reports/snapshots/{year}/corrections",
                      json={"measure": "hnte_held", "value": "1234",
                            "reason": "补录漏报企业 / late filing"}, headers=ADMIN)
    assert fix.status_code == 201, fix.json
    assert fix.json["from_value"] == counted.split(".")[0] or fix.json["from_value"] == counted
    corrected = client.get("/api/v1/reports/progress",
                           query_string={"plan": plan_id, "year": year}).json
    row = corrected["rows"][0]
    assert row["actual"] == "1234.00" and row["corrected"] is True
    assert row["display"]["actual"] == "1,234"
    assert row["target"] == "4.00" and row["completion_pct"] == "30850.00"
    assert corrected["corrections"][0]["actor"] == "admin:bureau"
    assert corrected["corrections"][0]["reason"] == "补录漏报企业 / late filing"
    snap = client.get(f"/api/v1/reports/snapshots/{year}").json
    assert snap["figures"]["measures"]["hnte_held"]["value"] == \
        frozen.json["figures"]["measures"]["hnte_held"]["value"]  # frozen figures untouched

    pdf = client.get("/api/v1/reports/progress.pdf", query_string={"plan": plan_id,
                                                                   "year": year})
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "目标指标完成情况表" in text and "高新技术企业数" in text
    assert "研发费用增长率" in text and "测试规划" in text
    assert "1,234" in text and "30,850.00 %" in text
    fonts = [f.get_object() for page in reader.pages
             for f in page["/Resources"]["/Font"].values()]
    assert any("/FontFile2" in d["/FontDescriptor"] for font in fonts
               for d in [font["/DescendantFonts"][0].get_object()])  # TrueType embedded

    xlsx = client.get("/api/v1/reports/progress.xlsx",
                      query_string={"plan": plan_id, "year": year})
    book = load_workbook(io.BytesIO(xlsx.data))
    sheet = book["完成情况表"]
    assert "A1" in str(sheet.merged_cells)
    assert sheet.print_area and sheet.page_setup.orientation == "landscape"
    cells = [c.value for row_ in sheet.iter_rows() for c in row_ if c.value is not None]
    assert "高新技术企业数 / High-tech enterprises held（已更正 / corrected）" in cells
    assert 1234 in cells and "基期值 / Baseline" in cells
    with sessions() as session:
        actions = set(session.scalars(select(MonitoringAuditEntry.action).where(
            MonitoringAuditEntry.entity.in_(("year_snapshot", "snapshot_correction")))))
    assert {"freeze", "correct"} <= actions


def test_reserve_admissions_count_admissions_not_nominations_and_cohorts_convert(
    client: FlaskClient,
) -> None:
    plan_id = _plan(client, TODAY.year, TODAY.year + 2,
                    [{"measure": "reserve_admitted", "final_target": "20"}])

    def admitted() -> int:
        report = client.get("/api/v1/reports/progress",
                            query_string={"plan": plan_id, "year": TODAY.year})
        assert report.status_code == 200, report.json
        return int(float(report.json["rows"][0]["actual"]))

    def cohort() -> dict[str, Any]:
        rows = client.get("/api/v1/statistics/cohorts").json
        return next((r for r in rows if r["cohort_year"] == TODAY.year),
                    {"admitted": 0, "certified_by": {str(TODAY.year): 0}})

    count, before = admitted(), cohort()
    nominated = create_enterprise(client, new_uscc())["uscc"]
    nominate(client, "hnte_reserve", nominated)
    firm = create_enterprise(client, new_uscc())["uscc"]
    version = nominate(client, "hnte_reserve", firm)["version"]
    for stage in ("screened", "admitted"):
        version = move(client, "hnte_reserve", firm, stage, version).json["version"]
    assert admitted() == count + 1
    _certify(client, firm, "hnte", TODAY.isoformat(), None)
    after = cohort()
    assert after["admitted"] == before["admitted"] + 1
    assert after["certified_by"][str(TODAY.year)] == \
        before["certified_by"][str(TODAY.year)] + 1


def test_statistics_group_by_stage_size_and_industry_in_words(client: FlaskClient) -> None:
    stages = client.get("/api/v1/statistics/stages", query_string={"by": "industry"})
    assert stages.status_code == 200
    sizes = client.get("/api/v1/statistics/certifications", query_string={"by": "size_class"})
    assert sizes.status_code == 200
    assert all(" / " in row["tier_label"] for row in sizes.json)
    money = client.get("/api/v1/statistics/financials",
                       query_string={"year_from": 2023, "year_to": 2024, "by": "town"})
    assert money.status_code == 200
    assert any(row["year"] == 2024 and row["rd_expense"] for row in money.json)
    bad = client.get("/api/v1/statistics/financials",
                     query_string={"year_from": 2024, "year_to": 2020})
    assert bad.status_code == 422


def test_the_daily_year_end_run_freezes_the_ended_year_once(client: FlaskClient, app: Any
                                                            ) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["freeze-year-end", "--today", "2015-01-01"])
    assert first.exit_code == 0, first.output
    assert "froze 1" in first.output and "2014" in first.output
    again = runner.invoke(args=["freeze-year-end", "--today", "2015-01-02"])
    assert again.exit_code == 0 and "froze 0" in again.output
    snapshot = client.get("/api/v1/reports/snapshots/2014").json
    assert snapshot["as_of"] == "2014-12-31" and snapshot["taken_by"] == "system:year-end"
    running = runner.invoke(args=["freeze-year-end", "--today", "2015-06-30"])
    assert "froze 0" in running.output  # 2014 is frozen; 2015 has not ended


def test_the_report_read_right_after_changes_reads_as_a_count_from_scratch(
    client: FlaskClient,
) -> None:
    """The live year is kept per enterprise and only the changed enterprises are counted
    again: after certificates, a town move, filed figures, a platform and a reserve admission,
    the report equals the one a fresh count gives, town by town."""
    from registry.handlers import reports

    plan_id = _plan(client, TODAY.year, TODAY.year + 2,
                    [{"measure": m, "final_target": "100"} for m in (
                        "hnte_held", "srdi_provincial_held", "tech_sme_registered",
                        "agri_leader_new", "reserve_admitted", "rd_growth",
                        "innovation_platforms")])
    query = {"plan": plan_id, "year": TODAY.year}

    def report() -> dict[str, Any]:
        response = client.get("/api/v1/reports/progress", query_string=query)
        assert response.status_code == 200, response.json
        return response.json

    before = report()  # counted from scratch, then kept
    held = create_enterprise(client, new_uscc(), town_code=OLD_TOWN)["uscc"]
    changes: list[tuple[str, str, dict[str, Any]]] = [
        ("POST", "certifications", {"tier": "hnte", "expires_on": None,
                                    "issued_on": (TODAY - timedelta(days=10)).isoformat()}),
        ("POST", "certifications", {"tier": "little_giant", "expires_on": None,
                                    "issued_on": (TODAY - timedelta(days=10)).isoformat()}),
        ("POST", "certifications", {"tier": "agri_leader_district", "level": "district",
                                    "issued_on": TODAY.isoformat(), "expires_on": None}),
        ("PATCH", "", {"town_code": NEW_TOWN, "version": 1}),
        ("PUT", f"financials/{TODAY.year - 1}", {"rd_expense": 1_000_000}),
        ("PUT", f"financials/{TODAY.year}", {"rd_expense": 1_500_000}),
        ("POST", "institutions", {"level": "provincial", "name": "企业技术中心"}),
    ]
    for method, path, body in changes:  # the dashboard is read between the changes
        response = client.open(f"/api/v1/enterprises/{held}/{path}".rstrip("/"),
                               method=method, json=body, headers=HEADERS)
        assert response.status_code in (200, 201), response.json
        report()
    version = nominate(client, "hnte_reserve", held)["version"]
    for stage in ("screened", "admitted"):
        version = move(client, "hnte_reserve", held, stage, version).json["version"]
        report()
    kept = report()
    reports._LIVE.clear()  # what a freshly started process counts
    fresh = report()
    assert kept == fresh
    actual = {row["measure"]: row["actual"] for row in kept["rows"]}
    was = {row["measure"]: row["actual"] for row in before["rows"]}
    for measure in ("hnte_held", "srdi_provincial_held", "agri_leader_new", "reserve_admitted",
                    "innovation_platforms"):
        assert float(actual[measure]) == float(was[measure]) + 1, measure
    town = next(t for t in kept["towns"] if t["town_code"] == NEW_TOWN)
    assert any(row["measure"] == "hnte_held" and float(row["actual"]) >= 1
               for row in town["rows"])


def test_the_kept_running_year_moves_to_the_next_day_as_a_count_from_scratch(
    client: FlaskClient, sessions: sessionmaker[Session],
) -> None:
    """A new day re-counts the enterprises whose certificates start or end between the two
    days (nothing else moves by the date alone): a certificate issued the next day counts
    from then, one whose last valid day was the day before stops counting."""
    from registry.handlers import reports
    from registry.handlers.figures import year_figures

    day = date(TODAY.year, 6, 1)
    next_day = day + timedelta(days=1)
    starts = create_enterprise(client, new_uscc(), town_code=OLD_TOWN)["uscc"]
    _certify(client, starts, "hnte", next_day.isoformat(), None)
    ends = create_enterprise(client, new_uscc(), town_code=NEW_TOWN)["uscc"]
    _certify(client, ends, "hnte", (day - timedelta(days=3 * 365)).isoformat(), day.isoformat())
    with sessions() as session:
        first = reports.live_year_figures(session, TODAY.year, day, TODAY.year, True)
        rolled = reports.live_year_figures(session, TODAY.year, next_day, TODAY.year, True)
        fresh = year_figures(session, TODAY.year, next_day, plan_start=TODAY.year)
    assert rolled == fresh
    assert rolled["as_of"] == next_day.isoformat() and first["as_of"] == day.isoformat()
    held, was = rolled["measures"]["hnte_held"]["towns"], first["measures"]["hnte_held"]["towns"]
    assert int(held[OLD_TOWN]) >= 1 and int(was.get(NEW_TOWN, "0")) >= 1


def test_a_starting_worker_counts_the_running_year_before_the_first_read(
    client: FlaskClient, sessions: sessionmaker[Session],
) -> None:
    """What gunicorn's worker start-up runs: the plan in force's running year is counted, so
    the first dashboard read only checks for changes since."""
    from registry.handlers import reports

    _plan(client, TODAY.year, TODAY.year + 2,
          [{"measure": "hnte_held", "final_target": "100"}])
    reports._LIVE.clear()
    assert reports.warm(sessions, TODAY)
    assert any(live.built and live.figures.year == TODAY.year
               for live in reports._LIVE.values())
    assert client.get("/api/v1/reports/progress").status_code == 200
