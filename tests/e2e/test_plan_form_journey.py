"""Issue 13: the bureau's plan form in headless Chromium over the whole stack.

The admin opens the progress page, follows 新建规划, types a period and lists its years (the
page comes back with one input per year, nothing saved), fills the high-tech count (家) with a
baseline, final target, yearly targets, a note and two towns' targets (the per-town total is
shown) and the R&D growth rate (%), saves, and finds the plan on the progress page with its
targets in words and units. Then the same admin edits it in two browser contexts: the desktop
saves first, the phone's save is stale and comes back with what was typed kept, the stored
value beside each field that differs and who changed it; saving again stores the phone's
values.

The plan is a new one for 2020–2022, the plan before the demo's (the API holds any number of
plans): the plan in force (the one covering today's year, else the latest begun) stays the
demo's seeded 2023–2025 plan, which the dashboard and the progress page show by default, so no
other journey sees this one. A period after today's year would not do: the registry reports a
plan only for years up to this one, so its progress page has nothing to show yet. The
Flask-client tests in tests/gateway/integration/test_plan_form.py pin the refusals and
warnings; these check what a browser shows, on a phone too. Screenshots go to
tests/e2e/screenshots/ (prefix ``p``).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser_kit import shot
from browser_kit import sign_in
from e2e_stack import Stack
from playwright.sync_api import Browser
from playwright.sync_api import Page

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 900}}
PHONE: dict[str, Any] = {"viewport": {"width": 390, "height": 844}, "is_mobile": True,
                         "has_touch": True}
START, END = 2020, 2022  # before the demo's plan (2023–2025); no journey holds another
YEARS = [str(y) for y in range(START, END + 1)]
TITLE = f"e2e 三年行动计划（{START}-{END}年）"
HNTE, GROWTH = "hnte_held", "rd_growth"  # 高新技术企业数 (家), 研发费用增长率 (%)
SHAZHEN, TANGYI = "沙镇镇", "堂邑镇"


def fits_the_screen(page: Page) -> bool:
    """No horizontal scrolling. Against the viewport as set, not ``innerWidth``: a mobile
    Chromium zooms out to a page wider than the screen, and innerWidth grows with it."""
    width = (page.viewport_size or {"width": 0})["width"]
    return bool(page.evaluate(
        "(w) => document.documentElement.scrollWidth <= w", width))


def inputs_cut_off(page: Page, selector: str) -> list[str]:
    """The visible inputs under ``selector`` not wholly inside the window (or hidden by a
    scrolling box around them)."""
    width = (page.viewport_size or {"width": 0})["width"]
    return list(page.evaluate(
        """([sel, w]) => Array.from(document.querySelectorAll(sel + ' input')).filter(i => {
             const r = i.getBoundingClientRect();
             if (r.width === 0) return false;
             for (let p = i.parentElement; p; p = p.parentElement) {
               const b = p.getBoundingClientRect();
               if (getComputedStyle(p).overflowX !== 'visible' &&
                   (r.left < b.left - 1 || r.right > b.right + 1)) return true;
             }
             return r.left < 0 || r.right > w;
           }).map(i => i.name)""", [selector, width]))


def plan_titles(page: Page) -> list[str]:
    items = page.request.get("/api/v1/plans?limit=200").json()["items"]
    return [str(p["title"]) for p in items]


def untick_all_but(page: Page, keep: set[str]) -> None:
    for box in page.locator("#plan-form fieldset.indicator legend input[type=checkbox]").all():
        key = str(box.get_attribute("name")).removeprefix("use_")
        box.set_checked(key in keep)


def open_towns(page: Page, key: str) -> None:
    towns = page.locator(f"#indicator-{key} details.towns")
    if towns.get_attribute("open") is None:
        towns.locator("summary").click()


def test_an_admin_sets_a_plan_with_yearly_and_town_targets_and_meets_a_stale_edit(
    stack: Stack, browser: Browser
) -> None:
    admin = sign_in(browser, stack, "admin", **DESKTOP)
    admin.goto("/reports/progress")
    in_force = admin.locator("#progress-source").inner_text()
    before = plan_titles(admin)
    assert TITLE not in before
    admin.locator("#new-plan").click()
    admin.wait_for_load_state()
    assert admin.url.endswith("/reports/plans/new")
    assert "新建规划" in admin.locator("h1").inner_text()
    hnte = admin.locator(f"#indicator-{HNTE}")
    assert "家" in hnte.locator(":scope > legend").inner_text()
    assert "统计日（当年12月31日）持有有效高新技术企业证书" in hnte.locator(".rule").inner_text()

    # a period typed, its years listed: one input per year, nothing saved
    admin.get_by_label("规划名称").fill(TITLE)
    admin.get_by_label("文号").fill(f"东政发〔{START}〕9号")
    admin.get_by_label("起始年").fill(str(START))
    admin.get_by_label("终止年").fill(str(END))
    admin.locator("#list-years").click()
    admin.wait_for_load_state()
    heads = admin.locator(f"#yearly-{HNTE} .year label").all_inner_texts()
    assert [h.strip() for h in heads] == YEARS, heads
    assert admin.get_by_label("规划名称").input_value() == TITLE  # what was typed is kept
    assert plan_titles(admin) == before  # listing the years saves nothing

    untick_all_but(admin, {HNTE, GROWTH})
    hnte.get_by_label("基期值").fill("118")
    hnte.get_by_label("期末目标").fill("150")
    for year, value in zip(YEARS, ("130", "140", "150"), strict=True):
        hnte.get_by_label(f"高新技术企业数 {year}").fill(value)
    hnte.get_by_label("说明", exact=False).fill("第8条 高企倍增")
    open_towns(admin, HNTE)
    towns = admin.locator(f"#towns-{HNTE}")
    towns.get_by_label(SHAZHEN, exact=True).fill("30")
    towns.get_by_label(TANGYI, exact=True).fill("25")
    growth = admin.locator(f"#indicator-{GROWTH}")
    assert "%" in growth.locator(":scope > legend").inner_text()
    growth.get_by_label("期末目标").fill("15")
    for year, value in zip(YEARS, ("12", "13.5", "15"), strict=True):
        growth.get_by_label(f"研发费用增长率 {year}").fill(value)
    admin.locator("#list-years").click()  # the page again, with the towns' total
    admin.wait_for_load_state()
    assert admin.locator(f"#town-sum-{HNTE}").inner_text() == "55"
    assert admin.locator(f"#indicator-{HNTE} details.towns").get_attribute("open") is not None
    assert admin.locator(f"#f-year_{HNTE}_{END}").input_value() == "150"
    assert not admin.locator("#use_srdi_provincial_held").is_checked()
    assert plan_titles(admin) == before
    shot(admin, "p01-plan-new-filled")

    admin.get_by_label("依据").fill("e2e：区政府印发")
    admin.get_by_role("button", name="保存规划").click()
    admin.wait_for_load_state()
    match = re.search(r"/reports/progress\?plan=(\d+)$", admin.url)
    assert match, admin.url
    plan_id = int(match.group(1))
    assert TITLE in admin.locator("#progress-source").inner_text()
    assert f"{TITLE}（{START}–{END}）" in admin.locator("#plan option:checked").inner_text()
    rows = {r.locator("th").inner_text().split("\n")[0].strip(): r.locator("td").all_inner_texts()
            for r in admin.locator("#progress-table tbody tr").all()}
    assert set(rows) == {"高新技术企业数", "研发费用增长率"}, rows
    unit, baseline, target = (c.strip() for c in rows["高新技术企业数"][:3])
    assert (unit, baseline) == ("家", "118"), rows
    assert target == "150", rows  # the last year's, the period being over
    assert rows["研发费用增长率"][0].strip() == "%"
    assert rows["研发费用增长率"][2].strip() == "15.00 %", rows
    admin.locator("#progress-table details").first.locator("summary").click()
    assert "持有有效高新技术企业证书" in admin.locator("#progress-table details").first.inner_text()
    by_town = admin.locator("#progress-towns tbody tr")
    assert "/ 30" in by_town.filter(has_text=SHAZHEN).inner_text()
    assert "/ 25" in by_town.filter(has_text=TANGYI).inner_text()
    shot(admin, "p02-progress-new-plan")
    admin.goto("/reports/progress")  # the plan in force is still the one it was
    assert admin.locator("#progress-source").inner_text() == in_force

    # the stored plan read back through the API
    plan = admin.request.get(f"/api/v1/plans/{plan_id}").json()
    got = {i["measure"]: i for i in plan["indicators"]}
    assert set(got) == {HNTE, GROWTH}
    assert got[HNTE]["yearly_targets"] == dict(
        zip(YEARS, ("130.00", "140.00", "150.00"), strict=True))
    assert sorted(got[HNTE]["town_targets"].values()) == ["25.00", "30.00"]
    assert got[GROWTH]["yearly_targets"][YEARS[1]] == "13.50"

    # the edit form; a phone opens it too, then the desktop saves first
    admin.goto(f"/reports/progress?plan={plan_id}")
    admin.locator("#edit-plan").click()
    admin.wait_for_load_state()
    assert admin.url.endswith(f"/reports/plans/{plan_id}/edit")
    assert admin.locator(f"#f-baseline_{HNTE}").input_value() == "118"
    assert admin.locator(f"#f-year_{HNTE}_{YEARS[1]}").input_value() == "140"
    assert admin.locator(f"#town-sum-{HNTE}").inner_text() == "55"
    phone = sign_in(browser, stack, "admin", **PHONE)
    phone.goto(f"/reports/plans/{plan_id}/edit")
    open_towns(phone, HNTE)
    assert fits_the_screen(phone)
    assert inputs_cut_off(phone, "#plan-form") == []
    shot(phone, "p03-plan-edit-mobile")

    admin.locator(f"#f-final_target_{HNTE}").fill("160")
    admin.locator(f"#f-year_{HNTE}_{END}").fill("160")
    admin.get_by_label("依据").fill("e2e：中期调整")
    admin.get_by_role("button", name="保存规划").click()
    admin.wait_for_load_state()
    assert admin.url.endswith(f"/reports/progress?plan={plan_id}")

    # the phone's save is stale: its values kept, the stored ones beside the fields
    phone.locator(f"#f-baseline_{HNTE}").fill("120")
    phone.locator(f"#towns-{HNTE}").get_by_label(TANGYI, exact=True).fill("35")
    phone.get_by_label("依据").fill("e2e：基期值更正")
    phone.get_by_role("button", name="保存规划").click()
    phone.wait_for_load_state()
    conflict = phone.locator("#conflict")
    assert conflict.is_visible()
    assert "已被他人修改" in conflict.inner_text()
    assert "admin" in phone.locator("#conflict-who").inner_text()
    assert "中期调整" in conflict.inner_text()
    assert phone.locator(f"#f-baseline_{HNTE}").input_value() == "120"  # typed, kept
    assert phone.locator(f"#f-final_target_{HNTE}").input_value() == "150"
    assert "160" in phone.locator(f"#s-final_target_{HNTE}").inner_text()
    assert "160" in phone.locator(f"#s-year_{HNTE}_{END}").inner_text()
    assert "118" in phone.locator(f"#s-baseline_{HNTE}").inner_text()
    assert "25" in phone.locator(f"#s-town_{HNTE}_371502102").inner_text()
    assert phone.locator(f"#s-year_{HNTE}_{YEARS[1]}").count() == 0  # the same: nothing beside it
    assert phone.locator(f"#town-sum-{HNTE}").inner_text() == "65"
    open_towns(phone, HNTE)
    assert fits_the_screen(phone)
    assert inputs_cut_off(phone, "#plan-form") == []
    shot(phone, "p04-plan-stale-mobile")

    phone.get_by_role("button", name="以我的内容保存").click()
    phone.wait_for_load_state()
    assert phone.url.endswith(f"/reports/progress?plan={plan_id}")
    assert fits_the_screen(phone)
    shot(phone, "p05-progress-mobile")
    phone.goto("/reports/progress")  # the demo's plan, with every indicator, fits too
    assert phone.locator("#progress-source").inner_text() == in_force
    assert fits_the_screen(phone)
    shot(phone, "p05b-progress-in-force-mobile")
    plan = admin.request.get(f"/api/v1/plans/{plan_id}").json()
    hnte_held = next(i for i in plan["indicators"] if i["measure"] == HNTE)
    assert (hnte_held["baseline"], hnte_held["final_target"]) == ("120.00", "150.00")
    assert hnte_held["town_targets"]["371502102"] == "35.00"
    journal = admin.request.get(f"/api/v1/plans/{plan_id}/journal").json()["items"]
    assert [e["reason"] for e in journal] == ["e2e：区政府印发", "e2e：中期调整", "e2e：基期值更正"]

    # the new form on a phone: the period's years listed, every input on the screen
    phone.goto("/reports/plans/new")
    phone.get_by_label("起始年").fill(str(START))
    phone.get_by_label("终止年").fill(str(END + 2))
    phone.locator("#list-years").click()
    phone.wait_for_load_state()
    assert phone.locator(f"#yearly-{HNTE} input").count() == END + 2 - START + 1
    open_towns(phone, HNTE)
    assert fits_the_screen(phone)
    assert inputs_cut_off(phone, "#plan-form") == []
    shot(phone, "p06-plan-new-mobile")
    assert sorted(plan_titles(phone)) == sorted([*before, TITLE])  # one plan made, no more
    phone.close()
    admin.close()
