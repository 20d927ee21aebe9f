"""The dashboard in front of the real registry (its own SQLite file, served over HTTP): the
gateway keeps the last progress report and asks the registry whether it changed, so what a
bureau user notices is only that a change made just before the dashboard is opened is on it —
a curator's new high-tech certificate raises the year's figure and its town's, and a firm
moved to another town moves its count with it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from gateway_testkit import INTERNAL_TOKEN
from gateway_testkit import PASSWORD
from gateway_testkit import RecordingUpstream
from gateway_testkit import bearer
from gateway_testkit import gateway_before
from gateway_testkit import real_service

from yumiao_common.clock import beijing_today

sys.path.insert(0, str(Path(__file__).parent))
from test_web_kit import sign_in  # noqa: E402

from yumiao_common.identifiers import generate_uscc  # noqa: E402

pytestmark = pytest.mark.integration
FIRM = generate_uscc("91", "371502", "MA3DKB01")
TODAY = beijing_today()
TOWN, OTHER_TOWN = "371502101", "371502102"  # 沙镇镇, 堂邑镇


@pytest.fixture(scope="module")
def gateway(make_sqlite_url: Callable[[str], str], migrated_url: str, app: Flask,
            upstreams: dict[str, RecordingUpstream]) -> Iterator[Flask]:
    """The gateway before the real registry, with a plan in force ending this year (its
    per-town targets are those of the final year)."""
    service = real_service("registry", make_sqlite_url("gw-dashboard-registry"))
    plan = service.test_client().post("/api/v1/plans", headers={
        "X-Internal-Token": INTERNAL_TOKEN, "X-Actor": "user:admin"}, json={
        "title": "看板规划 / Dashboard plan", "start_year": TODAY.year - 1,
        "end_year": TODAY.year, "reason": "测试 / test",
        "indicators": [{"measure": "hnte_held", "final_target": "10",
                        "town_targets": {TOWN: "4", OTHER_TOWN: "3"}}]})
    assert plan.status_code == 201, plan.get_json()
    with gateway_before({"registry": service}, migrated_url, upstreams, {}) as gw:
        yield gw


def _figures(html: str) -> tuple[str, dict[str, str]]:
    """This year's high-tech figure in the year-by-year table, and each town's cell."""
    years = html.split('id="dash-plan-years"')[1].split("</table>")[0]
    row = re.search(r'<th scope="row">高新技术企业[^<]*</th>(.*?)</tr>', years, re.S)
    assert row is not None, years
    this_year = re.findall(r"<td>([^<]*)</td>", row.group(1))[-2]  # the last year, then target
    towns = html.split('id="dash-plan-towns"')[1].split("</table>")[0]
    cells = dict(re.findall(r'<th scope="row">([^<]*)</th>\s*<td>([^<]*)</td>', towns))
    return this_year, cells


def test_a_change_made_just_before_the_dashboard_is_read_is_on_it(gateway: Flask) -> None:
    viewer = sign_in(gateway, "viewer")
    curator = bearer(gateway.test_client(), "curator", PASSWORD)
    api = gateway.test_client()
    made = api.post("/api/v1/enterprises", headers=curator, json={
        "uscc": FIRM, "name": "聊城看板测试有限公司", "town_code": TOWN})
    assert made.status_code == 201, made.get_json()

    page = viewer.get("/dashboard")
    assert page.status_code == 200
    year_before, towns_before = _figures(page.get_data(as_text=True))
    assert year_before == "0" and towns_before == {"沙镇镇": "— / 4", "堂邑镇": "— / 3"}
    assert _figures(viewer.get("/dashboard").get_data(as_text=True)) == ("0", towns_before)

    certified = api.post(f"/api/v1/enterprises/{FIRM}/certifications", headers=curator, json={
        "tier": "hnte", "issued_on": (TODAY - timedelta(days=3)).isoformat(),
        "expires_on": (TODAY + timedelta(days=3 * 365)).isoformat()})
    assert certified.status_code == 201, certified.get_json()
    year_now, towns_now = _figures(viewer.get("/dashboard").get_data(as_text=True))
    assert year_now == "1"
    assert towns_now == {"沙镇镇": "1 / 4", "堂邑镇": "— / 3"}

    firm = api.get(f"/api/v1/enterprises/{FIRM}", headers=curator).get_json()
    moved = api.patch(f"/api/v1/enterprises/{FIRM}", headers=curator,
                      json={"town_code": OTHER_TOWN, "version": firm["version"]})
    assert moved.status_code == 200, moved.get_json()
    year_moved, towns_moved = _figures(viewer.get("/dashboard").get_data(as_text=True))
    assert year_moved == "1" and towns_moved == {"沙镇镇": "— / 4", "堂邑镇": "1 / 3"}
