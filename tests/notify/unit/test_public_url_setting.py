"""NOTIFY_PUBLIC_URL: the address a notice's link starts with; an address a reader could not
follow is refused at start-up, an empty variable means no link."""

from __future__ import annotations

import uuid

import pytest
from pydantic import ValidationError

from notify.domain.links import notice_url
from notify.domain.links import with_link
from notify.settings import Settings

NOTICE = uuid.UUID("0b7e6a52-52c1-4b43-9a36-3f6f0d0d0c01")


@pytest.mark.parametrize("value", ["127.0.0.1:8000", "ftp://yumiao.example", "/my",
                                   "https://", "https://x.example/?a=1", "https://x#y"])
def test_an_address_a_reader_cannot_follow_is_refused(value: str) -> None:
    with pytest.raises(ValidationError, match="NOTIFY_PUBLIC_URL"):
        Settings(public_url=value)


@pytest.mark.parametrize(("value", "link"), [
    ("", None), (None, None),
    ("http://127.0.0.1:8000/", f"http://127.0.0.1:8000/my/notices#n-{NOTICE}"),
    ("https://yumiao.example.gov.cn/portal", f"https://yumiao.example.gov.cn/portal/my/notices"
                                             f"#n-{NOTICE}"),
])
def test_the_link_points_at_the_notice_in_the_portal(value: str | None, link: str | None
                                                     ) -> None:
    assert notice_url(Settings(public_url=value).public_url, NOTICE) == link


def test_the_body_ends_with_the_link_in_the_notice_language() -> None:
    body = "请登录育苗平台查看详情并按期申报。\n"
    assert with_link(body, "zh-CN", "http://h/my/notices#n-1") == (
        "请登录育苗平台查看详情并按期申报。\n查看详情并申报：http://h/my/notices#n-1\n")
    assert with_link(body, "zh-CN", None) == body
