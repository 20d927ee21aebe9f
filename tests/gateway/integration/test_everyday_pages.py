"""Issue 17: the pages people use every day — what a curator, a finance manager and a visitor
notice (each test names the item of the issue it covers). Upstreams are recording servers."""

from __future__ import annotations

import io
import json
import re
import sys
import uuid
from pathlib import Path

import pytest
from flask import Flask
from gateway_testkit import USCC_A
from gateway_testkit import RecordingUpstream
from gateway_testkit import json_response
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response

from yumiao_common.clock import beijing_today

sys.path.insert(0, str(Path(__file__).parent))
from test_web_kit import CHECK_REQUIRED  # noqa: E402
from test_web_kit import HNTE_RESULT  # noqa: E402
from test_web_kit import canned  # noqa: E402
from test_web_kit import criterion  # noqa: E402
from test_web_kit import csrf_of  # noqa: E402
from test_web_kit import list_page  # noqa: E402
from test_web_kit import sign_in  # noqa: E402
from test_web_pages import _enterprise_upstreams  # noqa: E402

pytestmark = pytest.mark.integration


def test_an_empty_self_check_asks_for_the_required_fields_instead_of_answering(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    client = app.test_client()
    form = client.get("/check").get_data(as_text=True)
    assert form.count('aria-required="true"') >= len(CHECK_REQUIRED) - 1  # the tick list
    assert "带 * 的为必填项" in form
    empty = client.post("/check", data={})
    html = empty.get_data(as_text=True)
    assert empty.status_code == 422 and "此项为必填项" in html
    assert 'href="#f-tax_method"' in html and 'href="#f-flags"' in html
    assert "符合条件" not in html and "信息不足" not in html
    assert not [c for c in upstreams["scoring"].calls if c.method == "POST"]


SCORE_GAP = {"amount": "12", "unit": "points",
             "text_zh": "评价总分：实际 48，要求 ≥ 60；还需增加得分 12分",
             "text_en": "Total score: 48 against ≥ 60; 12 more points would meet it"}
RANKING = {"tier": "tech_sme", "total": 128, "next_cursor": None, "items": [
    {"position": 1, "uscc": "91371500000000001A", "name": "甲精密", "verdict": "near",
     "pools": ["tech_sme"], "score": {"min": "48", "max": "48", "pass_mark": "60"},
     "failing": 5, "gaps": [
         {"id": "tech_sme.d_hnte", "title": {"zh": "直通条件1：高新技术企业", "en": "Direct "
                                             "route 1: high-tech enterprise"}, "gap": None},
         {"id": "tech_sme.d_award", "title": {"zh": "直通条件2：省级以上科技奖励",
                                              "en": "Direct route 2: S&T award"}, "gap": None},
         {"id": "tech_sme.d_institution", "title": {"zh": "直通条件3：省级以上研发机构",
                                                    "en": "Direct route 3"}, "gap": None},
         {"id": "tech_sme.d_standard", "title": {"zh": "直通条件4：主导制定标准",
                                                 "en": "Direct route 4"}, "gap": None},
         {"id": "tech_sme.score_total", "title": {"zh": "评价总分", "en": "Total score"},
          "gap": SCORE_GAP}]},
    {"position": 2, "uscc": "91371500000000002B", "name": "乙机械", "verdict": "unknown",
     "pools": [], "score": None, "failing": 0, "gaps": [],
     "to_collect": [{"id": "tech_sme.g1_audited_tax",
                     "title": {"zh": "居民企业，实行查账征收",
                               "en": "Resident enterprise taxed on audited accounts"}}]}]}


def test_rankings_lead_with_the_gap_in_numbers_state_the_order_and_count_the_total(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    canned(upstreams, "scoring", "/api/v1/rankings/tech_sme", RANKING)
    client = sign_in(app, "viewer")
    html = client.get("/rankings?tier=tech_sme&verdict=near").get_data(as_text=True)
    assert "共 128 家" in html
    assert "排序规则" in html and "不按得分" in html
    first = html.split('data-uscc="91371500000000001A"')[1].split("</tr>")[0]
    gap_cell = first.split('class="gap"')[1]
    assert gap_cell.index("还需增加得分 12分") < gap_cell.index("直通条件1")  # the gap first
    assert "或满足其他直通条件之一（4 项）" in gap_cell and "…" not in gap_cell
    second = html.split('data-uscc="91371500000000002B"')[1].split("</tr>")[0]
    assert "需补充：" in second and "居民企业，实行查账征收" in second
    english = client.get("/rankings?tier=tech_sme&lang=en").get_data(as_text=True)
    assert "128 enterprises in all" in english and "12 more points would meet it" in english
    assert "Data to collect: " in english and "直通" not in english


def _evaluate_by_rd(request: Request) -> Response:
    """scoring's /evaluate as the what-if sees it: eligible once R&D reaches ¥2,000,000."""
    profile = json.loads(request.get_data())
    rd = max((row.get("rd_expense") or 0 for row in profile["financials"]), default=0)
    hnte = ({**HNTE_RESULT, "verdict": "eligible", "criteria": [criterion("pass")]}
            if rd >= 2_000_000 else HNTE_RESULT)
    tech = {"tier": "tech_sme", "verdict": "eligible", "criteria": [],
            "score": {"min": "70", "max": "70", "pass_mark": "60", "out_of": "100"}}
    return Response(json.dumps({"results": {"hnte": hnte, "tech_sme": tech}}),
                    mimetype="application/json")


def test_what_if_compares_now_with_the_changed_figures_and_highlights_what_moved(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    _enterprise_upstreams(upstreams)
    upstreams["scoring"].routes[("POST", "/api/v1/evaluate")] = _evaluate_by_rd
    client = sign_in(app, USCC_A)
    resp = client.post("/my/what-if", data={"rd_expense": "2000000", "operating_revenue":
                                            "48000000", "csrf_token": csrf_of(client)})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "当前 → 测算后" in html
    assert "研发费用（元）" in html and "¥1,536,000" in html and "¥2,000,000" in html
    hnte = html.split('data-tier="hnte"')[1].split("</tr>")[0]
    assert "差距较小" in hnte and "符合条件" in hnte and "有变化" in hnte
    assert 'class="changed"' in html.split('data-tier="hnte"')[0][-40:]
    tech = html.split('data-tier="tech_sme"')[1].split("</tr>")[0]
    assert "有变化" not in tech
    assert '<details class="tier" id="tier-hnte" open>' in html  # the tier that changed, open
    assert "1 个梯队的结论或得分有变化" in html
    english = client.post("/my/what-if?lang=en", data={
        "rd_expense": "2000000", "csrf_token": csrf_of(client)}).get_data(as_text=True)
    assert "Now → with these figures" in english and "Near miss" in english
    assert "R&amp;D expense (¥): " in english and "：" not in english.split("<main")[1]


def test_a_move_lands_at_its_confirmation_and_only_allowed_moves_are_offered(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    _enterprise_upstreams(upstreams)
    path = f"/api/v1/pools/hnte_reserve/members/{USCC_A}/moves"
    canned(upstreams, "registry", path, {"stage": "screened"}, method="POST")
    client = sign_in(app, "curator")
    page = client.get(f"/enterprises/{USCC_A}").get_data(as_text=True)
    select = page.split('id="to-hnte_reserve"')[1].split("</select>")[0]
    assert 'value="screened"' in select and 'value="certified"' not in select
    assert 'value="admitted"' not in select  # not allowed from 提名
    resp = client.post(f"/enterprises/{USCC_A}/pools/hnte_reserve/move", data={
        "to_stage": "screened", "reason": "材料齐全", "csrf_token": csrf_of(client)})
    assert resp.headers["Location"].endswith("#moved-hnte_reserve")
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    pool = html.split('id="pool-hnte_reserve"')[1]
    assert pool.index('id="moved-hnte_reserve"') < pool.index("</article>")
    assert "已流转至「遴选」" in pool


def test_times_read_in_beijing_time_with_the_beijing_date(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    _enterprise_upstreams(upstreams)
    # 03:13 UTC is 11:13 in Beijing; 23:30 UTC on 1 March is 07:30 on 2 March in Beijing
    canned(upstreams, "registry", f"/api/v1/pools/hnte_reserve/members/{USCC_A}/moves", list_page([
        {"id": 1, "from_stage": None, "to_stage": "nominated", "actor": "user:curator",
         "reason": "年度遴选", "moved_at": "2025-03-01T03:13:00+00:00"},
        {"id": 2, "from_stage": "nominated", "to_stage": "screened", "actor": "user:curator",
         "reason": "材料齐全", "moved_at": "2025-03-01T23:30:00Z"}]))
    canned(upstreams, "registry", f"/api/v1/enterprises/{USCC_A}/audit", {"items": [
        {"id": 1, "entity": "enterprise", "action": "created", "actor": "import:job-1",
         "at": "2025-02-01T20:05:00", "changes": {}, "reason": "批量导入"}]})
    html = sign_in(app, "curator").get(f"/enterprises/{USCC_A}").get_data(as_text=True)
    assert ">2025-03-01 11:13</time>" in html and ">2025-03-02 07:30</time>" in html
    assert ">2025-02-02 04:05</time>" in html  # the audit trail (naive times are UTC)
    assert "03:13</time>" not in html and "时间（北京时间）" in html and "流转记录" in html
    assert "（北京时间）" in html.split("流转记录")[1][:80]


def test_english_pages_read_english_only(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    _enterprise_upstreams(upstreams)
    mixed = {**criterion("fail"), "id": "innovative_sme.s5_field",
             "title": {"zh": "直通条件1：主导产品所属领域", "en": "直通条件1"},
             "actual": ["six_foundations", "strategic_emerging"], "unit": "count",
             "actual_text": None,
             "requirement_text": {"zh": "战略性新兴产业 10；其他 5",
                                  "en": "战略性新兴产业 10; 其他 5"}}
    canned(upstreams, "scoring", f"/api/v1/enterprises/{USCC_A}/evaluations", {
        "uscc": USCC_A, "evaluations": [{"tier": "innovative_sme", "verdict": "near",
                                         "result": {**HNTE_RESULT, "tier": "innovative_sme",
                                                    "criteria": [mixed]}}]})
    english = sign_in(app, USCC_A).get("/my?lang=en").get_data(as_text=True)
    body = english.split('<main id="content"')[1].split("</main>")[0]
    # proper names stay as they are: the firm's name and the official document cited
    body = re.sub(r'class="cite">.*?</td>', "", body.replace("聊城甲轴承有限公司", ""))
    assert "Direct route 1" in body and "Near miss" in body
    chinese = re.findall(r".{0,20}[\u4e00-\u9fff、].{0,20}", body)
    assert not chinese, chinese


def test_dashboard_rows_open_their_own_pool_and_the_funnel_says_certified_is_cumulative(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    canned(upstreams, "registry", "/api/v1/pools", list_page([
        {"key": "hnte_reserve", "tier": "hnte", "members_by_stage": {"nominated": 3}},
        {"key": "agri_leader_district", "tier": None, "members_by_stage": {"certified": 4}},
        {"key": "agri_leader_provincial", "tier": "agri_leader_provincial",
         "members_by_stage": {}},
        {"key": "listing_reserve", "tier": None, "members_by_stage": {"admitted": 2}}]))
    canned(upstreams, "registry", "/api/v1/enterprises", {"items": [], "total": 29999,
                                                          "next_cursor": None})
    client = sign_in(app, "viewer")
    html = client.get("/dashboard").get_data(as_text=True)
    assert 'href="/rankings?pool=hnte_reserve&amp;tier=hnte"' in html
    assert 'href="/enterprises?pool=agri_leader_district"' in html
    assert 'href="/rankings?pool=agri_leader_provincial&amp;tier=agri_leader_provincial"' in html
    assert 'href="/enterprises?pool=listing_reserve"' in html
    assert "认定（累计）" in html and "不是本年新增" in html
    listing = client.get("/enterprises?pool=listing_reserve").get_data(as_text=True)
    assert "共 29,999 家企业" in listing and "上市后备库" in listing
    call = [c for c in upstreams["registry"].calls if c.path == "/api/v1/enterprises"][-1]
    assert "pool=listing_reserve" in call.query


def test_enterprise_header_notices_links_unread_and_mark_all(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    _enterprise_upstreams(upstreams)
    notices = f"/api/v1/enterprises/{USCC_A}/notices"
    canned(upstreams, "notify", notices, {"items": [
        {"id": "n1", "subject": "科技型中小企业评价提醒", "tier": "tech_sme", "read": False,
         "body": "……请登录育苗平台查看详情并按期申报", "created_at": "2025-04-01T00:30:00Z"},
        {"id": "n2", "subject": "政策", "tier": None, "read": False, "body": "…",
         "created_at": "2025-04-02T00:00:00Z"}], "total": 2, "next_cursor": None})
    for notice_id in ("n1", "n2"):
        canned(upstreams, "notify", f"{notices}/{notice_id}", {"read": True}, method="PATCH")
    client = sign_in(app, USCC_A)
    html = client.get("/my/notices").get_data(as_text=True)
    assert "当前用户：<strong>聊城甲轴承有限公司</strong>" in html  # the firm, not its code
    assert 'id="unread-count"' in html and "2 条未读" in html
    assert 'href="/my#tier-tech_sme"' in html and "查看「科技型中小企业」的条件与差距" in html
    assert "全部标为已读" in html
    done = client.post("/my/notices/read-all", data={"csrf_token": csrf_of(client)})
    assert done.status_code == 303
    patched = [c.path for c in upstreams["notify"].calls if c.method == "PATCH"]
    assert sorted(patched) == [f"{notices}/n1", f"{notices}/n2"]
    assert "已将 2 条通知标为已读" in client.get(done.headers["Location"]).get_data(as_text=True)


def test_unknown_pages_answer_a_browser_with_a_page_and_the_api_with_json(app: Flask) -> None:
    client = app.test_client()
    page = client.get("/no-such-page", headers={"Accept": "text/html,application/xhtml+xml"})
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert "页面不存在" in page.get_data(as_text=True) and "/check" in page.get_data(as_text=True)
    api = client.get("/api/v1/no-such-thing", headers={"Accept": "text/html"})
    assert api.status_code == 404 and api.get_json()["error"]["status"] == 404
    assert client.get("/no-such-page").get_json()["error"]["status"] == 404


def test_login_page_offers_forgotten_password_and_help(app: Flask) -> None:
    html = app.test_client().get("/login").get_data(as_text=True)
    assert "忘记密码？" in html and "科技局" in html and "使用帮助" in html


def test_my_eligibility_folds_agricultural_tiers_for_a_manufacturer(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    _enterprise_upstreams(upstreams)
    agri = {**HNTE_RESULT, "tier": "agri_leader_national", "verdict": "ineligible"}
    canned(upstreams, "scoring", f"/api/v1/enterprises/{USCC_A}/evaluations", {
        "uscc": USCC_A, "evaluations": [
            {"tier": "hnte", "verdict": "near", "result": HNTE_RESULT},
            {"tier": "agri_leader_national", "verdict": "ineligible", "result": agri}]})
    html = sign_in(app, USCC_A).get("/my").get_data(as_text=True)
    folded = html.split('id="other-tiers"')[1]
    assert 'id="tier-agri_leader_national"' in folded
    assert 'id="tier-hnte"' in html.split('id="other-tiers"')[0]


def test_preferences_errors_speak_the_page_language_and_keep_what_was_ticked(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    path = f"/api/v1/enterprises/{USCC_A}/preferences"
    canned(upstreams, "notify", path, {"language": "zh-CN", "channels": ["inapp"], "version": 2})
    upstreams["notify"].routes[("PUT", path)] = json_response({"error": {
        "code": "validation_error", "status": 422, "message": "输入有误 / Invalid input",
        "fields": {"webhook_secret": ["Length must be between 16 and 200."]}}}, 422)
    client = sign_in(app, USCC_A)
    form = client.get("/my/preferences").get_data(as_text=True)
    advanced = form.split('<details class="advanced"')[1].split("</details>")[0]
    assert 'name="webhook_url"' in advanced and 'value="webhook"' in advanced
    assert "Webhook" not in form.split('<details class="advanced"')[0]
    resp = client.post("/my/preferences", data={
        "language": "zh-CN", "channels": ["inapp", "email"], "email": "cw@example.com",
        "webhook_secret": "short", "version": "2", "csrf_token": csrf_of(client)})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "签名密钥" in html and "长度须为 16–200 个字符" in html
    assert "webhook_secret:" not in html and "Length must be" not in html
    assert 'value="email" checked' in html and 'value="cw@example.com"' in html
    english = client.post("/my/preferences?lang=en", data={
        "language": "zh-CN", "channels": ["email"], "webhook_secret": "short",
        "csrf_token": csrf_of(client)}).get_data(as_text=True)
    assert "Signing key" in english and "Must be 16–200 characters long" in english


def test_exports_page_filters_and_offers_a_roster_per_pool(app: Flask) -> None:
    client = sign_in(app, "viewer")
    html = client.get("/exports").get_data(as_text=True)
    form = html.split('id="export-enterprises"')[1].split("</form>")[0]
    for name in ('name="town"', 'name="pool"', 'name="stage"', 'name="tier"', 'name="year"'):
        assert name in form, name
    last_year = beijing_today().year - 1
    assert f'<option value="{last_year}">{last_year} 年度</option>' in form
    # "any" is left out, not sent empty (the registry refuses pool=""); a year is passed on
    resp = client.get(f"/exports/enterprises?town=&pool=&stage=&tier=high_tech&year={last_year}")
    assert resp.status_code == 303
    assert resp.headers["Location"] == ("/api/v1/exports/enterprises.xlsx?tier=high_tech"
                                        f"&year={last_year}")
    everything = client.get("/exports/enterprises?town=&pool=&stage=&tier=&year=")
    assert everything.headers["Location"] == "/api/v1/exports/enterprises.xlsx"
    assert 'href="/api/v1/exports/enterprises.xlsx?pool=listing_reserve"' in html
    assert "上市后备库" in html.split('id="rosters"')[1]
    resp = client.get("/exports/ranking?tier=tech_sme&verdict=near&town=371502001")
    assert resp.status_code == 303
    assert resp.headers["Location"] == ("/api/v1/rankings/tech_sme.xlsx?verdict=near"
                                        "&town=371502001")


def test_an_upload_is_checked_first_and_committed_in_one_click(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    check_id, write_id = f"chk-{uuid.uuid4().hex[:8]}", f"imp-{uuid.uuid4().hex[:8]}"
    calls = iter([{"id": check_id, "status": "queued", "dry_run": True},
                  {"id": write_id, "status": "queued", "dry_run": False}])
    upstreams["registry"].routes[("POST", "/api/v1/imports")] = lambda _r: Response(
        json.dumps(next(calls)), status=202, mimetype="application/json")
    canned(upstreams, "registry", f"/api/v1/imports/{check_id}", {
        "id": check_id, "status": "validated", "dry_run": True, "file_name": "企业.xlsx",
        "total_rows": 3, "processed_rows": 3, "enterprises": 1, "financial_rows": 3,
        "created": 1, "updated": 0, "error_count": 0, "errors": []})
    client = sign_in(app, "curator")
    page = client.get("/imports").get_data(as_text=True)
    assert 'name="dry_run"' not in page and "上传并校验" in page  # no box to forget to tick
    resp = client.post("/imports", data={"csrf_token": csrf_of(client),
                                         "file": (io.BytesIO(b"PK-the-file"), "企业.xlsx")},
                       content_type="multipart/form-data")
    assert resp.headers["Location"].endswith(f"/imports/{check_id}")
    job = client.get(f"/imports/{check_id}").get_data(as_text=True)
    assert "校验通过（尚未写入）" in job and "将新建 1 家，更新 0 家" in job
    assert "文件含 1 家企业、3 条年度数据" in job
    assert "新建企业" not in job and "确认导入此文件" in job
    commit = client.post(f"/imports/{check_id}/commit", data={"csrf_token": csrf_of(client)})
    assert commit.status_code == 303 and commit.headers["Location"].endswith(f"/{write_id}")
    uploads = [c for c in upstreams["registry"].calls if c.method == "POST"]
    assert [c.query for c in uploads] == ["dry_run=true", "dry_run=false"]
    assert b"PK-the-file" in uploads[1].body  # the same bytes, not uploaded again
    again = client.post(f"/imports/{check_id}/commit", data={"csrf_token": csrf_of(client)})
    assert again.status_code == 409 and "已导入或已过期" in again.get_data(as_text=True)


def test_the_imports_page_shows_the_history_in_words_and_beijing_time(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    canned(upstreams, "registry", "/api/v1/imports", {"items": [
        {"id": "imp-2", "file_name": "二月企业.xlsx", "file_kind": "xlsx", "dry_run": False,
         "actor": "user:curator", "status": "failed", "total_rows": 9, "created": 0,
         "updated": 0, "error_count": 2, "created_at": "2026-02-28T23:30:00+00:00",
         "finished_at": None},
        {"id": "imp-1", "file_name": "一月企业.csv", "file_kind": "csv", "dry_run": True,
         "actor": "user:admin", "status": "validated", "total_rows": 3, "created": 1,
         "updated": 2, "error_count": 0, "created_at": "2026-01-05T02:00:00+00:00",
         "finished_at": None}], "next_cursor": "NEXT", "total": 3})
    html = sign_in(app, "curator").get("/imports").get_data(as_text=True)
    history = html.split('id="import-history"')[1]
    assert history.index("二月企业.xlsx") < history.index("一月企业.csv")  # newest first
    assert "2026-03-01 07:30" in history and "2026-01-05 10:00" in history  # Beijing time
    assert "未导入" in history and "校验通过（尚未写入）" in history  # words, not codes
    assert "failed" not in history.replace("st-failed", "")
    assert 'data-label="出错行">2<' in history  # a phone shows each job as a labelled card
    assert 'href="/imports/imp-2"' in history and "cursor=NEXT" in html
    (listed,) = [c for c in upstreams["registry"].calls if c.method == "GET"]
    assert listed.path == "/api/v1/imports"


def test_the_imports_page_still_takes_uploads_when_the_history_is_unavailable(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    canned(upstreams, "registry", "/api/v1/imports", {"error": {
        "code": "unavailable", "status": 503, "message": "维护中 / Maintenance"}}, status=503)
    resp = sign_in(app, "curator").get("/imports")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "上传并校验" in html and "暂时无法获取" in html


def test_a_bilingual_audit_reason_reads_in_the_page_language(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    """Item 10: the demo seed and other system writers record "中文 / English" reasons; an
    English page shows the English half, a Chinese page the Chinese half."""
    _enterprise_upstreams(upstreams)
    canned(upstreams, "registry", f"/api/v1/enterprises/{USCC_A}/audit", {"items": [
        {"id": 1, "entity": "enterprise", "action": "created", "actor": "demo-seed",
         "at": "2025-02-01T20:05:00Z", "changes": {}, "reason": "演示数据（合成） / Demo data"}]})
    client = sign_in(app, "curator")
    english = client.get(f"/enterprises/{USCC_A}?lang=en").get_data(as_text=True)
    audit = english.split('id="audit"')[1].split("</section>")[0]
    assert "Demo data" in audit and "演示数据" not in audit
    chinese = client.get(f"/enterprises/{USCC_A}?lang=zh-CN").get_data(as_text=True)
    audit = chinese.split('id="audit"')[1].split("</section>")[0]
    assert "演示数据（合成）" in audit and "Demo data" not in audit


def test_a_ranking_past_the_export_cap_says_to_narrow_it_instead_of_offering_the_download(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    # issue 16: scoring refuses an export of more firms than one file holds (422); the page
    # says so, with the count and the cap, rather than link to a download that fails
    from gateway.web.catalogue import RANKING_EXPORT_CAP
    from scoring.api.rankings.routes import EXPORT_CAP

    assert RANKING_EXPORT_CAP == EXPORT_CAP
    canned(upstreams, "scoring", "/api/v1/rankings/tech_sme",
           {**RANKING, "total": EXPORT_CAP + 1})
    client = sign_in(app, "viewer")
    html = client.get("/rankings?tier=tech_sme").get_data(as_text=True)
    assert "共 50,001 家，超过单次导出上限 50,000 家" in html
    assert "/api/v1/rankings/tech_sme.xlsx" not in html
    canned(upstreams, "scoring", "/api/v1/rankings/tech_sme", RANKING)
    html = client.get("/rankings?tier=tech_sme&town=371502001").get_data(as_text=True)
    assert 'href="/api/v1/rankings/tech_sme.xlsx?town=371502001"' in html
    assert "rank-export-cap" not in html


def test_the_exports_page_past_the_ranking_cap_says_to_narrow_it_in_its_own_words(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    # scoring refuses a ranking export past its cap with a 422 in JSON; the exports page's
    # form counts first (as the rankings page does) and comes back in words, choices kept
    from gateway.web.catalogue import RANKING_EXPORT_CAP

    canned(upstreams, "scoring", "/api/v1/rankings/tech_sme",
           {**RANKING, "total": RANKING_EXPORT_CAP + 1})
    client = sign_in(app, "viewer")
    url = "/exports/ranking?tier=tech_sme&verdict=near&town=371502001&industry=C34"
    resp = client.get(url)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and resp.mimetype == "text/html"
    refused = html.split('id="rank-export-refused"')[1].split("</div>")[0]
    assert "共 50,001 家，超过单次导出上限 50,000 家：请按镇街、行业或结论筛选后导出" in refused
    assert "export_too_large" not in html and "Location" not in resp.headers
    form = html.split('id="export-ranking"')[1].split("</form>")[0]
    assert '<option value="tech_sme" selected>' in form
    assert 'value="near" checked' in form and 'value="371502001" selected' in form
    assert 'name="industry" value="C34"' in form
    (count,) = [c for c in upstreams["scoring"].calls if c.path == "/api/v1/rankings/tech_sme"]
    assert sorted(count.query.split("&")) == ["industry=C34", "limit=1", "town=371502001",
                                              "verdict=near"]
    english = client.get(url + "&lang=en")
    assert english.status_code == 422
    assert ("50,001 firms, more than one export holds (50,000): narrow it by town, industry "
            "or verdict to export") in english.get_data(as_text=True)

    canned(upstreams, "scoring", "/api/v1/rankings/tech_sme", RANKING)  # 128 firms
    resp = client.get(url + "&lang=zh-CN")
    assert resp.status_code == 303
    assert resp.headers["Location"] == ("/api/v1/rankings/tech_sme.xlsx?verdict=near"
                                        "&town=371502001&industry=C34")
    canned(upstreams, "scoring", "/api/v1/rankings/tech_sme", {"error": {
        "code": "unavailable", "status": 503, "message": "维护中 / Maintenance"}}, status=503)
    resp = client.get("/exports/ranking?tier=tech_sme")
    assert resp.status_code == 503 and "暂时无法获取" in resp.get_data(as_text=True)
    assert "Location" not in resp.headers
