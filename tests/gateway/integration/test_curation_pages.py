"""Issue 12 item 1: the bureau's pages to create an enterprise and edit everything a curator
maintains, against the real registry (its own SQLite file, served over HTTP behind the gateway).

What a curator notices: codes are picked and read by name (industry, town, high-tech field); a
refused value is named beside its field in Chinese with the English beside it; an edit that
someone else overtook keeps everything typed, shows what is stored now and who changed it when,
and a second submit saves it; a stale delete deletes nothing. Viewers read, enterprises never
reach these pages (the route × role matrix is in test_isolation_matrix).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from gateway_testkit import PASSWORD
from gateway_testkit import USCC_A
from gateway_testkit import RecordingUpstream
from gateway_testkit import bearer
from gateway_testkit import gateway_before
from gateway_testkit import new_staff
from gateway_testkit import real_service

sys.path.insert(0, str(Path(__file__).parent))
from test_web_kit import csrf_of  # noqa: E402
from test_web_kit import sign_in  # noqa: E402

from yumiao_common.identifiers import generate_uscc  # noqa: E402

pytestmark = pytest.mark.integration
NEW_USCC = generate_uscc("91", "371502", "MA3CUR01")
VERSION = re.compile(r'name="version" value="(\d+)"')


@pytest.fixture(scope="module")
def gateway(make_sqlite_url: Callable[[str], str], migrated_url: str, app: Flask,
            upstreams: dict[str, RecordingUpstream]) -> Iterator[Flask]:
    """The gateway in front of the real registry (``app`` made the accounts)."""
    service = real_service("registry", make_sqlite_url("gw-curation-registry"))
    with gateway_before({"registry": service}, migrated_url, upstreams,
                        {USCC_A: "甲公司 / Victim Co"}) as gw:
        yield gw


def _post(client: FlaskClient, url: str, data: dict[str, object]) -> tuple[int, str]:
    resp = client.post(url, data={**data, "csrf_token": csrf_of(client)})
    return resp.status_code, resp.get_data(as_text=True)


def _version(html: str) -> str:
    match = VERSION.search(html)
    assert match, "the form carries no version"
    return match.group(1)


def test_a_curator_creates_an_enterprise_choosing_codes_by_name(gateway: Flask) -> None:
    curator = sign_in(gateway, "curator")
    form = curator.get("/enterprises/new").get_data(as_text=True)
    assert "滚动轴承制造" in form and "古楼街道" in form and "先进制造与自动化" in form
    assert ">C3451<" not in form and ">371502001<" not in form  # codes only as values
    english_form = curator.get("/enterprises/new?lang=en").get_data(as_text=True)
    assert "High-tech field" in english_form and "Credit code" in english_form
    assert "先进制造与自动化 / Advanced manufacturing and automation" in english_form
    assert "滚动轴承制造 / Rolling bearings (C3451)" in english_form
    curator.get("/enterprises/new?lang=zh")
    resp = curator.post("/enterprises/new", data={
        "uscc": NEW_USCC, "name": "丙轴承有限公司", "industry_code": "C3451",
        "town_code": "371502001", "hightech_field": "advanced_manufacturing",
        "established_on": "2015-03-01", "tax_method": "audited",
        "major_safety_incident": "no", "csrf_token": csrf_of(curator)})
    assert resp.status_code == 303
    assert resp.headers["Location"].startswith(f"/enterprises/{NEW_USCC}/edit")
    page = curator.get(f"/enterprises/{NEW_USCC}/edit").get_data(as_text=True)
    assert "丙轴承有限公司" in page and "滚动轴承制造（C3451）" in page
    assert "古楼街道" in page and "先进制造与自动化" in page and "查账征收" in page
    assert "advanced_manufacturing" not in page.split("<main")[1]
    english = curator.get(f"/enterprises/{NEW_USCC}/edit?lang=en").get_data(as_text=True)
    assert "先进制造与自动化 / Advanced manufacturing and automation" in english
    assert "古楼街道 / Gulou Subdistrict" in english


def test_a_refused_value_is_named_beside_its_field_and_what_was_typed_stays(
    gateway: Flask
) -> None:
    curator = sign_in(gateway, "curator")
    status, html = _post(curator, f"/enterprises/{USCC_A}/edit/financials/new", {
        "year": "2024", "employees": "10", "rd_staff": "25", "operating_revenue": "5,000,000"})
    assert status == 422
    field = html.split('id="w-rd_staff"')[1].split('id="w-')[0]
    assert "研发人员数不能超过职工总数 / R&amp;D staff cannot exceed employees" in field
    assert 'value="25"' in field and 'value="5,000,000"' in html
    overview = curator.get(f"/enterprises/{USCC_A}/edit").get_data(as_text=True)
    assert 'id="financials-2024"' not in overview  # nothing saved


def test_an_edit_someone_overtook_keeps_what_was_typed_and_names_who_changed_it(
    gateway: Flask
) -> None:
    mine, theirs_name = sign_in(gateway, "curator"), new_staff(gateway, "curator")
    theirs = sign_in(gateway, theirs_name)
    url = f"/enterprises/{USCC_A}/edit/basics"
    my_form, their_form = (c.get(url).get_data(as_text=True) for c in (mine, theirs))
    assert _version(my_form) == _version(their_form)
    base = {"name": "甲公司 / Victim Co", "version": _version(their_form)}
    status, _ = _post(theirs, url, {**base, "town_code": "371502101",
                                    "industry_code": "C3612", "reason": "核对营业执照"})
    assert status == 303
    status, html = _post(mine, url, {**base, "town_code": "371502102",
                                     "hightech_field": "new_materials", "park": "高新区"})
    assert status == 409
    conflict = html.split('id="conflict"')[1].split("</div>")[0]
    assert f"用户 {theirs_name}" in conflict and "所在镇街" in conflict
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", conflict)  # when, Beijing time
    town = html.split('id="w-town_code"')[1].split('id="w-')[0]
    assert 'value="371502102" selected' in town  # what I chose is kept …
    assert "现存值" in town and "沙镇镇" in town  # … the stored value beside it, by name
    assert 'value="new_materials" selected' in html and 'value="高新区"' in html
    assert "新能源车整车制造" in html.split('id="w-industry_code"')[1].split('id="w-')[0]
    status, _ = _post(mine, url, {**base, "version": _version(html), "town_code": "371502102",
                                  "hightech_field": "new_materials", "park": "高新区"})
    assert status == 303
    page = mine.get(f"/enterprises/{USCC_A}/edit").get_data(as_text=True)
    assert "堂邑镇" in page and "新材料" in page and "高新区" in page


def test_records_are_added_edited_and_a_stale_delete_deletes_nothing(gateway: Flask) -> None:
    curator, other = sign_in(gateway, "curator"), sign_in(gateway, "admin")
    base = f"/enterprises/{USCC_A}/edit"
    status, _ = _post(curator, f"{base}/ip/new", {
        "kind": "invention_patent", "number": "ZL202310000001.1", "title": "轴承保持架",
        "granted_on": "2024-05-01", "acquired_by": "self_developed",
        "related_to_main_product": "yes"})
    assert status == 303
    page = curator.get(base).get_data(as_text=True)
    row = page.split('id="ip"')[1].split("</section>")[0]
    assert "发明专利" in row and "ZL202310000001.1" in row
    edit_url = re.search(rf'href="({base}/ip/\d+)"', row)
    assert edit_url
    stale = re.search(r'action="([^"]+/delete)"[^>]*>\s*<input[^>]+>\s*<input type="hidden" '
                      r'name="version" value="(\d+)"', row)
    assert stale
    form = other.get(edit_url.group(1)).get_data(as_text=True)
    status, _ = _post(other, edit_url.group(1), {
        "kind": "invention_patent", "number": "ZL202310000001.1", "title": "轴承保持架（改）",
        "acquired_by": "self_developed", "related_to_main_product": "yes",
        "version": _version(form)})
    assert status == 303
    resp = curator.post(stale.group(1), data={"version": stale.group(2), "confirm": "1",
                                              "csrf_token": csrf_of(curator)})
    assert resp.status_code == 303 and "refused=" in resp.headers["Location"]
    page = curator.get(resp.headers["Location"]).get_data(as_text=True)
    assert "未删除" in page and "轴承保持架（改）" in page
    assert "用户 admin" in page.split('id="refused"')[1].split("</div>")[0]

    status, _ = _post(curator, f"{base}/awards/new", {"level": "provincial", "year": "2023",
                                                      "rank": "2", "title": "省科技进步奖"})
    assert status == 303
    status, _ = _post(curator, f"{base}/certifications/new", {
        "tier": "tech_sme", "issued_on": "2025-04-01", "number": "KJ-2025-01"})
    assert status == 303
    page = curator.get(base).get_data(as_text=True)
    assert "省级" in page and "省科技进步奖" in page and "科技型中小企业" in page
    assert "2025-12-31" in page  # a tech SME's usual term, filled in by the registry


def test_a_yearly_figure_overtaken_by_another_curator_shows_both(gateway: Flask) -> None:
    mine, theirs = sign_in(gateway, "curator"), sign_in(gateway, "admin")
    base = f"/enterprises/{USCC_A}/edit"
    status, _ = _post(mine, f"{base}/financials/new", {"year": "2023", "employees": "120",
                                                       "rd_expense": "1500000"})
    assert status == 303
    url = f"{base}/financials/2023"
    my_form, their_form = (c.get(url).get_data(as_text=True) for c in (mine, theirs))
    status, _ = _post(theirs, url, {"employees": "130", "rd_expense": "1500000",
                                    "version": _version(their_form)})
    assert status == 303
    status, html = _post(mine, url, {"employees": "125", "rd_expense": "1,800,000",
                                     "version": _version(my_form)})
    assert status == 409 and "用户 admin" in html and "职工总数" in html
    assert 'value="125"' in html and 'value="1,800,000"' in html
    employees = html.split('id="w-employees"')[1].split('id="w-')[0]
    assert "现存值" in employees and "130" in employees


def test_a_review_outcome_is_recorded_with_the_enterprise_version(gateway: Flask) -> None:
    curator = sign_in(gateway, "curator")
    url = f"/enterprises/{USCC_A}/edit/reviews/new"
    form = curator.get(url).get_data(as_text=True)
    status, html = _post(curator, url, {"criterion": "hnte.expert_review",
                                        "outcome": "pass", "reviewed_on": "2030-01-01",
                                        "version": _version(form)})
    assert status == 422 and 'id="e-reviewed_on"' in html and " / " in html.split(
        'id="e-reviewed_on"')[1].split("</p>")[0]
    status, _ = _post(curator, url, {"criterion": "hnte.expert_review", "outcome": "pass",
                                     "reviewed_on": "2025-06-01", "by": "区科技局专家组",
                                     "version": _version(form)})
    assert status == 303
    page = curator.get(f"/enterprises/{USCC_A}/edit").get_data(as_text=True)
    reviews = page.split('id="reviews"')[1]
    assert "通过" in reviews and "区科技局专家组" in reviews


def test_a_viewer_reads_the_overview_without_forms_and_cannot_write(gateway: Flask) -> None:
    viewer = sign_in(gateway, "viewer")
    page = viewer.get(f"/enterprises/{USCC_A}/edit")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "甲公司" in html
    assert "/edit/basics" not in html and "/delete" not in html
    assert viewer.get(f"/enterprises/{USCC_A}/edit/basics").status_code == 403
    status, _ = _post(viewer, f"/enterprises/{USCC_A}/edit/awards/new",
                      {"level": "national", "year": "2024"})
    assert status == 403
    forged = sign_in(gateway, "curator").post(  # a curator's session, but no CSRF token
        f"/enterprises/{USCC_A}/edit/awards/new", data={"level": "national", "year": "2024"})
    assert forged.status_code == 403 and "CSRF" in forged.get_data(as_text=True)
    admin = bearer(gateway.test_client(), "admin", PASSWORD)
    awards = gateway.test_client().get(f"/api/v1/enterprises/{USCC_A}/awards",
                                       headers=admin).get_json()["items"]
    assert all(a["level"] != "national" for a in awards)


def test_an_edit_of_an_item_deleted_meanwhile_keeps_what_was_typed(gateway: Flask) -> None:
    curator = sign_in(gateway, "curator")
    base = f"/enterprises/{USCC_A}/edit"
    status, _ = _post(curator, f"{base}/institutions/new", {"level": "municipal",
                                                            "name": "聊城市轴承工程技术研究中心"})
    assert status == 303
    row = curator.get(base).get_data(as_text=True).split('id="institutions"')[1]
    edit_url = re.search(rf'href="({base}/institutions/(\d+))"', row)
    assert edit_url
    form = curator.get(edit_url.group(1)).get_data(as_text=True)
    admin = bearer(gateway.test_client(), "admin", PASSWORD)
    gone = gateway.test_client().delete(
        f"/api/v1/enterprises/{USCC_A}/institutions/{edit_url.group(2)}",
        headers={**admin, "If-Match": f'"{_version(form)}"'})
    assert gone.status_code == 204
    status, html = _post(curator, edit_url.group(1), {
        "level": "provincial", "name": "山东省轴承工程技术研究中心", "version": _version(form)})
    assert status == 409
    conflict = html.split('id="conflict"')[1].split("</div>")[0]
    assert "此记录已被删除" in conflict and "用户 admin" in conflict
    assert 'value="山东省轴承工程技术研究中心"' in html and 'value="provincial" selected' in html


def test_every_delete_asks_to_be_confirmed_first_in_the_page_language(gateway: Flask) -> None:
    # as the contacts' removal: a box to tick, which the browser requires before it posts
    # (no script; the page's CSP allows none inline)
    curator = sign_in(gateway, "curator")
    base = f"/enterprises/{USCC_A}/edit"
    status, _ = _post(curator, f"{base}/standards/new", {"level": "industry",
                                                         "number": "JB/T 0001-2024",
                                                         "role": "lead", "year": "2024"})
    assert status == 303
    version = _version(curator.get(f"{base}/reviews/new").get_data(as_text=True))
    status, _ = _post(curator, f"{base}/reviews/new", {
        "criterion": "hnte.expert_review", "outcome": "pass", "reviewed_on": "2025-06-01",
        "version": version})
    assert status == 303
    for lang, words, other in (("zh-CN", "确认删除", "Confirm deletion"),
                               ("en", "Confirm deletion", "确认删除")):
        page = curator.get(f"{base}?lang={lang}").get_data(as_text=True)
        forms = re.findall(r'<form method="post" action="[^"]+/delete".*?</form>', page, re.S)
        assert any("/standards/" in f for f in forms) and any("/reviews/" in f for f in forms)
        for form in forms:
            box = re.search(r'<label class="check"><input type="checkbox" id="delete-confirm-'
                            r'[^"]+" name="confirm" value="1" required> ([^<]+)</label>', form)
            assert box and box.group(1) == words, form
            assert other not in form
            assert form.index('name="confirm"') < form.index('type="submit"')
    # Posted without the box ticked (a hand-built request): nothing deleted, the page says why.
    page = curator.get(base).get_data(as_text=True)
    actions = re.findall(r'<form method="post" action="([^"]+/delete)"', page)
    for action in actions:
        resp = curator.post(action, data={"csrf_token": csrf_of(curator)})
        assert resp.status_code == 303 and "unconfirmed=" in resp.headers["Location"], action
        after = curator.get(resp.headers["Location"]).get_data(as_text=True)  # still English
        said = after.split('id="unconfirmed"')[1].split("</div>")[0]
        assert "Not deleted: tick “Confirm deletion” first." in said and "未删除" not in said
    said = curator.get(f"{base}?lang=zh-CN&unconfirmed=reviews").get_data(as_text=True)
    assert "未删除：请先勾选“确认删除”。" in said.split('id="unconfirmed"')[1].split("</div>")[0]
    after = curator.get(base).get_data(as_text=True)  # every item still there to delete
    assert re.findall(r'<form method="post" action="([^"]+/delete)"', after) == actions
