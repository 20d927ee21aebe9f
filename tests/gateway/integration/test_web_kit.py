"""Shared by the web UI tests (no tests here): browser-style sign-in, canned upstream answers."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from gateway_testkit import PASSWORD
from gateway_testkit import RecordingUpstream
from gateway_testkit import json_response

TOKEN = re.compile(r'name="(?:login_token|csrf_token)" value="([^"]+)"')


def form_token(html: str) -> str:
    match = TOKEN.search(html)
    assert match, "no token in the page"
    return match.group(1)


def sign_in(app: Flask, username: str) -> FlaskClient:
    """Sign in the way a browser does: GET /login, POST the form with its token."""
    client = app.test_client()
    page = client.get("/login")
    resp = client.post("/login", data={"username": username, "password": PASSWORD,
                                       "login_token": form_token(page.get_data(as_text=True))})
    assert resp.status_code == 303, resp.get_data(as_text=True)[:500]
    return client


def csrf_of(client: FlaskClient) -> str:
    return str(client.get("/api/v1/auth/session").get_json()["csrf_token"])


def criterion(status: str, **extra: Any) -> dict[str, Any]:
    return {"id": "rd_ratio", "title": {"zh": "研发费用占比", "en": "R&D ratio"},
            "citation": "国科发火〔2016〕32号 第十一条(四)", "status": status, "actual": "3.2",
            "required": "4", "requirement": "≥ 4%", "unit": "percent", **extra}


FAIL_GAP = {"amount": "640000", "unit": "yuan",
            "text_zh": "研发费用占比：实际 3.2%，要求 ≥ 4%；还需增加研发费用 ¥640,000",
            "text_en": "R&D ratio: 3.2% against ≥ 4%; ¥640,000 more R&D spend would meet it"}
HNTE_RESULT = {"tier": "hnte", "verdict": "near", "score": None,
               "criteria": [criterion("fail", gap=FAIL_GAP), criterion("pass")],
               "next_steps": [{"text_zh": "增加研发投入 ¥640,000",
                               "text_en": "Spend ¥640,000 more"}],
               "rulebook_version": "hnte-2016", "uses_local_parameter": False}


def canned(upstreams: dict[str, RecordingUpstream], service: str, path: str, body: Any,
           method: str = "GET", status: int = 200) -> None:
    upstreams[service].routes[(method, path)] = json_response(body, status)


#: The self-check's required answers (marked * on the form): a check without them asks for
#: them instead of answering.
CHECK_REQUIRED = {"established_on": "2015-01-01", "industry_code": "C3451",
                  "tax_method": "audited", "flags": "none", "employees": "100",
                  "operating_revenue": "40000000", "sales_revenue": "40000000",
                  "rd_expense": "2400000", "total_assets": "30000000",
                  "total_liabilities": "12000000"}


def list_page(items: list[Any], next_cursor: str | None = None) -> dict[str, Any]:
    """An upstream list's answer in the one pagination dialect (``items``/``next_cursor``/
    ``total``)."""
    return {"items": items, "next_cursor": next_cursor, "total": len(items)}
