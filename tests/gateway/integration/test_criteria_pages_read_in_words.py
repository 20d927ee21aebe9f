"""The enterprise's and the bureau's pages and the self-check show criteria in words and units.

The answers are real: the scoring engine evaluates the scoring tests' baseline firm (strong,
and weakened so gaps open) and the pages render its JSON as served by scoring (fresh answers
with ``*_text``) and as stored before those texts existed (typed values only). What a person
reads must hold no True/False, no machine keys or ``→`` expressions, no research markers,
¥ with separators and ``12.50 %``; the English page no Chinese in the requirement cells;
phones read the criteria as cards (issue 8 item 11).
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from gateway_testkit import USCC_A
from gateway_testkit import RecordingUpstream

from scoring.domain import evaluate

sys.path.insert(0, str(Path(__file__).parent))
from test_web_kit import CHECK_REQUIRED  # noqa: E402
from test_web_kit import canned  # noqa: E402
from test_web_kit import list_page  # noqa: E402
from test_web_kit import sign_in  # noqa: E402
from test_web_pages import _enterprise_upstreams  # noqa: E402

pytestmark = pytest.mark.integration

_spec = importlib.util.spec_from_file_location(
    "scoring_profiles", Path(__file__).parents[2] / "scoring" / "unit" / "conftest.py")
assert _spec and _spec.loader
profiles = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(profiles)

WEAK = {("ip",): [], ("fin", 2024, "rd_expense"): 10_000, ("fin", 2024, "science_staff"): 2,
        ("fin", 2024, "total_assets"): 9_000_000}  # fmt: skip
CJK = re.compile(r"[\u2e80-\u9fff]")
MACHINE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|→|\bTrue\b|\bFalse\b|\[[A-Z; ]+\]|@20\d\d")
CELL = re.compile(r'<td data-label="[^"]*"( class="req")?>(.*?)</td>', re.S)
ROW_TITLE = re.compile(r'<th scope="row">(.*?)</th>', re.S)


def _wire(data: Any) -> Any:
    return json.loads(json.dumps(data))


def _answers(changes: dict[Any, Any], view: str = "full") -> dict[str, dict[str, Any]]:
    results = evaluate(profiles.build(changes))
    return {tier: _wire(r.to_dict() if view == "full" else r.to_summary())
            for tier, r in results.items()}


def _stored(answers: dict[str, dict[str, Any]], *, old: bool = False) -> dict[str, Any]:
    rows = []
    for tier, result in answers.items():
        if old:  # evaluations stored before the texts existed
            result = {**result, "criteria": [
                {k: v for k, v in c.items() if not k.endswith("_text")}
                for c in result["criteria"]]}
        rows.append({"tier": tier, "verdict": result["verdict"], "result": result})
    return {"uscc": USCC_A, "evaluations": rows}


def _cells(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", m[2]).strip() for m in CELL.finditer(html)]


def _requirement_cells(html: str) -> list[str]:
    return [m[2].strip() for m in CELL.finditer(html) if m[1]]


def _page(app: Flask, upstreams: dict[str, RecordingUpstream], body: dict[str, Any],
          lang: str) -> str:
    canned(upstreams, "scoring", f"/api/v1/enterprises/{USCC_A}/evaluations", body)
    resp = sign_in(app, USCC_A).get(f"/my?lang={lang}")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


@pytest.mark.parametrize("old", [False, True], ids=["fresh", "stored-before-texts"])
@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_my_eligibility_reads_in_words_and_one_language(
    app: Flask, upstreams: dict[str, RecordingUpstream], lang: str, old: bool
) -> None:
    html = _page(app, upstreams, _stored(_answers(WEAK), old=old), lang)
    cells = _cells(html) + [re.sub(r"<[^>]+>", "", t) for t in ROW_TITLE.findall(html)]
    assert len(cells) > 100
    for text in cells:
        assert not MACHINE.search(text), text
        assert "True" not in text and "False" not in text
    if lang == "en":
        for text in _requirement_cells(html):
            assert not CJK.search(text), text
        assert "Resident enterprise taxed on audited accounts<" in html  # "(查账征收)" dropped
    assert "¥9,000,000" in html  # total assets of the weakened firm, with separators
    assert "2.00 %" in html  # science staff 2 of 100
    assert "≥ 10.00 %" in html and "≥ 10%" not in html  # a requirement's percentage
    assert ("是" if lang == "zh-CN" else "Yes") in cells
    assert ("待核实" if lang == "zh-CN" else "unconfirmed") in html  # tech_sme.g3_industry


def test_fresh_answers_show_scorings_words(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    zh = _page(app, upstreams, _stored(_answers(WEAK)), "zh-CN")
    assert "研发费用占销售收入比例 ≥ 3.00 %：20分" in zh
    assert "总资产规模：实际 ¥9,000,000，要求 ≥ ¥10,000,000；还需增加资产总额 ¥1,000,000" in zh
    assert "财税〔2015〕119号" in zh and "MEM" not in zh and "list content" not in zh
    en = _page(app, upstreams, _stored(_answers(WEAK)), "en")
    assert "R&amp;D spending / sales revenue ≥ 3.00 %: 20 points" in en


def test_self_check_summary_reads_in_words(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    canned(upstreams, "scoring", "/api/v1/evaluate", {"results": _answers(WEAK, "summary")},
           method="POST")
    for lang in ("zh-CN", "en"):
        resp = app.test_client().post(f"/check?lang={lang}",
                                      data={**CHECK_REQUIRED, "name": "试算",
                                            "operating_revenue": "30000000"})
        html = resp.get_data(as_text=True)
        assert resp.status_code == 200
        cells = _cells(html)
        assert cells and not [c for c in cells if MACHINE.search(c)]
        if lang == "en":
            assert not [c for c in _requirement_cells(html) if CJK.search(c)]


def test_industry_and_field_read_as_names(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    _enterprise_upstreams(upstreams)
    canned(upstreams, "registry", f"/api/v1/enterprises/{USCC_A}",
           {"uscc": USCC_A, "name": "聊城甲轴承有限公司", "industry_code": "C3451",
            "hightech_field": "advanced_manufacturing", "town_code": "371502001"})
    canned(upstreams, "registry", "/api/v1/reference/towns", list_page([
        {"code": "371502001", "name": "古楼街道", "name_en": "Gulou Subdistrict",
         "kind": "subdistrict", "retired_in": None}]))
    client = sign_in(app, "curator")
    zh = client.get(f"/enterprises/{USCC_A}?lang=zh-CN").get_data(as_text=True)
    assert "制造业（C3451）" in zh and "先进制造与自动化" in zh and "古楼街道" in zh
    en = client.get(f"/enterprises/{USCC_A}?lang=en").get_data(as_text=True)
    assert "Manufacturing (C3451)" in en and "advanced_manufacturing" not in en
    assert "Gulou Subdistrict" in en and "371502001" not in en
    assert "Invention patent" in en and "invention_patent" not in en  # the IP table
    assert "¥48,000,000" in en and "48000000" not in en  # the annual figures


def test_on_a_phone_criteria_are_cards_not_a_table(app: Flask) -> None:
    css = app.test_client().get("/static/web/style.css").get_data(as_text=True)
    phone = css[css.index("@media (max-width: 640px)"):]
    assert "table.cards thead" in phone  # ranking rows too (issue 17 item 9)
    assert "table.criteria thead" in phone and "display: block" in phone
    assert "content: attr(data-label)" in phone

