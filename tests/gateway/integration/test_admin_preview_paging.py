"""The change preview pages its impact (20 firms a page) and keeps the chosen kind while
paging; firms are named from the registry, criteria from the rulebooks (canned upstreams)."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import parse_qs
from urllib.parse import urlparse

import pytest
from flask import Flask
from gateway_testkit import USCC_A
from gateway_testkit import RecordingUpstream

sys.path.insert(0, str(Path(__file__).parent))
from test_web_kit import canned  # noqa: E402
from test_web_kit import sign_in  # noqa: E402

pytestmark = pytest.mark.integration
JOB = "6a4b0f0e-1111-4222-8333-944455556666"
TIER = "agri_leader_municipal"
CRITERION = f"{TIER}.n3_sales"


def _job(cursor: str | None) -> dict[str, object]:
    return {"id": JOB, "status": "previewed", "parameters": {}, "reason": "规则发布",
            "created_by": "user:admin", "created_at": "2026-12-06T02:00:00Z",
            "summary": {"gains": 0, "losses": 45, "changes": 0}, "total": 45, "processed": 45,
            "error": None, "next_cursor": cursor,
            "impact": [{"uscc": USCC_A, "tier": TIER, "kind": "loss", "before": "eligible",
                        "after": "ineligible", "score_before": None, "score_after": None,
                        "criteria_met": [], "criteria_lost": [CRITERION]}]}


def test_the_impact_pages_by_kind_and_names_firms_and_criteria(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    canned(upstreams, "scoring", f"/api/v1/reevaluations/{JOB}", _job("next-page-cursor"))
    canned(upstreams, "scoring", "/api/v1/rulebooks", {"items": [
        {"tier": TIER, "version": "1", "effective_from": "2018-08-08", "title": {},
         "documents": [], "criteria": [{"id": CRITERION,
                                        "title": {"zh": "年销售收入", "en": "Annual sales"}}]}],
        "next_cursor": None, "total": 1})
    canned(upstreams, "registry", f"/api/v1/enterprises/{USCC_A}",
           {"uscc": USCC_A, "name": "聊城甲农业有限公司"})
    html = sign_in(app, "admin").get(f"/admin/reevaluations/{JOB}?kind=loss").get_data(
        as_text=True)
    assert "聊城甲农业有限公司" in html and "不再满足：年销售收入" in html
    assert "不再达标：<strong>45</strong>" in html
    link = html[html.index('id="next-page"'):].split('href="', 1)[1].split('"', 1)[0]
    query = parse_qs(urlparse(link.replace("&amp;", "&")).query)
    assert query == {"kind": ["loss"], "cursor": ["next-page-cursor"]}
    [call] = [c for c in upstreams["scoring"].calls if c.path.endswith(JOB)]
    assert parse_qs(call.query) == {"limit": ["20"], "kind": ["loss"]}
