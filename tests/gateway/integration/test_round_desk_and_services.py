"""Issue 12 item 7: the bureau runs a reserve round and records services in the browser,
against the real registry (its own SQLite file, served over HTTP behind the gateway).

What a curator notices: a round opened from a form lists the ready firms by name with their
readiness in words; a ticked batch moves nominate → screen → admit with one reason; the quota
reads "admitted / quota"; a refused batch says nothing changed and keeps the ticks; the
published round links to the printable roster. A service record with a follow-up due
yesterday shows on the enterprise page and as overdue on the curator's /worklist. Viewers
read without forms; enterprises never reach these pages (the matrix is test_isolation_matrix).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

import pytest
from flask import Flask
from flask.testing import FlaskClient
from gateway_testkit import USCC_A
from gateway_testkit import RecordingUpstream
from gateway_testkit import gateway_before
from gateway_testkit import real_service
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from yumiao_common.clock import beijing_today

sys.path.insert(0, str(Path(__file__).parent))
from test_web_kit import csrf_of  # noqa: E402
from test_web_kit import sign_in  # noqa: E402

from yumiao_common.contracts.scoring import EligibilityChanged  # noqa: E402
from yumiao_common.contracts.scoring import EligibilityChangedPayload  # noqa: E402
from yumiao_common.contracts.scoring import Score  # noqa: E402
from yumiao_common.identifiers import generate_uscc  # noqa: E402

pytestmark = pytest.mark.integration
READY = generate_uscc("91", "371502", "MA3RND01")
NEAR = generate_uscc("91", "371502", "MA3RND02")
FIRMS = {USCC_A: "甲公司 / Victim Co", READY: "聊城遴选甲轴承有限公司",
         NEAR: "聊城遴选乙机械有限公司"}


@pytest.fixture(scope="module")
def gateway(make_sqlite_url: Callable[[str], str], migrated_url: str, app: Flask,
            upstreams: dict[str, RecordingUpstream]) -> Iterator[Flask]:
    """The gateway before the real registry, with two firms scoring has judged ready."""
    from registry.handlers.readiness import apply_eligibility

    url = make_sqlite_url("gw-round-desk-registry")
    service = real_service("registry", url)
    with gateway_before({"registry": service}, migrated_url, upstreams, FIRMS) as gw:
        events = [EligibilityChanged(
            id=uuid4(), occurred_at=datetime.now(UTC), payload=EligibilityChangedPayload(
                uscc=uscc, enterprise_name=FIRMS[uscc], tier="hnte", before=None,
                after=verdict, score=Score(min=Decimal(score), max=Decimal(score)),
                rulebook_version="hnte/2016-01-01", as_of=beijing_today()))
            for uscc, verdict, score in ((READY, "eligible", "88.5"), (NEAR, "near", "65"))]
        engine = create_engine(url)
        with sessionmaker(engine).begin() as session:
            apply_eligibility(session, events)  # what the registry's consumer does
        engine.dispose()
        yield gw


def _post(client: FlaskClient, url: str, data: dict[str, object]) -> tuple[int, str]:
    resp = client.post(url, data={**data, "csrf_token": csrf_of(client)},
                       follow_redirects=True)
    return resp.status_code, resp.get_data(as_text=True)


def test_a_round_runs_from_candidates_to_the_published_roster(gateway: Flask) -> None:
    curator = sign_in(gateway, "curator")
    status, html = _post(curator, "/rounds", {"pool": "hnte_reserve", "year": "2031",
                                              "quota": "", "opens_on": "2031-03-01",
                                              "closes_on": "not-a-date"})
    assert status == 422 and 'id="e-closes_on"' in html
    assert 'value="2031"' in html and 'value="2031-03-01"' in html  # what was typed stays
    status, html = _post(curator, "/rounds", {"pool": "hnte_reserve", "year": "2031",
                                              "opens_on": "2031-03-01",
                                              "closes_on": "2031-04-30"})
    assert status == 200 and "高企后备库 · 2031" in html
    assert "已入库 0 / 名额 20" in html
    round_id = re.search(r'action="/rounds/(\d+)/batches"', html).group(1)  # type: ignore[union-attr]
    assert "聊城遴选甲轴承有限公司" in html and "聊城遴选乙机械有限公司" in html
    assert "符合条件" in html and "差距较小" in html
    eligible_only = curator.get(f"/rounds/{round_id}?verdict=eligible").get_data(as_text=True)
    assert "聊城遴选甲轴承有限公司" in eligible_only
    assert "聊城遴选乙机械有限公司" not in eligible_only

    again = _post(curator, "/rounds", {"pool": "hnte_reserve", "year": "2031",
                                       "opens_on": "2031-03-01", "closes_on": "2031-04-30"})
    assert again[0] == 409 and "未执行" in again[1]

    base = f"/rounds/{round_id}/batches"
    status, html = _post(curator, base, {"action": "nominate", "uscc": [READY, NEAR]})
    assert status == 422 and "未执行" not in html and f'value="{READY}" checked' in html
    status, html = _post(curator, base, {"action": "nominate", "uscc": [READY, NEAR],
                                         "reason": "2031 年集中遴选"})
    assert status == 200 and "提名 2 家" in html
    refused = _post(curator, base, {"action": "admit", "uscc": [READY], "reason": "跳步"})
    assert refused[0] == 409 and "未执行" in refused[1]
    assert _post(curator, base, {"action": "screen", "uscc": [READY],
                                 "reason": "材料齐全"})[0] == 200
    status, html = _post(curator, base, {"action": "admit", "uscc": [READY],
                                         "reason": "评审通过"})
    assert status == 200 and "已入库 1 / 名额 20" in html

    viewer = sign_in(gateway, "viewer").get(f"/rounds/{round_id}").get_data(as_text=True)
    assert "聊城遴选甲轴承有限公司" in viewer and 'id="publish-round"' not in viewer
    version = re.search(r'name="version" value="(\d+)"', html).group(1)  # type: ignore[union-attr]
    status, html = _post(curator, f"/rounds/{round_id}/publication",
                         {"version": version, "reason": "公示期满"})
    assert status == 200 and f'href="/rounds/{round_id}/roster"' in html
    stale = _post(curator, f"/rounds/{round_id}/publication",
                  {"version": version, "reason": "再次"})
    assert stale[0] == 409 and "未执行" in stale[1]
    roster = curator.get(f"/rounds/{round_id}/roster").get_data(as_text=True)
    assert "聊城遴选甲轴承有限公司" in roster and "聊城遴选乙机械有限公司" not in roster
    assert "高企后备库 · 2031" in roster and "<td>入库</td>" in roster  # words, not codes
    assert "hnte_reserve" not in roster and "admitted" not in roster
    listed = curator.get("/rounds").get_data(as_text=True)
    assert "高企后备库 · 2031" in listed and "已公布" in listed
    english = curator.get("/rounds?lang=en").get_data(as_text=True)
    assert "High-tech reserve · 2031" in english and "Published" in english
    curator.get("/rounds?lang=zh")


def test_a_service_with_a_follow_up_due_yesterday_is_overdue_on_the_worklist(
    gateway: Flask,
) -> None:
    curator = sign_in(gateway, "curator")
    page = f"/enterprises/{NEAR}"
    assert _post(curator, f"{page}/curator", {})[0] == 200
    served = (beijing_today() - timedelta(days=7)).isoformat()
    due = (beijing_today() - timedelta(days=1)).isoformat()
    status, html = _post(curator, f"{page}/services", {
        "kind": "visit", "served_on": served, "summary": "上门走访，了解研发投入",
        "follow_up": "补充研发台账", "follow_up_due": "tomorrow-ish"})
    assert status == 422 and 'id="e-s-follow_up_due"' in html
    assert "上门走访，了解研发投入" in html  # what was typed stays
    status, html = _post(curator, f"{page}/services", {
        "kind": "visit", "served_on": served, "summary": "上门走访，了解研发投入",
        "follow_up": "补充研发台账", "follow_up_due": due})
    assert status == 200 and "服务记录已保存" in html
    assert "走访" in html and "仅局内可见" in html and due in html
    assert "服务记录 · 新建" in html and "负责人 · 新建" in html  # the audit trail in words
    work = curator.get("/worklist").get_data(as_text=True)
    assert "补充研发台账" in work and "聊城遴选乙机械有限公司" in work
    viewer = sign_in(gateway, "viewer").get(page).get_data(as_text=True)
    assert "补充研发台账" in viewer and 'id="service-form"' not in viewer


def test_an_enterprise_reaches_neither_the_round_desk_nor_the_service_form(
    gateway: Flask,
) -> None:
    firm = sign_in(gateway, USCC_A)
    assert firm.get("/rounds").status_code == 403
    resp = firm.post(f"/enterprises/{USCC_A}/services", data={
        "kind": "visit", "summary": "x", "csrf_token": csrf_of(firm)})
    assert resp.status_code == 403
