"""A scored criterion says the points it earned, not "Met" (issue 8 item 11).

Seen on the enterprise's page: "科技人员指标 · 达标 · 2.00 %" for a band that gave 0 of 20
points, and "Last-year debt ratio · Met · 222.22 %". A pass/fail condition still reads
达标 / Met; a scored item that counted reads ``0分（满分20分）`` / ``0 of 20 points``.
Real engine answers of the scoring tests' weakened baseline firm, rendered by the page.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from flask import Flask
from gateway_testkit import RecordingUpstream

sys.path.insert(0, str(Path(__file__).parent))
from test_criteria_pages_read_in_words import WEAK  # noqa: E402
from test_criteria_pages_read_in_words import _answers  # noqa: E402
from test_criteria_pages_read_in_words import _page  # noqa: E402
from test_criteria_pages_read_in_words import _stored  # noqa: E402

pytestmark = pytest.mark.integration

ROW = re.compile(r'<th scope="row">(.*?)</th>\s*<td data-label="[^"]*"><span class="status[^"]*">'
                 r"(.*?)</span>", re.S)


def _statuses(html: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for title, status in ROW.findall(html):
        out.setdefault(re.sub(r"<[^>]+>", "", title).strip(), []).append(status.strip())
    return out


@pytest.mark.parametrize(("lang", "staff", "debt", "gate", "met"), [
    ("zh-CN", "科技人员指标（科技人员占职工总数比例）", "上年度资产负债率",
     "职工总数不超过500人", "达标"),
    ("en", "Science &amp; technology staff ratio", "Last-year debt ratio", "Employees ≤ 500",
     "Met"),
])  # fmt: skip
def test_scored_items_read_their_points(app: Flask, upstreams: dict[str, RecordingUpstream],
                                        lang: str, staff: str, debt: str, gate: str,
                                        met: str) -> None:
    html = _page(app, upstreams, _stored(_answers(WEAK)), lang)
    rows = _statuses(html)
    assert rows[staff] == ["0分（满分20分）" if lang == "zh-CN" else "0 of 20 points"]
    assert rows[debt][0] in ("0分（满分10分）", "0 of 10 points")  # 创新型: 222.22 % debt
    assert rows[gate] == [met]  # a pass/fail condition still reads Met
