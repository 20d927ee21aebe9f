"""Web UI pages over recording upstreams: what each page shows and what it sends upstream."""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from flask import Flask
from gateway_testkit import USCC_A
from gateway_testkit import USCC_B
from gateway_testkit import RecordingUpstream
from gateway_testkit import json_response

sys.path.insert(0, str(Path(__file__).parent))
from test_web_kit import CHECK_REQUIRED  # noqa: E402
from test_web_kit import HNTE_RESULT  # noqa: E402
from test_web_kit import canned  # noqa: E402
from test_web_kit import csrf_of  # noqa: E402
from test_web_kit import list_page  # noqa: E402
from test_web_kit import sign_in  # noqa: E402

pytestmark = pytest.mark.integration
MEMBERSHIP = {"id": 7, "pool": "hnte_reserve", "uscc": USCC_A, "enterprise_name": "甲公司",
              "stage": "nominated", "version": 3, "allowed_moves": ["screened", "rejected",
                                                                    "withdrawn"]}


def _enterprise_upstreams(upstreams: dict[str, RecordingUpstream]) -> None:
    canned(upstreams, "registry", f"/api/v1/enterprises/{USCC_A}",
           {"uscc": USCC_A, "name": "聊城甲轴承有限公司", "industry_code": "C3451"})
    canned(upstreams, "registry", f"/api/v1/enterprises/{USCC_A}/profile", {
        "enterprise": {"uscc": USCC_A, "name": "聊城甲轴承有限公司"},
        "financials": [{"year": 2024, "operating_revenue": 48000000, "rd_expense": 1536000}],
        "ip": [{"kind": "invention_patent", "number": "ZL202110001234.5"}],
        "certifications": [{"tier": "tech_sme", "issued_on": "2024-05-01",
                            "expires_on": "2025-12-31"}]})
    canned(upstreams, "registry", f"/api/v1/enterprises/{USCC_A}/memberships",
           list_page([MEMBERSHIP]))
    canned(upstreams, "registry", f"/api/v1/pools/hnte_reserve/members/{USCC_A}/moves", list_page([
        {"id": 1, "from_stage": None, "to_stage": "nominated", "actor": "user:curator",
         "reason": "年度遴选", "moved_at": "2025-03-01T08:00:00+00:00"}]))
    canned(upstreams, "registry", f"/api/v1/enterprises/{USCC_A}/audit", {"items": [
        {"id": 1, "entity": "enterprise", "action": "created", "actor": "import:job-1",
         "at": "2025-02-01T08:00:00+00:00", "changes": {}, "reason": "批量导入"}]})
    canned(upstreams, "scoring", f"/api/v1/enterprises/{USCC_A}/evaluations", {
        "uscc": USCC_A, "evaluations": [{"tier": "hnte", "verdict": "near",
                                         "result": HNTE_RESULT}]})
    canned(upstreams, "notify", f"/api/v1/enterprises/{USCC_A}/notices", {"items": [
        {"id": "a1b2", "subject": "研发费用后补助申报通知", "body": "…", "read": False,
         "status": "sent", "created_at": "2025-04-01T00:00:00"}], "total": 1})


def _indicator(measure: str, name: str, actual: str, target: str, unit: str = "家 / firms"
               ) -> dict[str, object]:
    return {"measure": measure, "name": name, "unit": unit, "actual": actual, "target": target,
            "display": {"actual": actual, "target": target, "baseline": "—",
                        "completion": "—"}}


#: The registry's progress table of the plan in force, as /api/v1/reports/progress answers.
PLAN_REPORT = {
    "plan": {"id": 1, "title": "三年行动计划（2023-2025年）", "start_year": 2023,
             "end_year": 2025, "document_number": None},
    "year": 2025, "as_of": "2025-12-31", "source": "snapshot",
    "rows": [_indicator("hnte_held", "高新技术企业数 / High-tech enterprises held", "87", "120"),
             _indicator("tech_sme_registered", "科技型中小企业数 / Tech-based SMEs", "87", "150"),
             _indicator("agri_leader_new", "新增农业产业化龙头企业 / New agricultural leaders",
                        "2", "20"),
             _indicator("rd_growth", "研发费用增长率 / R&D expenditure growth", "12.50", "15.00",
                        unit="%")],
    "trend": [{"year": 2024, "source": "snapshot", "values": {"hnte_held": "80"}},
              {"year": 2025, "source": "snapshot", "values": {"hnte_held": "87"}}],
    "towns": [{"town_code": "371502101", "town_name": "沙镇镇 / Shazhen Town", "rows": [
        {"display": {"actual": "12", "target": "30"}}]}],
}


def test_dashboard_shows_targets_against_today_and_the_funnel(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    canned(upstreams, "registry", "/api/v1/pools", list_page([
        {"key": "hnte_reserve", "tier": "hnte", "members_by_stage": {"nominated": 12,
                                                                     "admitted": 5}},
        {"key": "agri_leader_district", "tier": "agri_leader_district",
         "members_by_stage": {"certified": 4}}]))
    canned(upstreams, "registry", "/api/v1/reports/progress", PLAN_REPORT)
    html = sign_in(app, "viewer").get("/dashboard").get_data(as_text=True)
    assert "2025 年目标完成情况" in html and "三年行动计划（2023-2025年）" in html
    assert "高新技术企业" in html and "87 / 120" in html and "87 / 150" in html
    assert "2 / 20" in html  # the plan's targets, counted by the registry
    assert "12 / 30" in html and "沙镇镇" in html  # per town
    assert "dash-plan-years" in html and ">80<" in html  # per year
    svgs = [chunk.split("</svg>")[0] + "</svg>" for chunk in html.split("<svg")[1:]]
    assert len(svgs) == 6  # each chart drawn for a desktop and for a phone (issue 17 item 9)
    assert html.count('class="chart chart-narrow"') == 3
    for svg in svgs:
        ET.fromstring("<svg" + svg)
    paths = [c.path for c in upstreams["registry"].calls]
    assert "/api/v1/reports/progress" in paths
    # counted by the registry in SQL: the gateway pages through no list
    assert not any(p.endswith("/members") or p == "/api/v1/enterprises" for p in paths)


def test_enterprise_page_shows_every_section_with_criteria_gaps_and_citations(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    _enterprise_upstreams(upstreams)
    html = sign_in(app, "curator").get(f"/enterprises/{USCC_A}").get_data(as_text=True)
    for text in ("聊城甲轴承有限公司", "48,000,000", "ZL202110001234.5", "科技型中小企业",
                 "年度遴选", "批量导入", "¥640,000", "国科发火〔2016〕32号",
                 "研发费用后补助申报通知",
                 'name="reason"', 'name="csrf_token"'):
        assert text in html, text


def test_scoring_down_hides_only_the_verdicts(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    _enterprise_upstreams(upstreams)
    canned(upstreams, "scoring", f"/api/v1/enterprises/{USCC_A}/evaluations",
           {"error": {"code": "x", "status": 503, "message": "维护中 / maintenance"}}, status=503)
    resp = sign_in(app, "viewer").get(f"/enterprises/{USCC_A}")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "暂时无法获取" in html and "ZL202110001234.5" in html
    assert 'name="reason"' not in html  # viewers get no move form


def test_a_move_sends_reason_version_and_actor_then_shows_the_new_stage(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    _enterprise_upstreams(upstreams)
    path = f"/api/v1/pools/hnte_reserve/members/{USCC_A}/moves"
    canned(upstreams, "registry", path, {**MEMBERSHIP, "stage": "screened"}, method="POST")
    client = sign_in(app, "curator")
    resp = client.post(f"/enterprises/{USCC_A}/pools/hnte_reserve/move", data={
        "to_stage": "screened", "reason": "材料齐全", "version": "3",
        "csrf_token": csrf_of(client)})
    assert resp.status_code == 303 and "moved=hnte_reserve:screened" in resp.headers["Location"]
    call = next(c for c in upstreams["registry"].calls if c.method == "POST")
    assert json.loads(call.body) == {"to_stage": "screened", "reason": "材料齐全", "version": 3}
    assert call.headers["X-Actor"] == "user:curator"
    assert "已流转至「遴选」" in client.get(resp.headers["Location"]).get_data(as_text=True)


def test_an_illegal_move_shows_the_allowed_moves_in_words(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    _enterprise_upstreams(upstreams)
    upstreams["registry"].routes[("POST", f"/api/v1/pools/hnte_reserve/members/{USCC_A}/moves")] \
        = json_response({"error": {
            "code": "illegal_move", "status": 409,
            "message": "不允许从“nominated”流转到“certified” / Illegal move",
            "details": {"allowed_moves": ["screened", "rejected", "withdrawn"]}}}, 409)
    client = sign_in(app, "curator")
    resp = client.post(f"/enterprises/{USCC_A}/pools/hnte_reserve/move", data={
        "to_stage": "certified", "reason": "试试", "csrf_token": csrf_of(client)})
    # issue 17 item 4: back on the enterprise page (not the POST URL), at the error
    assert resp.status_code == 303 and resp.headers["Location"].endswith("#move-error")
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert 'id="move-error"' in html
    assert "不能从「提名」直接流转到「认定」" in html and "“nominated”" not in html
    assert "当前阶段允许的流转：遴选、未通过、退库" in html
    assert 'name="reason" required maxlength="500" value="试试"' in html  # the reason is kept
    en = client.post(f"/enterprises/{USCC_A}/pools/hnte_reserve/move?lang=en", data={
        "to_stage": "certified", "reason": "x", "csrf_token": csrf_of(client)})
    english = client.get(en.headers["Location"]).get_data(as_text=True)
    assert "Moves allowed from this stage: Screened, Rejected, Withdrawn" in english
    assert "cannot move from “Nominated” straight to “Certified”" in english
    assert "Illegal move" not in english


def test_rankings_pass_filters_and_link_the_excel_export(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    canned(upstreams, "scoring", "/api/v1/rankings/tech_sme", {"tier": "tech_sme", "items": [
        {"position": 1, "uscc": USCC_B, "name": "乙科技", "verdict": "near", "pools": [],
         "score": None, "gaps": [{"id": "rd", "title": {"zh": "研发"}, "gap": {
             "text_zh": "还需研发费用 ¥120,000", "text_en": "¥120,000 more R&D"}}]}],
        "next_cursor": "abc"})
    html = sign_in(app, "viewer").get(
        "/rankings?tier=tech_sme&verdict=near&town=371502001&pool=little_giant"
    ).get_data(as_text=True)
    call = next(c for c in upstreams["scoring"].calls if c.path.startswith("/api/v1/rankings"))
    assert "verdict=near" in call.query and "town=371502001" in call.query
    assert "pool=little_giant" in call.query
    assert "乙科技" in html and "还需研发费用 ¥120,000" in html and "cursor=abc" in html
    assert ("/api/v1/rankings/tech_sme.xlsx?verdict=near&amp;town=371502001"
            "&amp;pool=little_giant") in html
    # the pool filter offers every pool of the catalogue by name, the chosen one selected,
    # without reading the registry's pool summary (it counts every membership: issue 16)
    assert '<option value="little_giant" selected>专精特新“小巨人”</option>' in html
    assert '<option value="listing_reserve">上市后备库</option>' in html
    assert not any(c.path.startswith("/api/v1/pools") for c in upstreams["registry"].calls)


def test_my_eligibility_reads_only_my_own_evaluations(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    _enterprise_upstreams(upstreams)
    html = sign_in(app, USCC_A).get("/my?lang=en").get_data(as_text=True)
    assert "¥640,000 more R&amp;D spend" in html and "Near miss" in html
    paths = {c.path for s in upstreams.values() for c in s.calls}
    assert all(USCC_B not in p for p in paths)
    assert f"/api/v1/enterprises/{USCC_A}/evaluations" in paths


def test_what_if_evaluates_my_profile_with_the_new_figures(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    _enterprise_upstreams(upstreams)
    canned(upstreams, "scoring", "/api/v1/evaluate", {"results": {"hnte": {
        **HNTE_RESULT, "verdict": "eligible"}}}, method="POST")
    client = sign_in(app, USCC_A)
    assert "48000000" in client.get("/my/what-if").get_data(as_text=True)  # prefilled
    resp = client.post("/my/what-if", data={"uscc": USCC_B, "rd_expense": "2000000",
                                            "csrf_token": csrf_of(client)})
    assert resp.status_code == 200 and "符合条件" in resp.get_data(as_text=True)
    sent = json.loads(next(c for c in upstreams["scoring"].calls if c.method == "POST").body)
    assert sent["enterprise"]["uscc"] == USCC_A  # never someone else's, whatever was posted
    assert sent["financials"][-1]["rd_expense"] == 2000000


def test_anonymous_self_check_shows_verdicts_and_field_errors(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    canned(upstreams, "scoring", "/api/v1/evaluate", {"results": {"hnte": HNTE_RESULT}},
           method="POST")
    client = app.test_client()
    ok = client.post("/check", data={**CHECK_REQUIRED, "name": "试算",
                                     "operating_revenue": "30000000"})
    assert ok.status_code == 200 and "¥640,000" in ok.get_data(as_text=True)
    bad = client.post("/check", data={"employees": "很多"})
    assert 'aria-invalid="true"' in bad.get_data(as_text=True)
    assert len([c for c in upstreams["scoring"].calls if c.method == "POST"]) == 1


def test_notices_can_be_marked_read(app: Flask, upstreams: dict[str, RecordingUpstream]) -> None:
    _enterprise_upstreams(upstreams)
    canned(upstreams, "notify", f"/api/v1/enterprises/{USCC_A}/notices/a1b2", {"read": True},
           method="PATCH")
    client = sign_in(app, USCC_A)
    assert "研发费用后补助申报通知" in client.get("/my/notices").get_data(as_text=True)
    resp = client.post("/my/notices/a1b2", data={"read": "true", "csrf_token": csrf_of(client)})
    assert resp.status_code == 303
    patch = next(c for c in upstreams["notify"].calls if c.method == "PATCH")
    assert json.loads(patch.body) == {"read": True}


def test_preferences_save_and_show_field_errors(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    path = f"/api/v1/enterprises/{USCC_A}/preferences"
    canned(upstreams, "notify", path, {"language": "zh-CN", "channels": ["inapp"], "version": 2})
    upstreams["notify"].routes[("PUT", path)] = json_response({"error": {
        "code": "validation_error", "status": 422, "message": "输入有误 / Invalid input",
        "fields": {"email": ["选择邮件须填写邮箱 / e-mail channel needs an address"]}}}, 422)
    client = sign_in(app, USCC_A)
    resp = client.post("/my/preferences", data={"language": "en", "channels": ["inapp", "email"],
                                                "version": "2", "csrf_token": csrf_of(client)})
    assert resp.status_code == 422 and "选择邮件须填写邮箱" in resp.get_data(as_text=True)
    sent = json.loads(next(c for c in upstreams["notify"].calls if c.method == "PUT").body)
    assert sent == {"language": "en", "channels": ["inapp", "email"], "email": None,
                    "webhook_url": None, "version": 2}


def test_import_upload_reaches_the_registry_and_the_job_shows_row_errors(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    canned(upstreams, "registry", "/api/v1/imports", {"id": "j-1", "status": "queued"},
           method="POST", status=202)
    canned(upstreams, "registry", "/api/v1/imports/j-1", {
        "id": "j-1", "status": "succeeded", "file_name": "a.xlsx", "total_rows": 4,
        "processed_rows": 4, "created": 2, "updated": 1, "error_count": 1,
        "errors": [{"row": 3, "column": "uscc", "message": "校验码错误 / bad check character"}]})
    client = sign_in(app, "curator")
    resp = client.post("/imports", data={"csrf_token": csrf_of(client),
                                         "file": (__import__("io").BytesIO(b"PK..."), "a.xlsx")},
                       content_type="multipart/form-data")
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/imports/j-1")
    upload = next(c for c in upstreams["registry"].calls if c.method == "POST")
    # the upload is checked first (issue 17 item 8); "确认导入" writes it, see
    # test_everyday_pages.test_an_upload_is_checked_first_and_committed_in_one_click
    assert b'filename="a.xlsx"' in upload.body and upload.query == "dry_run=true"
    html = client.get("/imports/j-1").get_data(as_text=True)
    assert "行错误（1）" in html and "校验码错误" in html and 'id="row-errors"' in html
