"""Issue 17: the pages people use every day — what a curator, a finance manager and a visitor
notice (each test names the item of the issue it covers). Upstreams are recording servers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from flask import Flask
from gateway_testkit import RecordingUpstream

sys.path.insert(0, str(Path(__file__).parent))
from test_web_kit import CHECK_REQUIRED  # noqa: E402

pytestmark = pytest.mark.integration


def test_an_empty_self_check_asks_for_the_required_fields_instead_of_answering(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    client = app.test_client()
    form = client.get("/check").get_data(as_text=True)
    assert form.count('aria-required="true"') >= len(CHECK_REQUIRED) - 1  # the tick list
    assert "带 * 的为必填项" in form
    empty = client.post("/check", data={})
    html = empty.get_data(as_text=True)
    assert empty.status_code == 422 and "此项为必填项" in html
    assert 'href="#f-tax_method"' in html and 'href="#f-flags"' in html
    assert "符合条件" not in html and "信息不足" not in html
    assert not [c for c in upstreams["scoring"].calls if c.method == "POST"]
