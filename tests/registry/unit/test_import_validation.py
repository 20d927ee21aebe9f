"""Import parsing and validation: template round-trip, row/column/reason errors, bad files."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from openpyxl import Workbook

from registry.adapters.files.columns import BY_KEY
from registry.adapters.files.columns import COLUMNS
from registry.adapters.files.import_template import template_csv
from registry.adapters.files.import_template import template_xlsx
from registry.adapters.files.reading import UnreadableFile
from registry.adapters.files.reading import open_rows
from registry.adapters.files.reading import sniff
from registry.adapters.files.row_validation import Batch
from registry.adapters.files.row_validation import BatchValidator
from registry.adapters.files.row_validation import HeaderError
from registry.adapters.files.row_validation import map_header

TODAY = date(2026, 11, 29)
HEADERS = [c.header for c in COLUMNS]
GOOD = {c.key: c.example for c in COLUMNS}


def _validate(data: bytes) -> Batch:
    opened = open_rows(data, sniff(data))
    validator = BatchValidator(map_header(opened.header), today=TODAY)
    for number, cells in opened.rows:
        validator.add(number, cells)
    return validator.batch


def _csv(rows: list[dict[str, Any]], headers: list[str] = HEADERS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(c.key, "") for c in COLUMNS])
    return out.getvalue().encode()


@pytest.mark.parametrize("template", [template_csv, template_xlsx])
def test_template_round_trips_into_one_enterprise_with_two_years(template: Any) -> None:
    batch = _validate(template())
    assert batch.errors == []
    assert list(batch.enterprises) == ["91371502MA3DHUQR57"]
    assert sorted(f["year"] for f in batch.financials) == [2024, 2025]
    assert batch.financials[0]["operating_revenue"] == 48_000_000
    assert batch.enterprises["91371502MA3DHUQR57"]["main_product_fields"] == [
        "six_foundations", "strategic_emerging"]


def test_headers_may_be_chinese_english_or_keys() -> None:
    full = "营业收入（元） / Operating revenue (yuan)"
    keys = map_header(["统一社会信用代码", "Name", "year", full])
    assert keys == ["uscc", "name", "year", "operating_revenue"]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        (["统一社会信用代码", "企业名称", "会计年度", "Colour"], "row 1: Colour"),
        (["统一社会信用代码", "企业名称"], BY_KEY["year"].header),
        (["USCC", "Name", "year", "uscc"], "row 1: uscc"),
    ],
)
def test_bad_headers_are_refused_naming_the_column(header: list[str], field: str) -> None:
    with pytest.raises(HeaderError) as caught:
        map_header(header)
    assert field in caught.value.fields


@pytest.mark.parametrize(
    ("change", "column", "reason"),
    [
        ({"uscc": "91371502MA3DHUQR58"}, "uscc", "check character"),
        ({"uscc": "91371500MA3UQ0K09P", "name": ""}, "name", "required"),
        ({"operating_revenue": "-5"}, "operating_revenue", "negative"),
        ({"operating_revenue": "12.5"}, "operating_revenue", "whole number"),
        ({"employees": "abc"}, "employees", "number"),
        ({"science_staff": "500"}, "science_staff", "must not exceed"),
        ({"year": "2031"}, "year", "future"),
        ({"established_on": "13/45/2020"}, "established_on", "YYYY-MM-DD"),
        ({"town_code": "110101001"}, "town_code", "Dongchangfu"),
        ({"industry_code": "Z99"}, "industry_code", "GB/T 4754"),
        ({"tax_method": "cash"}, "tax_method", "allowed"),
        ({"farm_sourced_share_pct": "120"}, "farm_sourced_share_pct", "between 0 and 100"),
        ({"main_product_fields": "rockets"}, "main_product_fields", "unknown field"),
        ({"tax_violation": "maybe"}, "tax_violation", "allowed: 是 (yes), 否 (no)"),
    ],
)
def test_a_bad_cell_is_reported_with_row_column_and_reason(
    change: dict[str, str], column: str, reason: str
) -> None:
    batch = _validate(_csv([GOOD, {**GOOD, "year": "2024", **change}]))
    assert batch.error_count == 1
    error = batch.errors[0]
    assert error.row == 3
    assert error.column == BY_KEY[column].header
    assert reason in error.en and error.zh


def test_cross_row_rules_catch_repeated_years_and_conflicting_enterprise_columns() -> None:
    rows = [GOOD, GOOD, {**GOOD, "year": "2023", "name": "另一个名字"}]
    batch = _validate(_csv(rows))
    assert [(e.row, e.column) for e in batch.errors] == [
        (3, BY_KEY["year"].header), (4, BY_KEY["name"].header)]
    assert "repeats row 2" in batch.errors[0].en


def test_blank_repeats_inherit_and_lenient_spellings_are_accepted() -> None:
    second = {"uscc": GOOD["uscc"], "year": "2024", "operating_revenue": "1,200,000.00",
              "industry_code": "3451", "tax_method": "查账征收"}
    batch = _validate(_csv([GOOD, second]))
    assert batch.errors == []
    assert batch.financials[1]["operating_revenue"] == 1_200_000
    assert batch.financials[1]["employees"] is None  # blank is unknown, never zero


@pytest.mark.parametrize(
    ("raw", "value"),
    [("是", True), ("否", False), ("true", True), ("FALSE", False), ("yes", True),
     ("No", False), ("1", True), ("0", False), ("", None)],
)
def test_a_compliance_flag_reads_as_the_other_yes_no_columns_do(raw: str, value: object) -> None:
    batch = _validate(_csv([{**GOOD, "serious_dishonesty_list": raw}]))
    assert batch.errors == []
    assert batch.enterprises[GOOD["uscc"]]["serious_dishonesty_list"] is value


def test_a_flag_repeated_differently_on_a_later_year_is_an_error() -> None:
    rows = [GOOD, {**GOOD, "year": "2024", "tax_evasion": ""},
            {**GOOD, "year": "2023", "tax_evasion": "是"}]
    batch = _validate(_csv(rows))
    assert [(e.row, e.column) for e in batch.errors] == [(4, BY_KEY["tax_evasion"].header)]


def test_xlsx_numbers_and_dates_come_through_typed() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["USCC", "Name", "Fiscal year", "Established on", "Employees"])
    sheet.append([GOOD["uscc"], "甲公司", 2024, date(2014, 3, 12), 120.0])
    sheet.append([GOOD["uscc"], "甲公司", 2023, None, 3.5])
    buffer = io.BytesIO()
    book.save(buffer)
    batch = _validate(buffer.getvalue())
    assert batch.enterprises[GOOD["uscc"]]["established_on"] == date(2014, 3, 12)
    assert [(e.row, e.en) for e in batch.errors] == [
        (3, "must be a whole number (money in yuan)")]


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"%PDF-1.4\x00\x01binary", 415),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old-xls", 415),
        (b"PK\x03\x04 not really a zip", 422),
        (b"", 422),
    ],
)
def test_wrong_type_or_malformed_files_are_refused(data: bytes, status: int) -> None:
    with pytest.raises(UnreadableFile) as caught:
        list(open_rows(data, sniff(data)).rows)
    assert caught.value.status == status


def test_a_csv_saved_by_excel_in_gb18030_is_read() -> None:
    text = "统一社会信用代码,企业名称,会计年度\n" + f"{GOOD['uscc']},聊城甲公司,2024\n" * 400
    batch = _validate(text.encode("gb18030"))
    assert batch.errors[0].en.startswith("repeats row 2")
    assert batch.enterprises[GOOD["uscc"]]["name"] == "聊城甲公司"
