"""Contacts in the browser: the people through whom notices reach a firm, kept by the firm
(``/my/contacts``) and by the bureau (``/enterprises/<uscc>/contacts``), through the gateway's
pages against the real registry (its own SQLite file, served over HTTP behind the gateway).

What a person notices: the firm adds, changes and removes its own contacts, consent and
opt-out reading 是/否; another firm's contacts are out of its reach; a viewer reads the list
with the mobile number and e-mail address partly hidden and has no form; a save over someone
else's save says so and keeps what was typed; a removal needs its 确认删除 box ticked; a bad
mobile number is refused beside the field and nothing changes.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from gateway_testkit import PASSWORD
from gateway_testkit import USCC_A
from gateway_testkit import USCC_B
from gateway_testkit import RecordingUpstream
from gateway_testkit import bearer
from gateway_testkit import gateway_before
from gateway_testkit import real_service

sys.path.insert(0, str(Path(__file__).parent))
from test_web_kit import csrf_of  # noqa: E402
from test_web_kit import sign_in  # noqa: E402

pytestmark = pytest.mark.integration
FIRMS = {USCC_A: "聊城联系人甲轴承有限公司", USCC_B: "聊城联系人乙机械有限公司"}


@pytest.fixture(scope="module")
def gateway(
    make_sqlite_url: Callable[[str], str],
    migrated_url: str,
    app: Flask,
    upstreams: dict[str, RecordingUpstream],
) -> Iterator[Flask]:
    service = real_service("registry", make_sqlite_url("gw-contacts-registry"))
    with gateway_before({"registry": service}, migrated_url, upstreams, FIRMS) as gw:
        yield gw


def _post(client: FlaskClient, url: str, data: dict[str, str]) -> Any:
    return client.post(url, data={**data, "csrf_token": csrf_of(client)})


def _contacts(gateway: Flask, uscc: str) -> list[dict[str, Any]]:
    """What the registry holds (read by a curator over the API)."""
    client = gateway.test_client()
    resp = client.get(f"/api/v1/enterprises/{uscc}/contacts",
                      headers=bearer(client, "curator", PASSWORD))
    assert resp.status_code == 200, resp.get_json()
    items: list[dict[str, Any]] = resp.get_json()["items"]
    return items


def _row(page: str, contact_id: int) -> str:
    found = re.search(rf'<tr id="contact-{contact_id}">(.*?)</tr>', page, re.S)
    assert found, f"no row for contact {contact_id}"
    return found[1]


def _cells(row: str, css: str) -> list[str]:
    return re.findall(rf'class="{css}">([^<]*)<', row)


def _value(page: str, field_id: str) -> str:
    found = re.search(rf'id="{re.escape(field_id)}" name="[^"]+"[^>]*value="([^"]*)"', page)
    assert found, f"no field {field_id}"
    return unescape(found[1])


def _ticked(page: str, field_id: str) -> bool:
    found = re.search(rf'<input type="checkbox" id="{re.escape(field_id)}"[^>]*>', page)
    assert found, f"no box {field_id}"
    return " checked" in found[0]


def _form_of(page: str) -> dict[str, str]:
    """The edit form as the page filled it (what a browser would post back)."""
    data = {name: _value(page, f"f-{name}") for name in ("name", "role", "mobile", "email")}
    data.update({name: "1" for name in ("sms_consent", "email_consent", "sms_opt_out",
                                        "email_opt_out") if _ticked(page, f"f-{name}")})
    data["version"] = re.search(r'name="version" value="(\d*)"', page)[1]  # type: ignore[index]
    return data


def _added(client: FlaskClient, url: str, **fields: str) -> int:
    resp = _post(client, url, fields)
    assert resp.status_code == 303, re.findall(r'class="error"[^>]*>.*?</p>',
                                               resp.get_data(as_text=True), re.S)
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    ids = [int(i) for i in re.findall(r'<tr id="contact-(\d+)">', page)]
    return max(ids)


def test_the_firm_adds_changes_and_removes_its_own_contact(gateway: Flask) -> None:
    firm = sign_in(gateway, USCC_A)
    home = firm.get("/my").get_data(as_text=True)
    assert re.search(r'<a href="/my/contacts">联系人</a>', home)  # in the firm's navigation
    contact_id = _added(firm, "/my/contacts", name="王芳", role="财务负责人",
                        mobile="+86 138-0013-8000", email="wang@example.com", sms_consent="1")
    page = firm.get("/my/contacts?done=added").get_data(as_text=True)
    row = _row(page, contact_id)
    assert "王芳" in row and "财务负责人" in row and "13800138000" in row  # normalised
    assert "wang@example.com" in row and "已添加联系人" in page
    assert _cells(row, "consent") == ["是", "否"] and _cells(row, "opt-out") == ["否"]

    form = firm.get(f"/my/contacts/{contact_id}").get_data(as_text=True)
    assert _value(form, "f-mobile") == "13800138000" and _ticked(form, "f-sms_consent")
    changed = {**_form_of(form), "role": "总经理", "email_opt_out": "1", "email_consent": "1"}
    resp = _post(firm, f"/my/contacts/{contact_id}", changed)
    assert resp.status_code == 303
    row = _row(firm.get("/my/contacts").get_data(as_text=True), contact_id)
    assert "总经理" in row and _cells(row, "consent") == ["是", "是"]
    assert _cells(row, "opt-out") == ["邮件"]

    listed = firm.get("/my/contacts").get_data(as_text=True)
    version = re.search(rf'id="delete-{contact_id}".*?name="version" value="(\d+)"', listed,
                        re.S)[1]  # type: ignore[index]
    refused = _post(firm, f"/my/contacts/{contact_id}/delete", {"version": version})
    assert refused.status_code == 422 and "请填写原因" in refused.get_data(as_text=True)
    assert contact_id in [c["id"] for c in _contacts(gateway, USCC_A)]  # still there
    gone = _post(firm, f"/my/contacts/{contact_id}/delete",
                 {"version": version, "reason": "已离职", "confirm": "1"})
    assert gone.status_code == 303
    after = firm.get(gone.headers["Location"]).get_data(as_text=True)
    assert "已删除联系人" in after and "王芳" not in after
    assert contact_id not in [c["id"] for c in _contacts(gateway, USCC_A)]


def test_a_firm_cannot_reach_another_firms_contacts(gateway: Flask) -> None:
    curator = sign_in(gateway, "curator")
    theirs = _added(curator, f"/enterprises/{USCC_B}/contacts", name="李强",
                    mobile="13900139000", reason="走访登记")
    firm = sign_in(gateway, USCC_A)
    bureau_page = firm.get(f"/enterprises/{USCC_B}/contacts")
    assert bureau_page.status_code == 403 and "无权" in bureau_page.get_data(as_text=True)
    assert "13900139000" not in bureau_page.get_data(as_text=True)
    assert firm.get(f"/enterprises/{USCC_A}/contacts").status_code == 403  # the bureau's page
    # its own pages name only its own contacts: another firm's id is not found
    other = firm.get(f"/my/contacts/{theirs}")
    assert other.status_code == 404 and "李强" not in other.get_data(as_text=True)
    deleted = _post(firm, f"/my/contacts/{theirs}/delete",
                    {"version": "1", "reason": "x", "confirm": "1"})
    assert deleted.status_code == 404
    changed = _post(firm, f"/my/contacts/{theirs}", {"name": "篡改", "mobile": "13700137000",
                                                      "version": "1"})
    assert changed.status_code == 404
    assert [c["name"] for c in _contacts(gateway, USCC_B)] == ["李强"]
    assert "李强" not in firm.get("/my/contacts").get_data(as_text=True)


def test_a_viewer_reads_the_list_masked_and_without_forms(gateway: Flask) -> None:
    curator = sign_in(gateway, "curator")
    no_reason = _post(curator, f"/enterprises/{USCC_B}/contacts",
                      {"name": "赵敏", "mobile": "13600136000"})
    assert no_reason.status_code == 422  # the bureau says why it changes a firm's contacts
    assert "请填写原因" in no_reason.get_data(as_text=True)
    contact_id = _added(curator, f"/enterprises/{USCC_B}/contacts", name="赵敏",
                        mobile="13600136000", email="zhaomin@example.com", email_consent="1",
                        reason="企业来电")
    full = curator.get(f"/enterprises/{USCC_B}/contacts").get_data(as_text=True)
    assert "13600136000" in _row(full, contact_id) and FIRMS[USCC_B] in full
    assert 'id="add-form"' in full
    form = curator.get(f"/enterprises/{USCC_B}/contacts/{contact_id}").get_data(as_text=True)
    assert FIRMS[USCC_B] in form and _value(form, "f-mobile") == "13600136000"

    viewer = sign_in(gateway, "viewer")
    page = viewer.get(f"/enterprises/{USCC_B}/contacts").get_data(as_text=True)
    row = _row(page, contact_id)
    assert "136****6000" in row and "z***@example.com" in row
    assert "13600136000" not in page and "zhaomin@" not in page
    assert _cells(row, "consent") == ["否", "是"] and "部分内容" in page
    assert "<form" not in page.split('id="content"')[1]  # nothing to edit, add or remove
    assert viewer.get(f"/enterprises/{USCC_B}/contacts/{contact_id}").status_code == 403
    removal = _post(viewer, f"/enterprises/{USCC_B}/contacts/{contact_id}/delete",
                    {"version": "1", "reason": "x", "confirm": "1"})
    assert removal.status_code == 403
    linked = viewer.get(f"/enterprises/{USCC_B}").get_data(as_text=True)
    assert f'href="/enterprises/{USCC_B}/contacts"' in linked


def test_a_stale_save_is_refused_with_what_was_typed_kept(gateway: Flask) -> None:
    firm = sign_in(gateway, USCC_A)
    contact_id = _added(firm, "/my/contacts", name="孙丽", role="办公室主任",
                        mobile="13500135000")
    loaded = _form_of(firm.get(f"/my/contacts/{contact_id}").get_data(as_text=True))
    colleague = sign_in(gateway, USCC_A)
    assert _post(colleague, f"/my/contacts/{contact_id}",
                 {**loaded, "role": "综合部经理"}).status_code == 303
    stale = _post(firm, f"/my/contacts/{contact_id}", {**loaded, "role": "行政主管"})
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert 'id="conflict"' in page and "已被他人修改" in page
    assert _value(page, "f-role") == "行政主管"  # what was typed is kept
    assert re.search(r'id="f-s-role">现存值：<strong>综合部经理</strong>', page)
    held = _contacts(gateway, USCC_A)
    assert [c["role"] for c in held if c["id"] == contact_id] == ["综合部经理"]
    assert _post(firm, f"/my/contacts/{contact_id}", _form_of(page)).status_code == 303
    assert [c["role"] for c in _contacts(gateway, USCC_A) if c["id"] == contact_id] == ["行政主管"]
    # a removal on an old version is refused too, in words, and removes nothing
    removal = _post(firm, f"/my/contacts/{contact_id}/delete",
                    {"version": loaded["version"], "reason": "重复", "confirm": "1"})
    assert removal.status_code == 409 and "已被他人修改" in removal.get_data(as_text=True)
    assert contact_id in [c["id"] for c in _contacts(gateway, USCC_A)]


def test_a_removal_needs_its_confirm_box_ticked_and_removes_nothing_without_it(
    gateway: Flask,
) -> None:
    for who, url in ((USCC_A, "/my/contacts"), ("curator", f"/enterprises/{USCC_B}/contacts")):
        client = sign_in(gateway, who)
        uscc = USCC_A if who == USCC_A else USCC_B
        contact_id = _added(client, url, name="郑洁", mobile="13200132000", reason="走访登记")
        listed = client.get(url).get_data(as_text=True)
        form = re.search(rf'<form[^>]*id="delete-{contact_id}">.*?</form>', listed, re.S)
        assert form and re.search(
            rf'<input type="checkbox" id="delete-confirm-{contact_id}" name="confirm" '
            r'value="1" required>', form[0]) and "确认删除" in form[0]
        version = re.search(r'name="version" value="(\d+)"', form[0])[1]  # type: ignore[index]
        unticked = _post(client, f"{url}/{contact_id}/delete",
                         {"version": version, "reason": "已离职"})
        assert unticked.status_code == 422
        page = unticked.get_data(as_text=True)
        error = re.search(rf'<p class="error" id="delete-ce-{contact_id}">([^<]*)</p>', page)
        assert error and "确认删除" in error[1] and " / " not in error[1]
        assert f'aria-describedby="delete-ce-{contact_id}"' in page
        assert _value(page, f"delete-reason-{contact_id}") == "已离职"  # what was typed stays
        assert 'id="delete-error"' not in page  # beside the box, not a page-wide alarm
        assert contact_id in [c["id"] for c in _contacts(gateway, uscc)]
        for ticked in ("0", "yes", ""):  # only the box's own value confirms
            again = _post(client, f"{url}/{contact_id}/delete",
                          {"version": version, "reason": "已离职", "confirm": ticked})
            assert again.status_code == 422
        assert contact_id in [c["id"] for c in _contacts(gateway, uscc)]
        gone = _post(client, f"{url}/{contact_id}/delete",
                     {"version": version, "reason": "已离职", "confirm": "1"})
        assert gone.status_code == 303
        assert contact_id not in [c["id"] for c in _contacts(gateway, uscc)]


@pytest.mark.parametrize("mobile", ["12345", "23800138000", "1380013800a"])
def test_a_bad_mobile_is_refused_beside_the_field_and_nothing_changes(
    gateway: Flask, mobile: str
) -> None:
    firm = sign_in(gateway, USCC_A)
    before = _contacts(gateway, USCC_A)
    added = _post(firm, "/my/contacts", {"name": "周杰", "mobile": mobile})
    assert added.status_code == 422
    page = added.get_data(as_text=True)
    error = re.search(r'<p class="error" id="a-e-mobile">([^<]*)</p>', page)
    assert error and "手机号" in error[1] and " / " not in error[1]  # one language, in words
    assert _value(page, "a-mobile") == mobile and _value(page, "a-name") == "周杰"
    assert _contacts(gateway, USCC_A) == before

    contact_id = _added(firm, "/my/contacts", name="吴刚", mobile="13300133000")
    held = _contacts(gateway, USCC_A)
    form = _form_of(firm.get(f"/my/contacts/{contact_id}").get_data(as_text=True))
    edited = _post(firm, f"/my/contacts/{contact_id}", {**form, "mobile": mobile})
    assert edited.status_code == 422
    page = edited.get_data(as_text=True)
    assert re.search(r'<p class="error" id="f-e-mobile">[^<]*手机号', page)
    assert _value(page, "f-mobile") == mobile
    assert _contacts(gateway, USCC_A) == held
