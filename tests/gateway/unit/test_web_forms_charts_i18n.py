"""The web UI's pure parts: form parsing, profiles the scoring contract accepts, SVG, language."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from typing import Any

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict

from gateway.web import forms
from gateway.web import results
from gateway.web.charts import Progress
from gateway.web.charts import Stacked
from gateway.web.charts import funnel_chart
from gateway.web.charts import stacked_chart
from gateway.web.charts import target_chart
from gateway.web.i18n import pick
from gateway.web.i18n import t
from yumiao_common.contracts.profile import Profile

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(("name", "raw", "problem"), [
    ("employees", "12.5", "number"),
    ("employees", "-3", "negative"),
    ("rd_expense", "一百万", "number"),
    ("operating_revenue", "1" + "0" * 14, "number"),
    ("established_on", "2020/01/01", "date"),
    ("industry_code", "3451", "industry"),
    ("hightech_field", "space_magic", "choice"),
])
def test_bad_form_values_are_named_and_left_out(name: str, raw: str, problem: str) -> None:
    values, errors = forms.parse(MultiDict({name: raw}))
    assert name not in values
    assert errors[name] == forms.ERRORS[problem]


def test_blank_fields_stay_unknown_and_numbers_accept_thousands_separators() -> None:
    values, errors = forms.parse(MultiDict({"employees": "", "operating_revenue": "48,000,000",
                                            "net_profit": "-20000"}))
    assert errors == {}
    assert values == {"operating_revenue": 48_000_000, "net_profit": -20_000}


def test_a_self_check_profile_is_valid_for_the_scoring_contract() -> None:
    values, _ = forms.parse(MultiDict({
        "name": "聊城测试轴承", "established_on": "2015-03-01", "industry_code": "c3451",
        "hightech_field": "advanced_manufacturing", "employees": "120", "rd_staff": "20",
        "operating_revenue": "48000000", "rd_expense": "2600000", "invention_patents": "2",
        "utility_models": "5"}))
    profile = forms.build_profile(values, date(2025, 6, 30))
    parsed = Profile.model_validate(profile)
    assert parsed.enterprise.industry_code == "C3451"
    assert [f.year for f in parsed.financials] == [2024]
    assert sorted(i.kind for i in parsed.ip).count("utility_model") == 5


def test_what_if_keeps_the_registered_profile_and_only_overrides_the_form() -> None:
    base: dict[str, Any] = {"as_of": "2025-01-01",
            "enterprise": {"uscc": "91110000600037341L", "name": "某公司"},
            "financials": [{"year": 2023, "employees": 90}, {"year": 2024, "employees": 100}],
            "ip": [{"kind": "invention_patent", "number": "ZL1", "acquired_by": "self_developed",
                    "related_to_main_product": True}] * 3}
    profile = forms.build_profile({"employees": 130, "invention_patents": 1}, date(2025, 6, 1),
                                  base)
    assert {r["year"]: r["employees"] for r in profile["financials"]} == {2023: 90, 2024: 130}
    assert len(profile["ip"]) == 1
    assert base["financials"][1]["employees"] == 100  # the registered profile is not touched
    assert forms.form_from_profile(base, 2024) == {
        "uscc": "91110000600037341L", "name": "某公司", "employees": 100, "invention_patents": 3,
        "utility_models": 0, "software_copyrights": 0}


def test_charts_are_well_formed_svg_with_a_title() -> None:
    charts = [
        target_chart("目标", [Progress("高新技术企业", 80, 120), Progress("后备 <&>", 25, 20)]),
        funnel_chart("漏斗", [("nominated", "提名", 40), ("certified", "认定", 0)]),
        stacked_chart("库", [Stacked("高企后备库", [("nominated", 3), ("admitted", 2)])],
                      [("nominated", "提名")]),
    ]
    for svg in charts:
        root = ET.fromstring(str(svg))
        assert root.tag == SVG + "svg" and root.get("role") == "img"
        assert root.find(SVG + "title") is not None
    assert "后备 &lt;&amp;&gt;" in str(charts[0])


def test_progress_share_is_capped_at_the_target() -> None:
    assert Progress("x", 30, 20).share == 1.0
    assert Progress("x", 0, 0).share == 1.0


def test_results_from_both_sources_come_in_ladder_order() -> None:
    evaluated = results.from_evaluate({"results": {"hnte": {"verdict": "near"},
                                                   "tech_sme": {"verdict": "eligible"}}})
    stored = results.from_stored({"evaluations": [
        {"tier": "hnte", "verdict": "near", "result": {"criteria": []}},
        {"tier": "tech_sme", "verdict": "eligible", "result": {}}]})
    assert [r["tier"] for r in evaluated] == [r["tier"] for r in stored] == ["tech_sme", "hnte"]
    assert results.summary(stored)["near"] == 1


@pytest.mark.parametrize(("query", "cookie", "expected"), [
    ("", None, "zh"), ("?lang=en", None, "en"), ("", "en", "en"), ("?lang=zh-CN", "en", "zh"),
    ("?lang=fr", None, "zh"),
])
def test_language_comes_from_the_query_then_the_cookie_then_chinese(
    query: str, cookie: str | None, expected: str
) -> None:
    app = Flask(__name__)
    headers = {"Cookie": f"yumiao_lang={cookie}"} if cookie else {}
    with app.test_request_context("/" + query, headers=headers):
        assert pick("登录 / Sign in") == ("Sign in" if expected == "en" else "登录")
        assert pick({"zh": "中", "en": "E"}) == ("E" if expected == "en" else "中")
        assert t("nav.login") == ("Sign in" if expected == "en" else "登录")


def test_phone_charts_are_drawn_at_a_phones_width_so_labels_keep_their_size() -> None:
    # issue 17 item 9: the 640-unit drawing shrunk to a 390 px phone put 13 px labels at ~7 px
    from gateway.web.charts import NARROW
    from gateway.web.charts import funnel_chart_narrow
    from gateway.web.charts import stacked_chart_narrow
    from gateway.web.charts import target_chart_narrow

    charts = [
        target_chart_narrow("目标", [Progress("高新技术企业", 80, 120)]),
        funnel_chart_narrow("漏斗", [("nominated", "提名", 40), ("certified", "认定（累计）", 3)]),
        stacked_chart_narrow("库", [Stacked("高企后备库", [("nominated", 3)])],
                             [("nominated", "提名"), ("screened", "遴选"), ("admitted", "入库"),
                              ("cultivating", "培育")]),
    ]
    for svg in charts:
        root = ET.fromstring(str(svg))
        assert root.get("viewBox", "").split()[2] == str(NARROW)
        assert "chart-narrow" in (root.get("class") or "")
        label = root.find(SVG + "text")
        bar = root.find(SVG + "rect")
        assert label is not None and bar is not None
        assert float(label.get("y", 0)) < float(bar.get("y", 0))  # the label above its bar
        assert float(label.get("x", 1)) == 0
