"""Every text of an answer reads in words and units, one language per text (issue 8 item 11).

Built from real evaluations of the baseline firm (and a weak one whose gaps are open) across
every rulebook in force in 2025 and after 2026-04-01, plus every criterion of every rulebook
version: no True/False, no machine keys or ``→`` expressions, ¥ with separators, two-decimal
percentages, no Chinese in the English texts, no research markers in citations.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from scoring.domain import evaluate
from scoring.domain.readable import requirement_texts
from scoring.domain.readable import value_texts
from scoring.domain.rulebook import all_rulebooks
from yumiao_common.contracts.profile import Profile

CJK = re.compile(r"[\u2e80-\u9fff（），；：、。]")
MACHINE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|→|⌊|\bTrue\b|\bFalse\b|@\d{4}|\[[A-Z]+\]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
WEAK = {("ip",): [], ("fin", 2024, "rd_expense"): 10_000, ("fin", 2024, "science_staff"): 2,
        ("fin", 2024, "total_assets"): 9_000_000}  # fmt: skip


def _answers(make: Callable[..., Profile]) -> list[dict[str, Any]]:
    out = []
    for as_of in ("2025-06-30", "2026-06-30"):
        for changes in ({}, WEAK):
            for result in evaluate(make(changes, as_of=as_of)).values():
                out.append(result.to_dict())
                out.append(result.to_summary())
    return out


def _criteria() -> list[dict[str, Any]]:
    return [c for books in all_rulebooks().values() for _day, book in books
            for c in book["criteria"]]


@pytest.mark.parametrize("criterion", _criteria(), ids=lambda c: c["id"])
def test_every_requirement_reads_in_each_language(criterion: dict[str, Any]) -> None:
    zh, en = requirement_texts(criterion.get("requirement", ""), criterion["title"]["zh"],
                               criterion["title"]["en"])
    assert zh and en
    assert not MACHINE.search(zh) and not MACHINE.search(en), (zh, en)
    assert not CJK.search(en), en
    assert set(LATIN_WORD.findall(zh)) <= {"ISO"}, zh


def test_answers_carry_words_and_units_not_machine_values(make) -> None:  # type: ignore[no-untyped-def]
    seen_gap = False
    for answer in _answers(make):
        for c in answer["criteria"]:
            for side in ("zh", "en"):
                texts = [c["actual_text"][side], c["requirement_text"][side]]
                if c["note_text"]:
                    texts.append(c["note_text"][side])
                if c["gap"]:
                    texts.append(c["gap"]["text_" + side])
                    seen_gap = True
                for text in texts:
                    assert not MACHINE.search(text), (c["id"], text)
                    assert side == "zh" or not CJK.search(text), (c["id"], text)
            assert not re.search(r"\[|[A-Za-z]{3,}", c["citation"]), c["citation"]
        for step in answer["next_steps"]:
            assert not MACHINE.search(step["text_zh"] + step["text_en"]), step
            assert not CJK.search(step["text_en"]), step
            assert not re.search(r"\d (?:IP items|people|points) more (?!would)", step["text_en"])
    assert seen_gap


def test_figures_read_as_money_percent_and_yes_no(make) -> None:  # type: ignore[no-untyped-def]
    results = evaluate(make(WEAK), tiers=["tech_sme", "agri_leader_municipal"])
    tech = {c["id"]: c for c in results["tech_sme"].to_dict()["criteria"]}
    assert tech["tech_sme.g1_audited_tax"]["actual_text"] == {"zh": "是", "en": "Yes"}
    assert tech["tech_sme.g2_sales"]["actual_text"]["zh"] == "¥40,000,000"
    assert tech["tech_sme.s1_staff"]["actual_text"] == {"zh": "2.00 %", "en": "2.00 %"}
    s2 = tech["tech_sme.s2_rd"]["requirement_text"]
    assert "研发费用占销售收入比例 ≥ 3.00 %：20分" in s2["zh"]
    assert "R&D spending / sales revenue ≥ 3.00 %: 20 points" in s2["en"]
    cited = tech["tech_sme.g3_industry"]["citation"]
    assert cited == "国科发政〔2017〕115号 第六条(三)；财税〔2015〕119号"
    agri = {c["id"]: c for c in results["agri_leader_municipal"].to_dict()["criteria"]}
    assets = agri["agri_leader_municipal.n3_assets"]["gap"]
    assert assets["text_zh"] == ("总资产规模：实际 ¥9,000,000，要求 ≥ ¥10,000,000；"
                                 "还需增加资产总额 ¥1,000,000")
    assert assets["text_en"].endswith("¥9,000,000 against ≥ ¥10,000,000; "
                                      "¥1,000,000 more total assets would meet it")


@pytest.mark.parametrize(
    ("value", "unit", "fact", "expected"),
    [(True, "flag", None, ("是", "Yes")), (False, "flag", None, ("否", "No")),
     ("1234567", "yuan", None, ("¥1,234,567", "¥1,234,567")),
     ("0.125", "ratio", None, ("12.50 %", "12.50 %")),
     ("0.125", "flag", "main_growth", ("12.50 %", "12.50 %")),
     (3, "level", None, ("省级", "provincial")), (None, "yuan", None, ("—", "—")),
     (["six_foundations", "key_chain_gap"], "flag", None,
      ("补短板/锻长板/填空白、工业“六基”",
       "filling gaps in key supply chains, the six industrial foundations")),
     (4000, "households", None, ("4,000户", "4,000 households"))],
)  # fmt: skip
def test_one_value_in_words(value: Any, unit: str, fact: str | None,
                            expected: tuple[str, str]) -> None:
    assert value_texts(value, unit, fact) == expected
