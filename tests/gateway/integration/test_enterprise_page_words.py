"""The bureau's enterprise page names who did what in words (issue 8 item 11).

Seen on the page: the audit trail read ``import:job-1 · enterprise · created`` on the Chinese
page, the stage history ``user:curator``, and the English page joined allowed moves with the
Chinese 、; the rankings asked for a town by its 9-digit code. Rendered from canned answers.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from flask import Flask
from gateway_testkit import USCC_A
from gateway_testkit import RecordingUpstream

sys.path.insert(0, str(Path(__file__).parent))
from test_web_kit import canned  # noqa: E402
from test_web_kit import list_page  # noqa: E402
from test_web_kit import sign_in  # noqa: E402
from test_web_pages import _enterprise_upstreams  # noqa: E402

pytestmark = pytest.mark.integration


def _html(app: Flask, lang: str) -> str:
    resp = sign_in(app, "curator").get(f"/enterprises/{USCC_A}?lang={lang}")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_audit_and_history_read_in_words(app: Flask,
                                         upstreams: dict[str, RecordingUpstream]) -> None:
    _enterprise_upstreams(upstreams)
    zh = _html(app, "zh-CN")
    assert "<td>导入任务 job-1</td><td>企业信息 · 新建</td>" in zh
    assert "· 用户 curator" in zh
    assert "enterprise · created" not in zh and "import:job-1" not in zh
    en = _html(app, "en")
    assert "<td>import job job-1</td><td>Enterprise details · created</td>" in en
    assert "· user curator" in en and "user:curator" not in en
    assert "Screened, Rejected, Withdrawn" in en and "、" not in en


def test_rankings_filter_towns_by_name(app: Flask,
                                       upstreams: dict[str, RecordingUpstream]) -> None:
    # The town filter was a text box wanting a 9-digit NBS code.
    canned(upstreams, "scoring", "/api/v1/rankings/tech_sme",
           {"tier": "tech_sme", "items": [], "next_cursor": None})
    canned(upstreams, "registry", "/api/v1/pools", list_page([]))
    client = sign_in(app, "viewer")
    zh = client.get("/rankings?tier=tech_sme&town=371502001&lang=zh-CN").get_data(as_text=True)
    assert '<option value="371502001" selected>古楼街道</option>' in zh
    assert '<option value="371502116">广平镇</option>' in zh
    assert "371502007" not in zh  # 凤凰街道, retired in 2018, is not offered
    en = client.get("/rankings?tier=tech_sme&lang=en").get_data(as_text=True)
    assert '<option value="371502001">Gulou Subdistrict</option>' in en
    call = [c for c in upstreams["scoring"].calls if c.path.startswith("/api/v1/rankings")][0]
    assert "town=371502001" in call.query
