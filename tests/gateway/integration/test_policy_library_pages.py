"""The policy library pages (issue 14 item 5): the bureau's catalogue, calendar and forms, and
an enterprise's "policies for me" — in words and dates, zh-CN first, from notify's answers."""

from __future__ import annotations

import json
import sys
from datetime import date
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from gateway_testkit import USCC_A
from gateway_testkit import USCC_B
from gateway_testkit import RecordingUpstream

from yumiao_common.clock import beijing_today

sys.path.insert(0, str(Path(__file__).parent))
from test_web_kit import canned  # noqa: E402
from test_web_kit import csrf_of  # noqa: E402
from test_web_kit import form_token  # noqa: E402
from test_web_kit import sign_in  # noqa: E402

pytestmark = pytest.mark.integration
TODAY = beijing_today()


def _window(opens: date, closes: date, status: str, batch: str = "第一批") -> dict[str, Any]:
    return {"batch_zh": f"2026年{batch}", "batch_en": "2026 first batch",
            "opens_on": opens.isoformat(), "closes_on": closes.isoformat(), "note": None,
            "status": status, "days_left": (closes - TODAY).days}


OPEN = _window(TODAY - timedelta(days=10), TODAY + timedelta(days=12), "open")
LATER = _window(TODAY + timedelta(days=40), TODAY + timedelta(days=70), "upcoming", "第二批")


def _policy(code: str = "little-giant-key-funds", **extra: Any) -> dict[str, Any]:
    return {"id": "0b7e6a52-52c1-4b43-9a36-3f6f0d0d0c99", "code": code,
            "name_zh": "重点“小巨人”资金支持", "name_en": "Key Little Giant funding",
            "summary_zh": "中央财政分三年支持", "summary_en": "Central funds over three years",
            "trigger": "eligible", "tier": "little_giant", "pool": None,
            "benefit_zh": "最高600万元", "benefit_en": "up to ¥6m", "amount_yuan": 6000000,
            "amount_note": None, "source_document": "财建〔2021〕2号",
            "contact": "市工业和信息化局 / municipal industry and IT bureau",
            "status": "active", "version": 3, "windows": [OPEN, LATER], **extra}


def _page(*items: dict[str, Any]) -> dict[str, Any]:
    return {"items": list(items), "next_cursor": None, "total": len(items)}


def test_the_library_lists_each_policy_with_its_next_batch_in_words(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    retired = _policy("old-award", status="retired", name_zh="旧奖励", windows=[])
    canned(upstreams, "notify", "/api/v1/policies", _page(_policy(), retired))
    html = sign_in(app, "viewer").get("/policies").get_data(as_text=True)
    assert "重点“小巨人”资金支持" in html and "¥6,000,000" in html
    assert "专精特新“小巨人”" in html  # the tier in words, not little_giant
    assert "申报中" in html and "剩 12 天" in html and OPEN["closes_on"] in html
    assert "已废止" in html and "新建政策" not in html  # a viewer reads only


def test_the_calendar_places_each_batch_in_its_months_with_the_ics_link(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    canned(upstreams, "notify", "/api/v1/policies", _page(_policy()))
    html = sign_in(app, "curator").get("/policies/calendar").get_data(as_text=True)
    this_month = f'id="m-{TODAY:%Y-%m}"'
    assert this_month in html and "本月" in html
    later = date.fromisoformat(LATER["opens_on"])
    section = html.split(f'id="m-{later:%Y-%m}"')[1].split("</section>")[0]
    assert "2026年第二批" in section and "未开始" in section
    assert 'href="/api/v1/policies/calendar.ics"' in html


def test_english_pages_read_in_english(app: Flask, upstreams: dict[str, RecordingUpstream]) -> None:
    canned(upstreams, "notify", "/api/v1/policies", _page(_policy()))
    html = sign_in(app, "viewer").get("/policies/calendar?lang=en").get_data(as_text=True)
    assert "Application calendar" in html and "Key Little Giant funding" in html
    assert "12 days left" in html


def test_an_enterprise_sees_its_matching_policies_with_open_and_coming_batches(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    canned(upstreams, "notify", f"/api/v1/enterprises/{USCC_A}/policies", {
        "uscc": USCC_A, "standings": {"little_giant": "near"}, "total": 1,
        "items": [{"policy": _policy(), "verdict": "near", "live_windows": [OPEN, LATER]}]})
    html = sign_in(app, USCC_A).get("/my/policies").get_data(as_text=True)
    assert "接近符合" in html and "重点“小巨人”资金支持" in html
    assert html.index("2026年第一批") < html.index("2026年第二批")
    assert "市工业和信息化局" in html and "municipal industry" not in html
    (call,) = [c for c in upstreams["notify"].calls if c.path.endswith("/policies")]
    assert call.path == f"/api/v1/enterprises/{USCC_A}/policies"


def test_an_enterprise_with_no_match_is_told_why(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    canned(upstreams, "notify", f"/api/v1/enterprises/{USCC_A}/policies",
           {"uscc": USCC_A, "standings": {}, "items": [], "total": 0})
    html = sign_in(app, USCC_A).get("/my/policies").get_data(as_text=True)
    assert 'id="no-policies"' in html and "完成评价后" in html


def test_a_curator_creates_a_policy_with_batches(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    canned(upstreams, "notify", "/api/v1/policies", _policy("new-award"), method="POST",
           status=201)
    client = sign_in(app, "curator")
    token = form_token(client.get("/policies/new").get_data(as_text=True))
    resp = client.post("/policies/new", data={
        "csrf_token": token, "code": "new-award", "name_zh": "新奖励", "name_en": "New award",
        "summary_zh": "摘要", "summary_en": "summary", "trigger": "eligible",
        "tier": "little_giant", "pool": "", "benefit_zh": "奖励", "benefit_en": "award",
        "amount_yuan": "1,000,000", "source_document": "聊政发〔2027〕1号",
        "contact": "市工信局", "reason": "发布申报通知", "window_rows": "3",
        "w0_batch_zh": "第一批", "w0_batch_en": "first", "w0_opens_on": "2027-03-01",
        "w0_closes_on": "2027-03-31", "w2_batch_zh": "第二批", "w2_batch_en": "second",
        "w2_opens_on": "2027-09-01", "w2_closes_on": "2027-09-30"})
    assert resp.status_code == 303 and "/policies?saved=new-award" in resp.headers["Location"]
    post = next(c for c in upstreams["notify"].calls if c.method == "POST")
    sent = json.loads(post.body)
    assert sent["amount_yuan"] == 1_000_000 and sent["tier"] == "little_giant"
    assert [w["opens_on"] for w in sent["windows"]] == ["2027-03-01", "2027-09-01"]
    assert sent["reason"] == "发布申报通知" and post.headers["X-Actor"].startswith("user:")


def test_a_refused_batch_is_shown_beside_its_row_with_what_was_typed(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    refusal = {"error": {"code": "validation_error", "status": 422,
                         "message": "输入有误 / Invalid input", "details": {},
                         "fields": {"windows.0.closes_on": [
                             "截止日期 2027-02-01 早于开始日期 2027-03-01 / closes before it "
                             "opens"]}}}
    canned(upstreams, "notify", "/api/v1/policies", refusal, method="POST", status=422)
    client = sign_in(app, "admin")
    token = form_token(client.get("/policies/new").get_data(as_text=True))
    resp = client.post("/policies/new", data={
        "csrf_token": token, "code": "bad-award", "name_zh": "坏奖励", "trigger": "eligible",
        "reason": "测试", "window_rows": "3", "w1_batch_zh": "第一批", "w1_batch_en": "first",
        "w1_opens_on": "2027-03-01", "w1_closes_on": "2027-02-01"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    row = html.split('id="w1"')[1].split("</tr>")[0]  # the second row on the form: batch 0 sent
    assert "早于开始日期" in row and 'value="2027-02-01"' in row
    assert "第 2 批次" in html and 'value="坏奖励"' in html


def test_editing_shows_the_stored_batches_and_retiring_asks_why(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    canned(upstreams, "notify", "/api/v1/policies/little-giant-key-funds", _policy())
    canned(upstreams, "notify", "/api/v1/policies/little-giant-key-funds/retire",
           _policy(status="retired"), method="POST")
    client = sign_in(app, "curator")
    html = client.get("/policies/little-giant-key-funds/edit").get_data(as_text=True)
    assert f'value="{OPEN["opens_on"]}"' in html and 'value="2026年第二批"' in html
    assert 'id="retire-form"' in html
    resp = client.post("/policies/little-giant-key-funds/retire", data={
        "csrf_token": form_token(html), "version": "3", "reason": "政策到期"})
    assert resp.status_code == 303 and "retired=little-giant-key-funds" in resp.headers["Location"]
    post = next(c for c in upstreams["notify"].calls if c.method == "POST")
    assert json.loads(post.body) == {"version": 3, "reason": "政策到期"}


@pytest.mark.parametrize(("who", "path", "status"), [
    ("viewer", "/policies/new", 403), (USCC_A, "/policies", 403),
    (USCC_A, "/policies/calendar", 403), ("viewer", "/my/policies", 403),
])
def test_each_page_opens_only_for_its_roles(
    app: Flask, upstreams: dict[str, RecordingUpstream], who: str, path: str, status: int
) -> None:
    assert sign_in(app, who).get(path).status_code == status
    assert upstreams["notify"].calls == []


def test_a_window_reminder_in_the_inbox_links_to_the_batches(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    notice = {"id": "0b7e6a52-52c1-4b43-9a36-3f6f0d0d0c77", "kind": "window",
              "policy_code": "little-giant-key-funds", "tier": "little_giant",
              "subject": "【育苗】申报将于2026-12-18截止：重点“小巨人”资金支持（2026年第一批）",
              "body": "距今还有 12 天", "created_at": "2026-12-06T01:00:00+00:00",
              "read": False, "amount_yuan": 6000000, "deadline": "2026-12-18"}
    canned(upstreams, "notify", f"/api/v1/enterprises/{USCC_A}/notices", _page(notice))
    html = sign_in(app, USCC_A).get("/my/notices").get_data(as_text=True)
    assert 'href="/my/policies#p-little-giant-key-funds"' in html
    assert "查看申报批次" in html and "2026-12-18" in html


BUREAU_ROLES = ("viewer", "curator", "admin")
WRITERS = ("curator", "admin")
#: Every policy page × who may open it (the isolation matrix of the server-rendered pages).
PAGES = (
    ("GET", "/policies", BUREAU_ROLES), ("GET", "/policies/calendar", BUREAU_ROLES),
    ("GET", "/policies/new", WRITERS), ("POST", "/policies/new", WRITERS),
    ("GET", "/policies/little-giant-key-funds/edit", WRITERS),
    ("POST", "/policies/little-giant-key-funds/edit", WRITERS),
    ("POST", "/policies/little-giant-key-funds/retire", WRITERS),
    ("GET", "/my/policies", ("enterprise",)),
)


@pytest.mark.parametrize("caller", ["enterprise", "anonymous", *BUREAU_ROLES])
@pytest.mark.parametrize(("method", "path", "allowed"), PAGES, ids=lambda v: str(v))
def test_policy_pages_are_refused_or_served_by_role(
    app: Flask, upstreams: dict[str, RecordingUpstream], method: str, path: str,
    allowed: tuple[str, ...], caller: str,
) -> None:
    """A refusal (sign-in redirect, 403 page) asks no service; a served page asks notify as
    the caller; an enterprise's own page asks for its own code only."""
    canned(upstreams, "notify", "/api/v1/policies", _page(_policy()))
    canned(upstreams, "notify", "/api/v1/policies/little-giant-key-funds", _policy())
    canned(upstreams, "notify", f"/api/v1/enterprises/{USCC_B}/policies",
           {"uscc": USCC_B, "standings": {}, "items": [], "total": 0})
    for post in ("/api/v1/policies", "/api/v1/policies/little-giant-key-funds/retire"):
        canned(upstreams, "notify", post, _policy(), method="POST")
    canned(upstreams, "notify", "/api/v1/policies/little-giant-key-funds", _policy(),
           method="PATCH")
    client = app.test_client() if caller == "anonymous" else sign_in(
        app, USCC_B if caller == "enterprise" else caller)
    data = {"csrf_token": csrf_of(client)} if caller != "anonymous" else {}
    for up in upstreams.values():
        up.calls.clear()
    resp = client.open(path, method=method, data=data if method == "POST" else None)
    calls = upstreams["notify"].calls
    if caller in allowed:
        assert resp.status_code not in (401, 403) and resp.status_code < 500, resp.status_code
        assert calls or path == "/policies/new"
        if caller == "enterprise":
            assert f"/api/v1/enterprises/{USCC_B}/policies" in {c.path for c in calls}
            assert all(c.path.startswith(f"/api/v1/enterprises/{USCC_B}/") for c in calls)
        else:
            assert all(c.headers["X-Actor"] == f"user:{caller}" for c in calls)
        return
    if caller == "anonymous":
        assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    else:
        assert resp.status_code == 403
    assert [c for up in upstreams.values() for c in up.calls] == []
