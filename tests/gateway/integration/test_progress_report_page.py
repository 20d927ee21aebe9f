"""The progress report page (/reports/progress): the registry's 完成情况表 drawn as charts and
tables with the XLSX and PDF beside it; bureau roles only, and the gateway forwards the report,
plans and statistics paths to the registry (an enterprise account is refused)."""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from gateway_testkit import USCC_A
from gateway_testkit import RecordingUpstream

sys.path.insert(0, str(Path(__file__).parent))
from test_web_kit import canned  # noqa: E402
from test_web_kit import form_token  # noqa: E402
from test_web_kit import list_page  # noqa: E402
from test_web_kit import sign_in  # noqa: E402

pytestmark = pytest.mark.integration


def _row(measure: str, name: str, unit: str, target: str | None, actual: str,
         shown: tuple[str, str, str]) -> dict[str, Any]:
    return {"measure": measure, "name": name, "unit": unit, "kind": "stock",
            "rule": "统计日持有有效证书的企业数 / Holders on the statistics date", "note": None,
            "dated": True, "baseline": "98.00", "baseline_source": "computed", "target": target,
            "actual": actual, "completion_pct": None, "met": False, "corrected": False,
            "display": {"baseline": "98", "target": shown[0], "actual": shown[1],
                        "completion": shown[2]}}


REPORT = {
    "plan": {"id": 1, "title": "三年行动计划（2023-2025年）", "document_number": None,
             "start_year": 2023, "end_year": 2025},
    "year": 2025, "as_of": "2025-12-31", "source": "snapshot",
    "snapshot": {"year": 2025, "as_of": "2025-12-31", "taken_at": "2026-01-01T00:00:00",
                 "taken_by": "system:year-end"},
    "corrections": [],
    "rows": [_row("hnte_held", "高新技术企业数 / High-tech enterprises held", "家 / firms",
                  "120.00", "1234.00", ("120", "1,234", "1,028.33 %")),
             _row("rd_growth", "研发费用增长率 / R&D expenditure growth", "%", "15.00", "12.50",
                  ("15.00 %", "12.50 %", "83.33 %"))],
    "towns": [{"town_code": "371502101", "town_name": "沙镇镇 / Shazhen Town", "rows": [
        {"measure": "hnte_held", "name": "高新技术企业数 / High-tech enterprises held",
         "unit": "家 / firms", "kind": "stock", "target": "30.00", "actual": "12.00",
         "completion_pct": "40.00", "met": False,
         "display": {"target": "30", "actual": "12", "completion": "40.00 %"}},
        {"measure": "rd_growth", "name": "研发费用增长率 / R&D expenditure growth", "unit": "%",
         "kind": "growth", "target": None, "actual": "9.10", "completion_pct": None,
         "met": None, "display": {"target": "—", "actual": "9.10 %", "completion": "—"}}]}],
    "trend": [{"year": y, "source": "snapshot", "as_of": f"{y}-12-31",
               "values": {"hnte_held": str(90 + y - 2023), "rd_growth": "12.50"},
               "targets": {"hnte_held": "120.00" if y == 2025 else None, "rd_growth": "15.00"}}
              for y in (2023, 2024, 2025)],
    "funnel": [{"stage": "nominated", "label": "提名 / Nominated", "count": 40},
               {"stage": "admitted", "label": "入库 / Admitted", "count": 21}],
    "cohorts": [{"cohort_year": 2023, "admitted": 20,
                 "certified_by": {"2023": 2, "2024": 9, "2025": 13}}],
}


def test_the_page_shows_the_progress_table_charts_and_file_links(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    canned(upstreams, "registry", "/api/v1/reports/progress", REPORT)
    canned(upstreams, "registry", "/api/v1/plans", list_page([
        {"id": 1, "title": "三年行动计划（2023-2025年）", "start_year": 2023, "end_year": 2025}]))
    html = sign_in(app, "viewer").get("/reports/progress?plan=1&year=2025").get_data(
        as_text=True)
    assert "高新技术企业数" in html and "1,234" in html and "1,028.33 %" in html
    assert "12.50 %" in html and "沙镇镇" in html and "冻结快照" in html
    assert 'href="/api/v1/reports/progress.xlsx?plan=1&amp;year=2025"' in html
    assert 'href="/api/v1/reports/progress.pdf?plan=1&amp;year=2025"' in html
    assert "2025: 13（65.00 %）" in html  # cohort conversion as a share of the admitted
    svgs = [chunk.split("</svg>")[0] + "</svg>" for chunk in html.split("<svg")[1:]]
    assert len(svgs) == 3
    for svg in svgs:
        ET.fromstring("<svg" + svg)
    calls = [(c.path, c.query) for c in upstreams["registry"].calls]
    assert ("/api/v1/reports/progress", "plan=1&year=2025") in calls


def test_the_page_reads_english_on_request(app: Flask,
                                           upstreams: dict[str, RecordingUpstream]) -> None:
    canned(upstreams, "registry", "/api/v1/reports/progress", REPORT)
    canned(upstreams, "registry", "/api/v1/plans", list_page([]))
    html = sign_in(app, "curator").get("/reports/progress?lang=en").get_data(as_text=True)
    assert "High-tech enterprises held" in html and "Progress against targets" in html


def test_an_enterprise_cannot_open_the_report_page_or_its_api(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    client = sign_in(app, USCC_A)
    assert client.get("/reports/progress").status_code == 403
    for path in ("/api/v1/reports/progress", "/api/v1/reports/progress.pdf", "/api/v1/plans",
                 "/api/v1/statistics/certifications"):
        assert client.get(path).status_code == 403
    assert upstreams["registry"].calls == []


MEASURES = [{"key": "hnte_held", "name": "高新技术企业数 / High-tech enterprises held",
             "unit": "家 / firms", "kind": "stock", "rule": "持有有效证书 / valid certificate",
             "dated": True},
            {"key": "rd_growth", "name": "研发费用增长率 / R&D expenditure growth", "unit": "%",
             "kind": "growth", "rule": "同口径 / like for like", "dated": True}]


def test_an_admin_creates_the_next_plan_in_the_form(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    canned(upstreams, "registry", "/api/v1/plans/measures", list_page(MEASURES))
    canned(upstreams, "registry", "/api/v1/plans", {"id": 7}, method="POST", status=201)
    client = sign_in(app, "admin")
    page = client.get("/reports/plans/new").get_data(as_text=True)
    assert "高新技术企业数" in page and "同口径" in page
    token = form_token(page)
    resp = client.post("/reports/plans/new", data={
        "csrf_token": token, "title": "2026–2028 三年行动计划",
        "document_number": "东政发〔2026〕1号", "start_year": "2026", "end_year": "2028",
        "use_hnte_held": "1",
        "final_target_hnte_held": "150", "baseline_hnte_held": "", "reason": "区政府印发"})
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/reports/progress?plan=7")
    sent = json.loads(next(c.body for c in upstreams["registry"].calls if c.method == "POST"))
    assert sent == {"title": "2026–2028 三年行动计划", "document_number": "东政发〔2026〕1号",
                    "start_year": 2026, "end_year": 2028, "reason": "区政府印发",
                    "indicators": [{"measure": "hnte_held", "final_target": "150"}]}
    actor = next(c.headers.get("X-Actor") for c in upstreams["registry"].calls
                 if c.method == "POST")
    assert actor and actor.startswith("user:")


def test_a_refused_plan_comes_back_with_the_reasons_and_what_was_typed(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    canned(upstreams, "registry", "/api/v1/plans/measures", list_page(MEASURES))
    canned(upstreams, "registry", "/api/v1/plans", {"error": {
        "code": "validation_error", "status": 422, "message": "输入校验失败 / Validation failed",
        "fields": {"end_year": ["不能早于起始年 / Cannot be before start_year."]},
        "details": {}}}, method="POST", status=422)
    client = sign_in(app, "admin")
    token = form_token(client.get("/reports/plans/new").get_data(as_text=True))
    resp = client.post("/reports/plans/new", data={
        "csrf_token": token, "title": "坏规划", "start_year": "2028", "end_year": "2026"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "不能早于起始年" in html and 'value="坏规划"' in html


@pytest.mark.parametrize("who", ["curator", "viewer"])
def test_only_an_admin_opens_the_plan_form(app: Flask, who: str) -> None:
    assert sign_in(app, who).get("/reports/plans/new").status_code == 403
