"""Issue 12 item 5 in the bureau's browser, against the real registry (its own SQLite file,
served over HTTP behind the gateway): the problems a firm raised (问题清单) and the members
nobody is responsible for.

What a curator notices: the enterprise page's table of contents leads to "问题清单"; a problem
recorded with a due date reads 待办 (and 逾期 once the date has passed), moves to 办理中 and
to 已解决 with the note as its resolution, and can be reopened; a refusal (no resolution, a
stale page) is explained beside the problem with the note kept. Viewers read the list without
forms. On /worklist, members admitted by a process (nobody responsible) are listed with a
"由我负责" button; pressing it makes the curator responsible and the firm leaves the list; a
firm admitted by a bureau user has that user as its curator and is never listed.
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
from flask.testing import FlaskClient
from gateway_testkit import INTERNAL_TOKEN
from gateway_testkit import PASSWORD
from gateway_testkit import USCC_A
from gateway_testkit import USCC_B
from gateway_testkit import RecordingUpstream
from gateway_testkit import bearer
from gateway_testkit import gateway_before
from gateway_testkit import real_service

from yumiao_common.clock import beijing_today

sys.path.insert(0, str(Path(__file__).parent))
from test_web_kit import csrf_of  # noqa: E402
from test_web_kit import sign_in  # noqa: E402

from yumiao_common.identifiers import generate_uscc  # noqa: E402

pytestmark = pytest.mark.integration
ALONE = generate_uscc("91", "371502", "MA3UNA01")
TWICE = generate_uscc("91", "371502", "MA3UNA02")
BY_HAND = generate_uscc("91", "371502", "MA3UNA03")
FIRMS = {USCC_A: "甲公司 / Victim Co", ALONE: "聊城无人负责甲轴承有限公司",
         TWICE: "聊城无人负责乙机械有限公司", BY_HAND: "聊城已有负责人丙科技有限公司"}
TODAY = beijing_today()


def _admit(client: FlaskClient, headers: dict[str, str], uscc: str, pool: str) -> None:
    """Nominate → screen → admit ``uscc`` in ``pool`` as the caller of ``headers``."""
    resp = client.post(f"/api/v1/pools/{pool}/members", json={"uscc": uscc}, headers=headers)
    assert resp.status_code == 201, resp.get_json()
    for stage in ("screened", "admitted"):
        version = resp.get_json()["version"]
        resp = client.post(f"/api/v1/pools/{pool}/members/{uscc}/moves", headers=headers,
                           json={"to_stage": stage, "reason": "年度遴选", "version": version})
        assert resp.status_code == 200, resp.get_json()


@pytest.fixture(scope="module")
def gateway(make_sqlite_url: Callable[[str], str], migrated_url: str, app: Flask,
            upstreams: dict[str, RecordingUpstream]) -> Iterator[Flask]:
    """The gateway before the real registry; two firms admitted by the daily process (nobody
    responsible), one admitted by the curator through the gateway."""
    service = real_service("registry", make_sqlite_url("gw-problems-registry"))
    with gateway_before({"registry": service}, migrated_url, upstreams, FIRMS) as gw:
        process = {"X-Actor": "system:lifecycle", "X-Internal-Token": INTERNAL_TOKEN}
        direct = service.test_client()
        _admit(direct, process, ALONE, "hnte_reserve")
        _admit(direct, process, TWICE, "hnte_reserve")
        _admit(direct, process, TWICE, "tech_sme")
        _admit(gw.test_client(), bearer(gw.test_client(), "curator", PASSWORD), BY_HAND,
               "hnte_reserve")
        yield gw


def _post(client: FlaskClient, url: str, data: dict[str, object]) -> tuple[int, str]:
    resp = client.post(url, data={**data, "csrf_token": csrf_of(client)},
                       follow_redirects=True)
    return resp.status_code, resp.get_data(as_text=True)


def _problem(html: str, pid: str) -> str:
    """The list item of problem ``pid`` on the enterprise page."""
    start = html.index(f'id="problem-{pid}"')
    return html[start:html.index("</li>", start)]


def _version(html: str, pid: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', _problem(html, pid))
    assert found
    return found.group(1)


def test_a_curator_raises_a_problem_and_follows_it_until_resolved(gateway: Flask) -> None:
    curator = sign_in(gateway, "curator")
    page = f"/enterprises/{ALONE}"
    html = curator.get(page).get_data(as_text=True)
    assert 'href="#problems"' in html and "问题清单" in html and 'id="problem-form"' in html
    raised_on = (TODAY - timedelta(days=10)).isoformat()
    status, html = _post(curator, f"{page}/problems", {
        "title": "", "detail": "新厂房缺少研发用地", "raised_on": raised_on,
        "due_on": (TODAY - timedelta(days=11)).isoformat(), "shared_with_firm": "0"})
    assert status == 422 and 'id="e-p-title"' in html and 'id="e-p-due_on"' not in html
    assert "新厂房缺少研发用地" in html  # what was typed stays
    status, html = _post(curator, f"{page}/problems", {
        "title": "研发用地指标不足", "detail": "新厂房缺少研发用地", "raised_on": raised_on,
        "due_on": (TODAY - timedelta(days=11)).isoformat(), "shared_with_firm": "0"})
    assert status == 422 and 'id="e-p-due_on"' in html and "不能早于提出日期" in html
    due = (TODAY - timedelta(days=1)).isoformat()
    status, html = _post(curator, f"{page}/problems", {
        "title": "研发用地指标不足", "detail": "新厂房缺少研发用地", "raised_on": raised_on,
        "due_on": due, "shared_with_firm": "0"})
    assert status == 200 and "问题已登记" in html
    pid = re.search(rf'action="/enterprises/{ALONE}/problems/(\d+)"', html).group(1)  # type: ignore[union-attr]
    item = _problem(html, pid)
    assert "研发用地指标不足" in item and "待办" in item and due in item and "逾期" in item
    assert "与企业共享" in item and "否" in item
    assert "开始办理" in item and "已解决" in item and "重新打开" not in item

    old = _version(html, pid)
    status, html = _post(curator, f"{page}/problems/{pid}", {
        "status": "in_progress", "note": "已联系自然资源局", "version": old})
    assert status == 200 and "办理中" in _problem(html, pid)
    stale = _post(curator, f"{page}/problems/{pid}", {
        "status": "resolved", "note": "旧页面上的处理结果", "version": old})
    assert stale[0] == 409 and "未执行" in _problem(stale[1], pid)
    assert "旧页面上的处理结果" in _problem(stale[1], pid)  # the note typed stays
    version = _version(html, pid)
    status, html = _post(curator, f"{page}/problems/{pid}", {
        "status": "resolved", "note": "", "version": version})
    assert status == 422 and "处理结果" in _problem(html, pid)
    status, html = _post(curator, f"{page}/problems/{pid}", {
        "status": "resolved", "note": "已协调调剂用地 20 亩", "version": version})
    item = _problem(html, pid)
    assert status == 200 and "已解决" in item and "已协调调剂用地 20 亩" in item
    assert "逾期" not in item and "重新打开" in item and "开始办理" not in item
    status, html = _post(curator, f"{page}/problems/{pid}", {
        "status": "open", "note": "用地仍未落实", "version": _version(html, pid)})
    item = _problem(html, pid)
    assert status == 200 and "待办" in item and "逾期" in item
    audit = html[html.index('id="audit"'):]
    assert "已协调调剂用地 20 亩" in audit and "用地仍未落实" in audit  # the notes, who, when
    english = curator.get(f"{page}?lang=en").get_data(as_text=True)
    assert "Problems raised" in english and "Open" in _problem(english, pid)
    curator.get(f"{page}?lang=zh")


def test_viewers_read_problems_and_enterprises_reach_none(gateway: Flask) -> None:
    curator = sign_in(gateway, "curator")
    status, _ = _post(curator, f"/enterprises/{TWICE}/problems", {
        "title": "融资难", "raised_on": TODAY.isoformat(), "shared_with_firm": "1"})
    assert status == 200
    viewer = sign_in(gateway, "viewer")
    html = viewer.get(f"/enterprises/{TWICE}").get_data(as_text=True)
    assert "融资难" in html and "待办" in html and "是" in html
    assert 'id="problem-form"' not in html and 'class="problem-move"' not in html
    refused = viewer.post(f"/enterprises/{TWICE}/problems", data={
        "title": "x", "raised_on": TODAY.isoformat(), "csrf_token": csrf_of(viewer)})
    assert refused.status_code == 403
    firm = sign_in(gateway, USCC_A)
    assert firm.post(f"/enterprises/{TWICE}/problems/1", data={
        "status": "resolved", "csrf_token": csrf_of(firm)}).status_code == 403


def _unassigned(html: str) -> str:
    start = html.index('id="unassigned"')
    return html[start:html.index("</section>", start)]


def test_members_without_a_curator_are_taken_from_the_worklist(gateway: Flask) -> None:
    viewer = _unassigned(sign_in(gateway, "viewer").get("/worklist").get_data(as_text=True))
    assert "无负责人的在库企业" in viewer and FIRMS[ALONE] in viewer
    assert 'id="take-' not in viewer  # viewers read only
    curator = sign_in(gateway, "curator")
    html = curator.get("/worklist").get_data(as_text=True)
    section = _unassigned(html)
    assert "(2)" in section and FIRMS[ALONE] in section and FIRMS[TWICE] in section
    assert section.count(FIRMS[TWICE]) == 1  # a member of two pools is listed once
    assert "高企后备库" in section and "科技型中小企业库" in section and "入库" in section
    assert FIRMS[BY_HAND] not in section  # its admitting curator is responsible
    assert f'id="take-{ALONE}"' in section
    page = curator.get(f"/enterprises/{BY_HAND}").get_data(as_text=True)
    assert re.search(r'id="responsible">[^<]*curator', page)

    status, html = _post(curator, f"/enterprises/{ALONE}/curator", {"back": "worklist"})
    section = _unassigned(html)
    assert status == 200 and "已由您负责" in section and FIRMS[ALONE] in section
    assert f'id="take-{ALONE}"' not in section and "(1)" in section
    firms = html[html.index('id="firms"'):]
    assert FIRMS[ALONE] in firms
    admin = sign_in(gateway, "admin")
    status, html = _post(admin, f"/enterprises/{ALONE}/curator", {"back": "worklist"})
    assert status == 200 and "该企业已有负责人" in _unassigned(html)
    again = curator.get(f"/enterprises/{ALONE}").get_data(as_text=True)
    assert re.search(r'id="responsible">[^<]*curator', again)


def _mine(html: str, pid: int) -> str:
    """Problem ``pid`` on the firm's /my/problems, as read (tags dropped)."""
    start = html.index(f'id="my-problem-{pid}"')
    return re.sub(r"<[^>]+>", "", html[start:html.index("</li>", start)])


def test_the_firm_sees_each_shared_problems_due_date_and_when_it_is_overdue(
        gateway: Flask) -> None:
    """/my/problems lists only what the bureau shared with this firm: each problem's due date,
    逾期 while it is past due and unresolved (never once resolved, never before the day);
    the API's /me/problems carries the same due date and overdue flag."""
    api = gateway.test_client()
    curator = bearer(api, "curator", PASSWORD)
    base = f"/api/v1/enterprises/{USCC_A}/problems"
    raised_on = (TODAY - timedelta(days=20)).isoformat()
    late, ahead = (TODAY - timedelta(days=2)).isoformat(), (TODAY + timedelta(days=5)).isoformat()

    def raise_(title: str, due: str | None, shared: bool) -> dict[str, object]:
        resp = api.post(base, headers=curator, json={
            "title": title, "raised_on": raised_on, "due_on": due,
            "shared_with_firm": shared, "reason": "企业来访反映"})
        assert resp.status_code == 201, resp.get_json()
        return dict(resp.get_json())

    overdue = raise_("高新区用电增容", late, True)
    coming = raise_("人才公寓申请", ahead, True)
    answered = raise_("研发费用加计扣除咨询", late, True)
    undated = raise_("产学研合作对接", None, True)
    private = raise_("局内研判：疑似空壳", late, False)
    done = api.patch(f"{base}/{answered['id']}", headers=curator, json={
        "status": "resolved", "resolution": "已由税务局答复", "version": answered["version"],
        "reason": "答复完毕"})
    assert done.status_code == 200, done.get_json()

    firm = sign_in(gateway, USCC_A)
    html = firm.get("/my/problems").get_data(as_text=True)
    assert 'href="/my/problems" aria-current="page"' in html  # in the firm's navigation
    item = _mine(html, int(overdue["id"]))  # type: ignore[call-overload]
    assert "高新区用电增容" in item and "待办" in item and f"答复期限 {late}" in item
    assert "逾期" in item
    item = _mine(html, int(coming["id"]))  # type: ignore[call-overload]
    assert f"答复期限 {ahead}" in item and "逾期" not in item
    item = _mine(html, int(answered["id"]))  # type: ignore[call-overload]
    assert "已解决" in item and "已由税务局答复" in item and late in item and "逾期" not in item
    item = _mine(html, int(undated["id"]))  # type: ignore[call-overload]
    assert "答复期限" not in item and "逾期" not in item
    assert "疑似空壳" not in html and f'my-problem-{private["id"]}"' not in html
    assert "融资难" not in html  # another firm's shared problem
    # the overdue one comes first (still to answer, earliest due), the answered one last
    order = [int(m) for m in re.findall(r'id="my-problem-(\d+)"', html)]
    assert order[0] == overdue["id"] and order[-1] == answered["id"]
    english = firm.get("/my/problems?lang=en").get_data(as_text=True)
    assert f"Due {late}" in _mine(english, int(overdue["id"]))  # type: ignore[call-overload]
    assert "overdue" in _mine(english, int(overdue["id"]))  # type: ignore[call-overload]
    firm.get("/my/problems?lang=zh")

    seen = {p["id"]: p for p in api.get("/api/v1/me/problems", headers=bearer(
        api, USCC_A, PASSWORD)).get_json()["items"]}
    assert set(seen) == {overdue["id"], coming["id"], answered["id"], undated["id"]}
    assert (seen[overdue["id"]]["due_on"], seen[overdue["id"]]["overdue"]) == (late, True)
    assert (seen[coming["id"]]["due_on"], seen[coming["id"]]["overdue"]) == (ahead, False)
    assert seen[answered["id"]]["overdue"] is False
    assert (seen[undated["id"]]["due_on"], seen[undated["id"]]["overdue"]) == (None, False)
    assert "raised_by" not in seen[overdue["id"]] and "detail" not in seen[overdue["id"]]


def test_the_firms_problem_page_is_the_firms_own(gateway: Flask) -> None:
    """Another firm sees none of them; bureau accounts use the enterprise page instead."""
    other = sign_in(gateway, USCC_B).get("/my/problems").get_data(as_text=True)
    assert "高新区用电增容" not in other and "融资难" not in other
    for who in ("viewer", "curator"):
        assert sign_in(gateway, who).get("/my/problems").status_code == 403
    assert gateway.test_client().get("/my/problems").status_code == 302
