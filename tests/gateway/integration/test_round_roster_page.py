"""The printable 入库名单 (/rounds/<id>/roster): the registry's round and roster drawn as one
table with the XLSX beside it; bureau roles only (an enterprise account is refused)."""

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

ROUND = {"id": 3, "pool": "hnte_reserve", "year": 2026, "quota": 20, "opens_on": "2026-03-01",
         "closes_on": "2026-04-30", "valid_months": 24, "status": "published",
         "created_by": "user:curator", "created_at": "2026-02-01T00:00:00Z",
         "published_by": "user:admin", "published_at": "2026-05-06T02:00:00Z", "version": 2,
         "admitted": 2, "quota_left": 18, "members_by_stage": {"admitted": 2}}


def _member(uscc: str, name: str) -> dict[str, object]:
    return {"id": 1, "pool": "hnte_reserve", "uscc": uscc, "enterprise_name": name,
            "stage": "admitted", "cohort_year": 2026, "nominated_by": "user:curator",
            "nominated_at": "2026-03-02T00:00:00Z", "stage_changed_at": "2026-04-30T00:00:00Z",
            "version": 3, "allowed_moves": ["cultivating", "withdrawn"], "round_id": 3,
            "valid_until": "2028-04-29", "exit_reason": None}


def test_the_roster_page_lists_the_admitted_firms_with_the_xlsx(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    canned(upstreams, "registry", "/api/v1/rounds/3", ROUND)
    canned(upstreams, "registry", "/api/v1/rounds/3/roster", {
        "items": [_member("91371500MA00000001", "聊城甲轴承有限公司"),
                  _member("91371500MA00000002", "<b>乙</b>")],
        "next_cursor": None, "total": None})
    resp = sign_in(app, "viewer").get("/rounds/3/roster")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "聊城甲轴承有限公司" in html and "&lt;b&gt;乙&lt;/b&gt;" in html
    assert "2028-04-29" in html and "已公布" in html
    assert 'href="/api/v1/rounds/3/roster.xlsx"' in html


def test_an_enterprise_cannot_open_the_roster_page(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    client = sign_in(app, USCC_A)
    assert client.get("/rounds/3/roster").status_code == 403
    assert client.get("/api/v1/rounds/3/roster.xlsx").status_code == 403
    assert upstreams["registry"].calls == []
