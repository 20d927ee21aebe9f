"""After sign-in the browser goes only to a path of this site (issue 9, item 3).

``next=/\\t/evil.example/x`` used to pass the check and the browser, which drops tabs and reads
backslashes as slashes, followed it to ``//evil.example/x``. Each value is judged after that
normalisation; the table holds the attacks and the paths that must keep working.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from flask import Flask
from gateway_testkit import PASSWORD

from gateway.domain.redirects import same_site_path

sys.path.insert(0, str(Path(__file__).parent))
from test_web_kit import form_token  # noqa: E402

pytestmark = pytest.mark.integration

ATTACKS = [
    "//evil.example/x", "/\\evil.example/x", "\\\\evil.example", "/\t/evil.example/x",
    "/\n/evil.example", "/\r\n/evil.example", "\t//evil.example", " //evil.example",
    "\x00//evil.example", "/\\\t\\evil.example", "/\x01/evil.example",
    "https://evil.example/", "http:evil.example", "javascript:alert(1)", "JavaScript:alert(1)",
    "data:text/html,x", "evil.example", "//", "\\/evil.example", "/" + "\\" * 3 + "evil.example",
    "", "/" + "a" * 3000,
]
GOOD = [
    ("/", "/"), ("/dashboard", "/dashboard"), ("/enterprises?q=%E5%B7%A5&page=2",
                                               "/enterprises?q=%E5%B7%A5&page=2"),
    ("/rankings/hnte#top", "/rankings/hnte#top"), (" /my ", "/my"),
    ("/my/\tnotices", "/my/notices"),
]


@pytest.mark.parametrize("target", ATTACKS)
def test_an_attack_never_leaves_the_site(target: str) -> None:
    assert same_site_path(target) is None


@pytest.mark.parametrize(("target", "expected"), GOOD)
def test_a_same_site_path_is_kept_as_the_browser_reads_it(target: str, expected: str) -> None:
    assert same_site_path(target) == expected


@pytest.mark.parametrize("target", ["/\t/evil.example/x", "/\\evil.example", "https://evil.example"])
def test_sign_in_form_with_a_hostile_next_lands_on_the_home_page(app: Flask, target: str) -> None:
    client = app.test_client()
    page = client.get("/login")
    resp = client.post("/login", data={"username": "curator", "password": PASSWORD,
                                       "next": target,
                                       "login_token": form_token(page.get_data(as_text=True))})
    assert resp.status_code == 303
    assert resp.headers["Location"] == "/"


def test_sign_in_form_keeps_a_same_site_next(app: Flask) -> None:
    client = app.test_client()
    page = client.get("/login")
    resp = client.post("/login", data={"username": "curator", "password": PASSWORD,
                                       "next": "/enterprises?page=2",
                                       "login_token": form_token(page.get_data(as_text=True))})
    assert resp.status_code == 303 and resp.headers["Location"] == "/enterprises?page=2"
