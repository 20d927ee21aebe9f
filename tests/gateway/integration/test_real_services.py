"""The gateway in front of the real registry, scoring and notify (each on its own SQLite file).

The three services are built with their own ``create_app`` and served over HTTP on free
ports, demanding the internal token. The isolation matrix's refusals are replayed against them
and the victim enterprise's data is compared before and after (nothing changed, nothing
leaked); ``/me`` reaches the caller's own records; the merged OpenAPI covers every service;
and the matrix table is checked to cover every id-bearing operation the services publish.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from gateway_testkit import INTERNAL_TOKEN
from gateway_testkit import PASSWORD
from gateway_testkit import USCC_A
from gateway_testkit import USCC_B
from gateway_testkit import RecordingUpstream
from gateway_testkit import assert_error_shape
from gateway_testkit import bearer
from gateway_testkit import gateway_before
from matrix_table import OPERATIONS
from service_apps import migrated_service_apps

sys.path.insert(0, str(Path(__file__).parent))  # test_web_kit, beside this file
from test_web_kit import CHECK_REQUIRED  # noqa: E402

pytestmark = pytest.mark.integration
CALLERS = ("other_enterprise", "viewer", "curator")


@pytest.fixture(scope="module")
def real(make_sqlite_url: Callable[[str], str], migrated_url: str, app: Flask,
         upstreams: dict[str, RecordingUpstream]) -> Iterator[FlaskClient]:
    """A gateway client whose upstreams are the real services (``app`` made the accounts)."""
    apps = migrated_service_apps(make_sqlite_url, prefix="gw", token=INTERNAL_TOKEN)
    firms = {USCC_A: "甲公司 / Victim Co", USCC_B: "乙公司 / Other Co"}
    with gateway_before(apps, migrated_url, upstreams, firms) as gateway:
        yield gateway.test_client()


def _snapshot(client: FlaskClient, admin: dict[str, str]) -> dict[str, Any]:
    paths = ["enterprises/{A}", "enterprises/{A}/profile", "enterprises/{A}/memberships",
             "enterprises/{A}/certifications", "enterprises/{A}/financials",
             "enterprises/{A}/audit", "enterprises/{A}/notices",
             "enterprises/{A}/preferences", "enterprises/{A}/evaluations"]
    return {p: (r.status_code, r.get_json()) for p in paths
            for r in [client.get("/api/v1/" + p.format(A=USCC_A), headers=admin)]}


def test_refusals_against_the_real_services_leak_and_change_nothing(real: FlaskClient) -> None:
    tokens = {"viewer": bearer(real, "viewer", PASSWORD),
              "curator": bearer(real, "curator", PASSWORD),
              "other_enterprise": bearer(real, USCC_B, PASSWORD)}
    admin = bearer(real, "admin", PASSWORD)
    before = _snapshot(real, admin)
    refused = 0
    for op in OPERATIONS:
        for caller in CALLERS:
            if caller in op.allowed:
                continue
            resp = real.open(op.url, method=op.method, json=op.body, headers=tokens[caller])
            assert resp.status_code in (401, 403, 404), (op.id, caller, resp.get_json())
            assert_error_shape(resp.get_json(), resp.status_code)
            assert USCC_A not in resp.get_data(as_text=True)
            refused += 1
    assert refused >= len(OPERATIONS)  # every operation refused at least the other enterprise
    assert _snapshot(real, admin) == before


def test_me_reaches_the_callers_own_records_only(real: FlaskClient) -> None:
    mine = real.get("/api/v1/me/enterprise", headers=bearer(real, USCC_B, PASSWORD))
    assert mine.status_code == 200 and mine.get_json()["uscc"] == USCC_B
    assert USCC_A not in mine.get_data(as_text=True)
    theirs = real.get("/api/v1/me/enterprise", headers=bearer(real, USCC_A, PASSWORD))
    assert theirs.get_json()["uscc"] == USCC_A


CHECK_PROFILE = {
    "as_of": "2025-06-30",
    "enterprise": {"uscc": USCC_A, "name": "聊城自测有限公司", "established_on": "2015-01-01",
                   "division_code": "371502", "industry_code": "C3451", "tax_method": "audited"},
    "financials": [{"year": 2024, "employees": 100, "science_staff": 30,
                    "sales_revenue": 40000000, "operating_revenue": 40000000,
                    "rd_expense": 2400000, "total_assets": 50000000}],
}


def test_anonymous_eligibility_check_answers_the_summary_view(real: FlaskClient) -> None:
    resp = real.post("/api/v1/eligibility/check", json=CHECK_PROFILE)
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert body["view"] == "summary" and len(body["results"]) == 8
    tech = body["results"]["tech_sme"]
    assert tech["counts"]["pass"] > 0  # passing criteria are counted, not listed
    assert {c["status"] for c in tech["criteria"]} <= {"fail", "unknown"}


def test_anonymous_eligibility_check_can_ask_for_every_criterion(real: FlaskClient) -> None:
    resp = real.post("/api/v1/eligibility/check?view=full&tiers=tech_sme", json=CHECK_PROFILE)
    assert resp.status_code == 200, resp.get_json()
    [tech] = resp.get_json()["results"].values()
    assert "pass" in {c["status"] for c in tech["criteria"]}


@pytest.mark.parametrize("revenue", ["1E+999999", "1E+5000"])
def test_anonymous_eligibility_check_refuses_an_absurd_figure_at_once(
    real: FlaskClient, revenue: str
) -> None:
    # issue 9 item 1: the shared profile contract bounds every number, so scoring answers a
    # 422 naming the field instead of stalling a worker (1E+999999) or a 500 (1E+5000)
    year = {**CHECK_PROFILE["financials"][0], "sales_revenue": revenue}  # type: ignore[index]
    resp = real.post("/api/v1/eligibility/check", json={**CHECK_PROFILE, "financials": [year]})
    assert resp.status_code == 422, resp.get_json()
    assert_error_shape(resp.get_json(), 422)
    assert list(resp.get_json()["error"]["fields"]) == ["financials.0.sales_revenue"]


#: The self-check form of a manufacturer (posted as a browser would); today's rulebooks apply.
CHECK_FORM = {**CHECK_REQUIRED, "name": "聊城自测有限公司", "established_on": "2015-01-01",
              "industry_code": "C3451", "employees": "100", "operating_revenue": "40000000",
              "rd_expense": "2400000"}


def _row_status(html: str, title: str) -> str | None:
    """The status class of the criterion row titled ``title`` (None: not listed = passed)."""
    found = re.search(r'<tr class="s-(\w+)">\s*<th scope="row">' + re.escape(title), html)
    return found.group(1) if found else None


def test_self_check_form_answers_the_main_product_and_quality_criteria(
    real: FlaskClient,
) -> None:
    # issue 8 item 6 on the self-check: without the boxes the MIIT product-field criterion
    # and the quality-certification gate are unknown; ticked they are answered
    blank = real.post("/check", data=CHECK_FORM).get_data(as_text=True)
    assert 'name="main_product_fields" value="strategic_emerging"' in blank
    assert _row_status(blank, "主导产品所属领域情况") == "unknown"
    assert _row_status(blank, "获得质量管理体系认证") == "unknown"
    ticked = real.post("/check", data={**CHECK_FORM, "main_product_fields": "strategic_emerging",
                                       "quality_items": "none"}).get_data(as_text=True)
    assert _row_status(ticked, "主导产品所属领域情况") is None  # passed: counted, not listed
    assert _row_status(ticked, "获得质量管理体系认证") == "fail"  # none: known, not unknown
    assert 'value="none" checked' in ticked
    certified = real.post("/check", data={**CHECK_FORM, "quality_items": "iso9001"})
    assert _row_status(certified.get_data(as_text=True), "获得质量管理体系认证") is None


def test_anonymous_eligibility_check_names_the_bad_field(real: FlaskClient) -> None:
    bad = {**CHECK_PROFILE, "enterprise": {**CHECK_PROFILE["enterprise"],  # type: ignore[dict-item]
                                           "uscc": "91371502MA3DHUQR58"}}
    resp = real.post("/api/v1/eligibility/check", json=bad)
    assert resp.status_code == 422
    assert_error_shape(resp.get_json(), 422)
    assert "enterprise.uscc" in resp.get_json()["error"]["fields"]


def test_merged_openapi_covers_every_service(real: FlaskClient) -> None:
    doc = real.get("/api/v1/openapi.json").get_json()
    assert doc["x-yumiao-unavailable"] == []
    for path in ("/api/v1/enterprises/{uscc}/profile", "/api/v1/evaluate",
                 "/api/v1/enterprises/{uscc}/notices", "/api/v1/auth/login"):
        assert path in doc["paths"], path


def _template_regex(path: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$")


def test_matrix_table_covers_every_id_bearing_operation(real: FlaskClient) -> None:
    doc = real.get("/api/v1/openapi.json").get_json()
    missing = []
    for path, item in doc["paths"].items():
        if "{" not in path or path.startswith("/api/v1/me/") or "/accounts/" in path:
            continue
        if path.startswith("/api/v1/sms/receipts/"):  # a public callback: test_isolation_matrix
            continue
        pattern = _template_regex(path)
        for method in item:
            if method not in ("get", "put", "post", "patch", "delete"):
                continue
            if not any(op.method == method.upper() and pattern.match(op.url)
                       for op in OPERATIONS):
                missing.append(f"{method.upper()} {path}")
    assert missing == [], "add these to tests/gateway/matrix_table.py"


#: A plausible small manufacturer, every question of the self-check answered (issue 17 item 1).
SMALL_MANUFACTURER = {
    **CHECK_REQUIRED, "name": "聊城小型零部件有限公司", "established_on": "2015-04-01",
    "industry_code": "C3670", "honours": "none", "employees": "80", "science_staff": "15",
    "rd_staff": "12", "operating_revenue": "30000000", "sales_revenue": "30000000",
    "main_business_revenue": "29000000", "total_income": "30200000", "hightech_revenue": "0",
    "rd_expense": "1200000", "rd_expense_domestic": "1200000", "total_cost": "27000000",
    "total_assets": "25000000", "total_liabilities": "12000000", "net_profit": "1500000",
    "operating_revenue_prev1": "27000000", "sales_revenue_prev1": "27000000",
    "main_business_revenue_prev1": "26000000", "rd_expense_prev1": "1000000",
    "total_assets_prev1": "23000000", "total_liabilities_prev1": "12000000",
    "operating_revenue_prev2": "25000000", "sales_revenue_prev2": "25000000",
    "main_business_revenue_prev2": "24000000", "rd_expense_prev2": "900000",
    "total_assets_prev2": "21000000", "total_liabilities_prev2": "11000000",
    "invention_patents": "0", "utility_models": "6", "utility_models_2y": "4",
    "software_copyrights": "1", "main_product_fields": "six_foundations",
    "quality_items": "iso9001"}


def test_a_complete_self_check_answers_in_one_sentence_what_the_firm_qualifies_for(
    real: FlaskClient,
) -> None:
    form = real.get("/check").get_data(as_text=True)
    for asked in ("企业所得税征收方式", "近三年是否发生以下情形", "收入总额", "前一年度",
                  "前两年度"):
        assert asked in form, asked
    html = real.post("/check", data=SMALL_MANUFACTURER).get_data(as_text=True)
    sentence = re.search(r'<p class="outlook" id="outlook">([^<]+)</p>', html)
    assert sentence, html[:3000]
    assert "贵企业已符合" in sentence.group(1) and "科技型中小企业" in sentence.group(1)
    assert "补充数据：居民企业，实行查账征收" not in html  # the form asked for it
    english = real.post("/check?lang=en", data=SMALL_MANUFACTURER).get_data(as_text=True)
    assert "On these figures the firm qualifies as: Tech-based SME" in english
