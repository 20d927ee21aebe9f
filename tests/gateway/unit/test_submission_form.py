"""The yearly report's form (issue 15) as pure code: what a typed form becomes for the registry,
how the registry's field paths come back beside the form's fields, which fields are marked
returned, and how values read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict

from gateway.web import submission_form as sub


@pytest.fixture(autouse=True)
def _request() -> Iterator[None]:
    """Words depend on the page's language (zh-CN unless ?lang=en)."""
    with Flask(__name__).test_request_context("/"):
        yield


def _typed(**fields: str) -> dict[str, Any]:
    return sub.typed(MultiDict(fields))


def test_figures_are_numbers_flags_are_booleans_and_blanks_are_left_out() -> None:
    content = sub.content_of(
        _typed(
            **{
                "fin.rd_expense": "2,900,000",
                "fin.employees": " 130 ",
                "fin.net_profit": "-5000",
                "fin.total_assets": "",
                "flag.tax_violation": "no",
                "flag.research_misconduct": "yes",
                "flag.tax_evasion": "",
            }
        )
    )
    assert content["financials"] == {"rd_expense": 2_900_000, "employees": 130, "net_profit": -5000}
    assert content["flags"] == {"tax_violation": False, "research_misconduct": True}
    assert all(content[name] == [] for name in sub.LISTS)


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("12abc", "12abc"),  # malformed: sent as typed, the registry names the field and why
        ("1.5", "1.5"),
        ("9" * 17, "9" * 17),  # longer than any figure: not turned into a huge number here
    ],
)
def test_a_malformed_figure_is_sent_as_typed(typed: str, sent: str) -> None:
    assert sub.content_of(_typed(**{"fin.employees": typed}))["financials"] == {"employees": sent}


def test_item_rows_blank_or_removed_are_dropped_and_rows_are_bounded() -> None:
    fields = {
        "ip.0.kind": "invention_patent",
        "ip.0.number": "ZL1",
        "ip.0.related_to_main_product": "yes",
        "ip.1.number": "",
        "ip.2.number": "ZL3",
        "ip.2._remove": "1",
        "awards.0.level": "provincial",
        "awards.0.year": "2024",
        **{f"standards.{i}.code": f"GB {i}" for i in range(sub.MAX_ROWS + 40)},
    }
    content = sub.content_of(_typed(**fields))
    assert content["ip"] == [
        {"kind": "invention_patent", "number": "ZL1", "related_to_main_product": True}
    ]
    assert content["awards"] == [{"level": "provincial", "year": 2024}]
    assert len(content["standards"]) == sub.MAX_ROWS  # a stranger's form cannot grow the work


def test_stored_content_fills_the_form_and_comes_back_unchanged() -> None:
    stored = {
        "financials": {"rd_expense": 2_400_000, "employees": None},
        "flags": {"tax_violation": False, "tax_evasion": None},
        "ip": [
            {
                "kind": "utility_model",
                "number": "ZL2",
                "acquired_by": "transferred",
                "related_to_main_product": False,
            }
        ],
        "awards": [],
        "institutions": [],
        "standards": [],
    }
    values = sub.form_values(stored)
    assert values["fin.rd_expense"] == "2400000" and values["fin.employees"] == ""
    assert values["flag.tax_violation"] == "no" and values["flag.tax_evasion"] == ""
    form = MultiDict({k: v for k, v in values.items() if isinstance(v, str)})
    form.update({f"ip.0.{k}": v for k, v in values["ip"][0].items() if v is not None})
    again = sub.content_of(sub.typed(form))
    assert again["financials"] == {"rd_expense": 2_400_000}
    assert again["flags"] == {"tax_violation": False}
    assert again["ip"] == stored["ip"]


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("content.financials.rd_expense", "fin.rd_expense"),
        ("financials.science_staff", "fin.science_staff"),
        ("flags.tax_violation", "flag.tax_violation"),
        ("content.ip.0.number", "ip.0.number"),
        ("evidence.ip.0", "evidence"),
        ("evidence.financials", "evidence"),
        ("If-Match", "_form"),
        ("content", "_form"),
    ],
)
def test_the_registrys_field_paths_come_back_beside_the_forms_fields(path: str, name: str) -> None:
    assert list(sub.field_errors({path: ["必填 / required"]})) == [name]


def test_a_missing_file_names_its_item_in_words() -> None:
    errors = sub.field_errors(
        {"evidence.ip.0": ["须上传该项知识产权证书 / attach this item's IP certificate"]}
    )
    assert errors["evidence"] == ["新增知识产权 第 1 项：须上传该项知识产权证书"]


def test_returned_fields_are_the_last_decision_of_each_while_the_report_is_back() -> None:
    decisions = [
        {"field": "financials.rd_expense", "outcome": "returned", "reason": "不符"},
        {"field": "flags.tax_violation", "outcome": "returned", "reason": "请核实"},
        {"field": "flags.tax_violation", "outcome": "accepted", "reason": None},
        {"field": "ip.0", "outcome": "returned", "reason": "缺证书"},
    ]
    assert sub.returned_names(decisions, "returned") == {"fin.rd_expense", "ip.0"}
    assert sub.returned_names(decisions, "submitted") == set()  # corrected and sent again


@pytest.mark.parametrize(
    ("path", "value", "shown"),
    [
        ("financials.rd_expense", 2_900_000, "¥2,900,000"),
        ("financials.net_profit", -5000, "¥-5,000"),
        ("financials.employees", 130, "130 人"),
        ("flags.tax_violation", False, "否"),
        ("flags.tax_violation", True, "是"),
        ("financials.rd_expense", None, "未填"),
        (
            "ip.0",
            {
                "kind": "invention_patent",
                "number": "ZL1",
                "title": "保持架",
                "related_to_main_product": True,
            },
            "发明专利 · ZL1 · 保持架",
        ),
    ],
)
def test_values_read_in_words_and_units(path: str, value: Any, shown: str) -> None:
    assert sub.shown(path, value) == shown


@pytest.mark.parametrize(
    ("text", "zh"),
    [
        (
            "只接受 PDF 文件（按内容识别）/ Only PDF files are accepted",
            "只接受 PDF 文件（按内容识别）",
        ),
        ("必填 / required", "必填"),
        ("plain", "plain"),
    ],
)
def test_a_services_bilingual_text_reads_in_one_language(text: str, zh: str) -> None:
    assert sub.words(text) == zh
