"""The enterprise page reads its parts together (issue 16): everything it shows from the
registry in one read (the firm's overview), the verdicts from scoring and the notices from
notify beside it. Each upstream read still carries the page's request id, the signed-in
curator as X-Actor and the internal token; a scoring or notify part that fails shows its
message while the rest of the page shows; the registry's overview is mandatory, as the
enterprise itself was (an unknown firm is the 404 page); and the reads overlap, so the page
costs its slowest read, not their sum."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from flask import Flask
from gateway_testkit import INTERNAL_TOKEN
from gateway_testkit import USCC_A
from gateway_testkit import RecordingUpstream
from gateway_testkit import json_response

sys.path.insert(0, str(Path(__file__).parent))
from test_web_kit import canned  # noqa: E402
from test_web_kit import list_page  # noqa: E402
from test_web_kit import sign_in  # noqa: E402

pytestmark = pytest.mark.integration
API = f"/api/v1/enterprises/{USCC_A}"
MEMBERSHIP = {"id": 7, "pool": "hnte_reserve", "uscc": USCC_A, "enterprise_name": "甲公司",
              "stage": "nominated", "version": 3, "allowed_moves": ["screened"]}
DOWN = {"error": {"code": "x", "status": 503, "message": "维护中 / maintenance"}}


def _firm(upstreams: dict[str, RecordingUpstream]) -> None:
    canned(upstreams, "registry", API, {"uscc": USCC_A, "name": "聊城甲轴承有限公司"})
    canned(upstreams, "registry", f"{API}/profile", {
        "enterprise": {"uscc": USCC_A, "name": "聊城甲轴承有限公司"},
        "financials": [{"year": 2024, "operating_revenue": 48000000}],
        "ip": [{"kind": "invention_patent", "number": "ZL202110001234.5"}]})
    canned(upstreams, "registry", f"{API}/memberships", list_page([MEMBERSHIP]))
    canned(upstreams, "registry", f"/api/v1/pools/hnte_reserve/members/{USCC_A}/moves",
           list_page([{"id": 1, "from_stage": None, "to_stage": "nominated",
                       "actor": "user:curator", "reason": "年度遴选",
                       "moved_at": "2025-03-01T08:00:00+00:00"}]))
    canned(upstreams, "registry", f"{API}/audit", {"items": [
        {"id": 1, "entity": "enterprise", "action": "created", "actor": "import:job-1",
         "at": "2025-02-01T08:00:00+00:00", "changes": {}, "reason": "批量导入"}]})
    canned(upstreams, "notify", f"{API}/notices", {"items": [
        {"id": "a1b2", "subject": "研发费用后补助申报通知", "body": "…", "read": False,
         "status": "sent", "created_at": "2025-04-01T00:00:00"}], "total": 1})


def _calls(upstreams: dict[str, RecordingUpstream]) -> list[tuple[str, dict[str, str]]]:
    return [(f"{name} {call.path}", call.headers) for name, server in upstreams.items()
            for call in server.calls]


def test_every_read_carries_the_request_id_the_actor_and_the_token(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    _firm(upstreams)
    client = sign_in(app, "curator")
    for server in upstreams.values():
        server.calls.clear()
    rid = "page-read-0123456789abcdef"
    resp = client.get(f"/enterprises/{USCC_A}", headers={"X-Request-ID": rid})
    assert resp.status_code == 200 and resp.headers["X-Request-ID"] == rid
    calls = _calls(upstreams)
    assert sorted(path for path, _ in calls) == [
        f"notify {API}/notices", f"registry {API}/overview", f"scoring {API}/evaluations"]
    for path, headers in calls:
        assert headers.get("X-Request-Id") == rid, path
        assert headers.get("X-Actor") == "user:curator", path
        assert headers.get("X-Internal-Token") == INTERNAL_TOKEN, path


def test_failed_parts_show_their_message_and_the_rest_of_the_page_shows(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    _firm(upstreams)
    canned(upstreams, "notify", f"{API}/notices", DOWN, status=503)
    canned(upstreams, "scoring", f"{API}/evaluations", DOWN, status=503)
    resp = sign_in(app, "curator").get(f"/enterprises/{USCC_A}")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "聊城甲轴承有限公司" in html and "ZL202110001234.5" in html and "年度遴选" in html
    assert "批量导入" in html  # the audit trail, from the overview
    assert "暂时无法获取" in html and "研发费用后补助申报通知" not in html


def test_the_registry_parts_come_in_one_read(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    """However many pools the firm is in: one registry request, its stage histories in it."""
    _firm(upstreams)
    second = {**MEMBERSHIP, "id": 8, "pool": "tech_sme", "stage": "screened"}
    canned(upstreams, "registry", f"{API}/memberships", list_page([MEMBERSHIP, second]))
    canned(upstreams, "registry", f"/api/v1/pools/tech_sme/members/{USCC_A}/moves",
           list_page([{"id": 2, "from_stage": "nominated", "to_stage": "screened",
                       "actor": "user:curator", "reason": "初筛通过",
                       "moved_at": "2025-05-01T08:00:00+00:00"}]))
    client = sign_in(app, "curator")
    upstreams["registry"].calls.clear()
    resp = client.get(f"/enterprises/{USCC_A}")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "年度遴选" in html and "初筛通过" in html
    assert [call.path for call in upstreams["registry"].calls] == [f"{API}/overview"]


def test_an_overview_that_fails_fails_the_page_as_the_enterprise_read_did(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    _firm(upstreams)
    canned(upstreams, "registry", f"{API}/overview", DOWN, status=503)
    resp = sign_in(app, "curator").get(f"/enterprises/{USCC_A}")
    # the gateway's answer to a failed upstream (502), as for the enterprise read before
    assert resp.status_code == 502 and "聊城甲轴承有限公司" not in resp.get_data(as_text=True)


def test_the_enterprise_itself_stays_mandatory(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    _firm(upstreams)
    canned(upstreams, "registry", API,
           {"error": {"code": "not_found", "status": 404, "message": "没有 / not found"}},
           status=404)
    resp = sign_in(app, "curator").get(f"/enterprises/{USCC_A}")
    assert resp.status_code == 404


def test_the_reads_overlap(app: Flask, upstreams: dict[str, RecordingUpstream]) -> None:
    _firm(upstreams)
    slow = 0.4
    for service, path in (("scoring", f"{API}/evaluations"), ("notify", f"{API}/notices")):
        upstreams[service].routes[("GET", path)] = json_response(list_page([]), delay=slow)
    upstreams["registry"].routes[("GET", f"{API}/overview")] = json_response(
        {"enterprise": {"uscc": USCC_A, "name": "聊城甲轴承有限公司"}, "profile": {},
         "memberships": [], "audit": list_page([]), "services": list_page([]),
         "problems": list_page([]), "curator": None, "submissions": list_page([])},
        delay=slow)
    client = sign_in(app, "curator")
    started = time.perf_counter()
    resp = client.get(f"/enterprises/{USCC_A}")
    took = time.perf_counter() - started
    assert resp.status_code == 200
    assert took < 2.5 * slow, f"{took:.2f} s: three slow reads of {slow} s one after another"
