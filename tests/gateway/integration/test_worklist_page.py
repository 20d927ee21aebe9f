"""The curator's worklist page (/worklist): the registry's worklist for the signed-in account,
each section with its count; bureau roles only."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from flask import Flask
from gateway_testkit import USCC_A
from gateway_testkit import RecordingUpstream

sys.path.insert(0, str(Path(__file__).parent))
from test_web_kit import canned  # noqa: E402
from test_web_kit import sign_in  # noqa: E402

pytestmark = pytest.mark.integration

FIRM = {"uscc": USCC_A, "name": "聊城甲轴承有限公司"}
WORK = {
    "curator": "user:curator", "as_of": "2026-12-06",
    "firms": {"items": [{**FIRM, "last_service_on": "2026-11-20", "last_visit_on": "2026-11-20",
                         "open_problems": 1}], "total": 1},
    "overdue_follow_ups": {"items": [{**FIRM, "service_id": 7, "kind": "visit",
                                      "served_on": "2026-11-20", "follow_up": "补充研发台账",
                                      "follow_up_due": "2026-12-01", "days_overdue": 5}],
                           "total": 1},
    "readiness_changes": {"items": [{**FIRM, "tier": "hnte", "verdict": "eligible",
                                     "score": "75.00", "changed_at": "2026-12-02T00:00:00Z",
                                     "last_visit_on": "2026-11-20"}], "total": 1},
    "expiring_certificates": {"items": [], "total": 0},
    "open_problems": {"items": [{**FIRM, "problem_id": 3, "title": "融资难", "status": "open",
                                 "raised_on": "2026-12-01", "days_open": 5}], "total": 1},
}


def test_the_worklist_page_shows_each_section(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    canned(upstreams, "registry", "/api/v1/worklist", WORK)
    resp = sign_in(app, "curator").get("/worklist")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "补充研发台账" in html and "融资难" in html and "75.00" in html
    assert f'href="/enterprises/{USCC_A}"' in html
    # words, not codes: the title and verdict, the problem's state, the curator by name
    assert "高新技术企业 · 符合条件" in html and "待办" in html and "用户 curator" in html
    assert "hnte" not in html and "user:curator" not in html
    (call,) = upstreams["registry"].calls
    assert call.path == "/api/v1/worklist" and call.headers["X-Actor"] == "user:curator"


def test_an_enterprise_cannot_open_the_worklist(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    assert sign_in(app, USCC_A).get("/worklist").status_code == 403
    assert upstreams["registry"].calls == []
