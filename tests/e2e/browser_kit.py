"""The browser side of the Chromium journeys: one Chromium per module, sign-in, screenshots.

Shared by every journey file so that each signs in and saves its screenshots the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from e2e_stack import CHROMIUM_ARGS
from e2e_stack import SCREENSHOTS
from e2e_stack import Stack
from playwright.sync_api import Browser
from playwright.sync_api import Page
from playwright.sync_api import sync_playwright


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    SCREENSHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_in(browser: Browser, stack: Stack, username: str, **context: Any) -> Page:
    """A new page signed in as ``username`` (downloads accepted, for the export journeys)."""
    page = browser.new_page(base_url=stack.base_url, accept_downloads=True, **context)
    page.goto("/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(stack.password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()[:2000]
    return page
