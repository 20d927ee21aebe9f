"""Contacts in headless Chromium over the whole stack: whom the bureau's notices reach.

A firm signs in, opens 联系人 from its navigation, adds a contact who agrees to SMS, edits it
(now agreeing to e-mail too) and reads consent as 是/否; the curator opens that firm's
enterprise page, follows its contacts link and sees the contact in full; the viewer sees it
with the mobile number and e-mail address partly hidden and no form; the firm, on a phone,
removes it only once 确认删除 is ticked. Each list is looked at on a desktop and on a
390 px phone, where the table reads as cards with nothing cut off and the actions in reach.

The firm is a demo firm no other journey uses: none of the five demo firm accounts (the
others sign in as those), outside the first 80 listed (where the self-reporting journey
looks for its firm); the bureau's admin opens its account, as for a firm joining the portal.
Screenshots go to tests/e2e/screenshots/ (prefix ``c``) to be looked at.
"""

from __future__ import annotations

from typing import Any

import pytest
from browser_kit import shot
from browser_kit import sign_in
from e2e_stack import Stack
from playwright.sync_api import APIRequestContext
from playwright.sync_api import Browser
from playwright.sync_api import Page

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 900}}
PHONE: dict[str, Any] = {"viewport": {"width": 390, "height": 844}, "is_mobile": True,
                         "has_touch": True}
#: The self-reporting journey picks its firm among the first 80 listed; this one lies beyond.
SKIP = 120
NAME, MOBILE, EMAIL = "刘晓燕", "13912345678", "liu.xiaoyan@example.com"


def csrf(request: APIRequestContext) -> str:
    return str(request.get("/api/v1/auth/session").json()["csrf_token"])


def fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth"))


def cut_off(page: Page, selector: str) -> list[str]:
    """The cells, texts and controls of the table ``selector`` that do not fit their box or
    the screen (clipped, hidden by an overflow, or wider than the viewport); the column
    headers, hidden on a phone where each cell carries its label, are not looked at."""
    return list(page.evaluate(
        """(sel) => {
          const out = [];
          for (const root of document.querySelectorAll(sel)) {
            for (const el of root.querySelectorAll(
                'tbody td, tbody th, tbody a, tbody button, tbody input, tbody label')) {
              const box = el.getBoundingClientRect();
              if (!box.width) continue;
              const spills = el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1;
              if (box.left < 0 || box.right > window.innerWidth + 0.5 || spills)
                out.push(el.tagName + ': ' + (el.innerText || el.value || el.id).slice(0, 40));
            }
          }
          return out;
        }""", selector))


def a_firm_of_its_own(stack: Stack, request: APIRequestContext) -> tuple[str, str]:
    """A demo firm no other journey touches: (credit code, name)."""
    listed = request.get("/api/v1/enterprises?limit=200").json()["items"][SKIP:]
    for ent in listed:
        if ent["uscc"] not in stack.enterprises:
            return str(ent["uscc"]), str(ent["name"])
    pytest.fail("e2e: no demo firm left for the contacts journey")


def open_account(admin: Page, stack: Stack, uscc: str) -> None:
    made = admin.request.post(
        "/api/v1/accounts", headers={"X-CSRF-Token": csrf(admin.request)},
        data={"username": uscc, "password": stack.password, "role": "enterprise", "uscc": uscc,
              "display_name": "e2e 联系人企业"})
    assert made.status == 201, made.text()


def cells(page: Page, contact_id: str, css: str) -> list[str]:
    return [c.strip() for c in page.locator(f"#{contact_id} td.{css}").all_inner_texts()]


def test_a_firm_keeps_its_contacts_and_the_bureau_reads_them(
    stack: Stack, browser: Browser
) -> None:
    admin = sign_in(browser, stack, "admin", **DESKTOP)
    uscc, name = a_firm_of_its_own(stack, admin.request)
    open_account(admin, stack, uscc)
    admin.close()

    # the firm opens 联系人 from its navigation and adds a contact who agrees to SMS
    firm = sign_in(browser, stack, uscc, **DESKTOP)
    firm.goto("/my")
    firm.locator("nav").get_by_role("link", name="联系人", exact=True).click()
    firm.wait_for_load_state()
    assert firm.url.endswith("/my/contacts"), firm.url
    assert firm.locator("#no-contacts").count() == 1  # nobody yet: notices cannot reach it
    add = firm.locator("#add-form")
    add.locator("#a-name").fill(NAME)
    add.locator("#a-role").fill("财务负责人")
    add.locator("#a-mobile").fill("139 1234 5678")
    add.locator("#a-email").fill(EMAIL)
    add.locator("#a-sms_consent").check()
    add.get_by_role("button", name="添加").click()
    firm.wait_for_load_state()
    assert "已添加联系人" in firm.locator("#done").inner_text()
    row = firm.locator("#contact-list tbody tr").filter(has_text=NAME)
    assert row.count() == 1
    contact_id = str(row.get_attribute("id"))
    assert MOBILE in row.inner_text()  # kept as the registry normalised it
    assert cells(firm, contact_id, "consent") == ["是", "否"]
    assert cells(firm, contact_id, "opt-out") == ["否"]

    # it edits the contact: a new role, and e-mail agreed to as well
    firm.locator(f"#edit-{contact_id.removeprefix('contact-')}").click()
    firm.wait_for_load_state()
    assert NAME in firm.locator("h1").inner_text()
    assert firm.locator("#f-sms_consent").is_checked()
    firm.locator("#f-role").fill("总经理")
    firm.locator("#f-email_consent").check()
    firm.get_by_role("button", name="保存").click()
    firm.wait_for_load_state()
    assert "已保存" in firm.locator("#done").inner_text()
    row = firm.locator(f"#{contact_id}")
    assert "总经理" in row.inner_text()
    assert cells(firm, contact_id, "consent") == ["是", "是"]
    assert cells(firm, contact_id, "opt-out") == ["否"]
    shot(firm, "c01-firm-contacts")
    firm.close()

    # the curator follows the enterprise page's contacts link and sees the contact in full
    curator = sign_in(browser, stack, "curator", **DESKTOP)
    curator.goto(f"/enterprises/{uscc}")
    curator.locator("#contacts-link").click()
    curator.wait_for_load_state()
    assert curator.url.endswith(f"/enterprises/{uscc}/contacts"), curator.url
    assert name in curator.locator("h1").inner_text()
    row = curator.locator(f"#{contact_id}")
    assert NAME in row.inner_text() and MOBILE in row.inner_text() and EMAIL in row.inner_text()
    assert cells(curator, contact_id, "consent") == ["是", "是"]
    assert curator.locator("#add-form").count() == 1  # the bureau maintains them too
    shot(curator, "c02-curator-contacts")
    curator.close()

    # the viewer reads the list masked, with nothing to change
    for size, context in (("desktop", DESKTOP), ("mobile", PHONE)):
        viewer = sign_in(browser, stack, "viewer", **context)
        viewer.goto(f"/enterprises/{uscc}/contacts")
        row = viewer.locator(f"#{contact_id}")
        assert "139****5678" in row.inner_text() and "l***@example.com" in row.inner_text()
        assert MOBILE not in viewer.content() and "liu.xiaoyan" not in viewer.content()
        assert viewer.locator("#masked-note").is_visible()
        assert viewer.locator("#content form").count() == 0
        assert cells(viewer, contact_id, "consent") == ["是", "是"]
        if size == "mobile":
            assert fits_the_screen(viewer) and cut_off(viewer, "#contact-list") == []
        shot(viewer, f"c03-viewer-contacts-masked-{size}")
        viewer.close()

    # on a phone: the list reads as cards, nothing cut off, the actions in reach
    phone = sign_in(browser, stack, "curator", **PHONE)
    phone.goto(f"/enterprises/{uscc}/contacts")
    shape = phone.evaluate("""() => [getComputedStyle(document.querySelector(
        '#contact-list tbody tr')).display, getComputedStyle(document.querySelector(
        '#contact-list thead')).position]""")
    assert shape == ["block", "absolute"]  # one card per contact, headers read from labels
    assert fits_the_screen(phone) and cut_off(phone, "#contact-list") == []
    shot(phone, "c04-curator-contacts-mobile")
    phone.close()

    # the firm removes the contact on its phone: only once 确认删除 is ticked
    firm = sign_in(browser, stack, uscc, **PHONE)
    firm.goto("/my/contacts")
    assert fits_the_screen(firm) and cut_off(firm, "#contact-list") == []
    shot(firm, "c05-firm-contacts-mobile")
    number = contact_id.removeprefix("contact-")
    removal = firm.locator(f"#delete-{number}")
    removal.locator(f"#delete-reason-{number}").fill("已离职")
    removal.get_by_role("button", name="删除").click()  # the box unticked: nothing is sent
    assert firm.locator(f"#{contact_id}").count() == 1
    assert not firm.locator(f"#delete-confirm-{number}").evaluate("box => box.validity.valid")
    removal.locator(f"#delete-confirm-{number}").check()
    shot(firm, "c06-firm-removal-confirmed-mobile")
    removal.get_by_role("button", name="删除").click()
    firm.wait_for_load_state()
    assert "已删除联系人" in firm.locator("#done").inner_text()
    assert firm.locator(f"#{contact_id}").count() == 0
    assert firm.locator("#no-contacts").count() == 1
    firm.close()
