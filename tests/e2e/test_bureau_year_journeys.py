"""Issue 12 item 7: the bureau's year in headless Chromium over the whole stack.

A curator opens the year's round of the tech-SME pool on /rounds with a quota of 20, filters
the candidates the ranking offers (a verdict, a town by name), ticks a batch and moves it
nominate → screen → admit with one reason per step, sees "已入库 n / 名额 20", publishes the
入库名单, opens the printable roster and downloads its XLSX (read back with openpyxl: the
admitted firms by name, no one else). Then the curator takes responsibility for a firm,
records a visit whose follow-up fell due yesterday, and finds it as overdue on /worklist.

The Flask-client tests in tests/gateway/integration/test_round_desk_and_services.py pin the
refusals (422 beside the field, 409 "未执行"); these check what a browser shows. Scoring
judges the demo firms after the stack starts, so the candidates are polled for.
Screenshots go to tests/e2e/screenshots/ (prefix ``y``) to be looked at.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import pytest
from browser_kit import shot
from browser_kit import sign_in
from e2e_stack import Stack
from e2e_stack import poll
from openpyxl import load_workbook
from playwright.sync_api import Browser
from playwright.sync_api import Page

from yumiao_common.clock import beijing_today

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 900}}
PHONE: dict[str, Any] = {"viewport": {"width": 390, "height": 844}, "is_mobile": True,
                         "has_touch": True}
EVENT_TIMEOUT = 120.0
#: Scoring judges 3,000 demo firms in every tier after the stack is up; on a loaded machine the
#: high-tech verdicts reach the registry's readiness table minutes later.
READINESS_TIMEOUT = 600.0
#: How many candidates the curator nominates, and how many of them end up admitted.
BATCH, ADMIT = 3, 2
POOL_NAME = "科技型中小企业库"


def fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth"))


def candidate_names(page: Page) -> list[str]:
    return [n.strip() for n in page.locator("#candidates li.candidate strong").all_inner_texts()]


def tick(page: Page, section: str, names: list[str]) -> None:
    """Tick the firms named, as a person would: by the label with the firm's name."""
    for name in names:
        page.locator(f"{section} li").filter(has_text=name).get_by_role("checkbox").check()


def batch(page: Page, section: str, action: str, reason: str, button: str) -> None:
    page.locator(f"#f-{action}-reason").fill(reason)
    page.locator(section).get_by_role("button", name=button).click()
    page.wait_for_load_state()


def test_a_round_runs_from_candidates_to_the_published_roster(
    stack: Stack, browser: Browser
) -> None:
    """The tech-SME pool's round: the demo's high-tech reserve has no candidate (every firm
    scoring finds ready for the high-tech title already holds it), the tech-SME pool has
    hundreds; its quota is typed (the high-tech reserve's 20 is the default only there)."""
    curator = sign_in(browser, stack, "curator", **DESKTOP)
    year = beijing_today().year
    curator.goto("/rounds")
    assert "年度遴选" in curator.locator("h1").inner_text()
    form = curator.locator("#round-new")
    form.get_by_label("培育库").select_option(label=POOL_NAME)
    form.get_by_label("年度").fill(str(year))
    form.get_by_label("名额", exact=False).fill("20")
    form.get_by_label("开始日期").fill(f"{year}-03-01")
    form.get_by_label("截止日期").fill(f"{year}-12-31")
    form.get_by_label("原因", exact=False).fill("e2e：年度集中遴选")
    shot(curator, "y01-rounds-new")
    form.get_by_role("button", name="新建").click()
    curator.wait_for_load_state()
    assert re.search(r"/rounds/\d+$", curator.url), curator.url
    desk = curator.url
    assert curator.locator("#round-title").inner_text() == f"{POOL_NAME} · {year}"
    assert "已入库 0 / 名额 20" in curator.locator("#round-quota").inner_text()

    def offered() -> bool:  # the registry learns the verdicts from scoring's events
        curator.goto(desk)
        return len(candidate_names(curator)) >= BATCH

    poll(offered, timeout=READINESS_TIMEOUT, every=10.0, what="the round's candidates")
    cards = curator.locator("#candidates li.candidate").all_inner_texts()
    assert all("符合条件" in c or "差距较小" in c for c in cards), cards[:3]
    shot(curator, "y02-round-candidates")

    # filters: a verdict, then a town picked by name; the page keeps what was chosen
    filters = curator.locator("#candidate-filters")
    filters.get_by_label("符合条件").check()
    filters.get_by_role("button", name="筛选").click()
    curator.wait_for_load_state()
    assert "verdict=eligible" in curator.url
    assert curator.locator("#candidate-filters").get_by_label("符合条件").is_checked()
    eligible = curator.locator("#candidates li.candidate").all_inner_texts()
    assert all("符合条件" in c and "差距较小" not in c for c in eligible), eligible[:3]
    chosen = candidate_names(curator)[:BATCH]  # the best ready firms
    assert len(chosen) == BATCH and len(set(chosen)) == BATCH, chosen
    curator.goto(desk)
    first = curator.locator("#candidates li.candidate").filter(has_text=chosen[0])
    town = first.locator("small").inner_text().split(" · ")[0].strip()
    filters.get_by_label("镇街").select_option(label=town)
    filters.get_by_role("button", name="筛选").click()
    curator.wait_for_load_state()
    assert filters.locator("#f-town option:checked").inner_text() == town
    towns = {t.split(" · ")[0].strip()
             for t in curator.locator("#candidates li.candidate small").all_inner_texts()}
    assert towns == {town} and chosen[0] in candidate_names(curator), towns
    shot(curator, "y02b-round-candidates-by-town")

    curator.goto(desk)
    tick(curator, "#candidates", chosen)
    batch(curator, "#nominate-form", "nominate", f"{year} 年集中遴选", "提名所选")
    assert f"已办理：提名 {BATCH} 家" in curator.locator("#desk-moved").inner_text()
    nominated = curator.locator("#stage-nominated li.member strong").all_inner_texts()
    assert sorted(n.strip() for n in nominated) == sorted(chosen)
    assert not set(chosen) & set(candidate_names(curator))  # members leave the candidates

    tick(curator, "#stage-nominated", chosen)
    batch(curator, "#screen-form", "screen", "材料齐全", "遴选通过所选")
    assert f"已办理：遴选通过 {BATCH} 家" in curator.locator("#desk-moved").inner_text()
    admitted = chosen[:ADMIT]
    tick(curator, "#stage-screened", admitted)
    batch(curator, "#admit-form", "admit", "专家评审通过", "入库所选")
    assert f"已办理：入库 {ADMIT} 家" in curator.locator("#desk-moved").inner_text()
    quota = curator.locator("#round-quota").inner_text()
    assert f"已入库 {ADMIT} / 名额 20" in quota, quota
    listed = [n.strip() for n in curator.locator("#stage-admitted li.member strong")
              .all_inner_texts()]
    assert sorted(listed) == sorted(admitted)
    still = [n.strip() for n in curator.locator("#stage-screened li.member strong")
             .all_inner_texts()]
    assert still == chosen[ADMIT:]
    shot(curator, "y03-round-admitted")

    batch(curator, "#publish-form", "publish", "公示期满，无异议", "公布")
    assert "入库名单已公布" in curator.locator("#desk-moved").inner_text()
    assert "已公布" in curator.locator("#round-status").inner_text()
    assert curator.locator("#nominate-form, #publish-form").count() == 0  # no more moves
    shot(curator, "y04-round-published")

    curator.locator("#roster-link").click()
    curator.wait_for_load_state()
    assert curator.url.endswith("/roster")
    assert f"{POOL_NAME} · {year}" in curator.locator("#roster-title").inner_text()
    assert curator.locator("#roster-table tbody tr").count() == ADMIT
    names = curator.locator("#roster-table tbody td:nth-child(3)").all_inner_texts()
    assert sorted(n.strip() for n in names) == sorted(admitted)
    stages = curator.locator("#roster-table tbody td:nth-child(4)").all_inner_texts()
    assert {s.strip() for s in stages} == {"入库"}, stages
    shot(curator, "y05-roster-printable")

    with curator.expect_download(timeout=120_000) as info:
        curator.locator("#roster-xlsx").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(info.value.path().read_bytes()))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert str(rows[0][0]).startswith(f"{year} 年度") and POOL_NAME in str(rows[0][0])
    headers = [str(h) for h in rows[1]]
    name_col = next(i for i, h in enumerate(headers) if h.startswith("企业名称"))
    firms = [r[name_col] for r in rows[2:] if any(c is not None for c in r)]
    assert sorted(firms) == sorted(admitted), firms

    curator.goto("/rounds")
    card = curator.locator("#round-list li.round").filter(has_text=f"{POOL_NAME} · {year}")
    assert "已公布" in card.inner_text() and f"已入库 {ADMIT} / 名额 20" in card.inner_text()
    shot(curator, "y05b-rounds-list")
    curator.close()


def test_a_visit_with_a_follow_up_due_yesterday_is_overdue_on_the_worklist(
    stack: Stack, browser: Browser
) -> None:
    curator = sign_in(browser, stack, "curator", **DESKTOP)
    uscc = stack.enterprises[len(stack.enterprises) // 2]
    name = str(curator.request.get(f"/api/v1/enterprises/{uscc}").json()["name"])
    curator.goto(f"/enterprises/{uscc}")
    services = curator.locator("#services")
    if curator.locator("#curator-take").count():
        curator.locator("#curator-take").click()
        curator.wait_for_load_state()
    assert "curator" in services.locator("#responsible").inner_text() or \
        curator.locator("#curator-take").count() == 0
    served = beijing_today() - timedelta(days=7)
    due = beijing_today() - timedelta(days=1)
    follow_up = "补充研发费用辅助账"
    form = curator.locator("#service-form")
    form.get_by_label("服务类型").select_option(label="走访")
    form.get_by_label("服务日期").fill(served.isoformat())
    form.get_by_label("服务内容").fill("上门走访，了解研发投入与高企申报准备")
    form.get_by_label("跟进事项").fill(follow_up)
    form.get_by_label("跟进期限").fill(due.isoformat())
    shot(curator, "y06-service-form")
    form.get_by_role("button", name="保存").click()
    curator.wait_for_load_state()
    assert curator.locator("#service-saved").is_visible()
    record = curator.locator("#service-list li.service").filter(has_text=follow_up)
    assert record.count() == 1
    text = record.inner_text()
    assert f"{served.isoformat()} · 走访" in text and due.isoformat() in text
    assert "仅局内可见" in text
    shot(curator, "y07-service-saved")

    curator.locator("header").get_by_role("link", name=re.compile("工作清单")).click()
    curator.wait_for_load_state()
    assert curator.url.endswith("/worklist")
    overdue = curator.locator("#overdue li").filter(has_text=follow_up)
    assert overdue.count() == 1, curator.locator("#overdue").inner_text()
    line = overdue.inner_text()
    assert name in line and due.isoformat() in line and "逾期 1 天" in line, line
    assert overdue.get_by_role("link", name=name).get_attribute("href") == \
        f"/enterprises/{uscc}"
    mine = curator.locator("#firms tbody tr").filter(has_text=name)
    assert mine.count() == 1 and served.isoformat() in mine.inner_text()
    shot(curator, "y08-worklist-overdue")
    curator.close()

    phone = sign_in(browser, stack, "curator", **PHONE)
    phone.goto("/worklist")
    assert phone.locator("#overdue li").filter(has_text=follow_up).count() == 1
    assert fits_the_screen(phone)
    shot(phone, "y09-worklist-mobile")
    phone.close()
