"""Reading the rows of an official list: every usual spelling of a choice, 是/否, headers in
either language, and a list that repeats itself (pure code, no database)."""

from __future__ import annotations

from datetime import date

import pytest

from registry.adapters.files.record_sheets import CERTIFICATIONS
from registry.adapters.files.record_sheets import IP
from registry.adapters.files.record_sheets import SheetValidator
from registry.adapters.files.record_sheets import map_sheet_header
from registry.adapters.files.row_validation import HeaderError

TODAY = date(2026, 6, 30)
CODE = "91371502MA3DHUQR57"


def _validator(header: list[str]) -> SheetValidator:
    return SheetValidator(CERTIFICATIONS, map_sheet_header(CERTIFICATIONS, header), today=TODAY)


HEADER = ["统一社会信用代码", "Name", "认定类型 / Title", "number", "发证日期"]


@pytest.mark.parametrize("spelling", ["高新技术企业", "High-tech enterprise", "hnte", " HNTE "])
def test_a_title_may_be_written_in_chinese_english_or_as_its_key(spelling: str) -> None:
    validator = _validator(HEADER)
    validator.add(2, [CODE, "聊城某公司", spelling, "GR1", "2025-11-28"])
    [row] = validator.batch.rows
    assert row.values["tier"] == "hnte" and validator.batch.error_count == 0


@pytest.mark.parametrize(("raw", "value"), [("是", True), ("否", False), ("yes", True),
                                            (1.0, True), ("0", False), (True, True)])
def test_yes_no_cells_read_as_people_write_them(raw: object, value: bool) -> None:
    validator = SheetValidator(IP, map_sheet_header(IP, [c.header for c in IP.columns]),
                               today=TODAY)
    cells = [CODE, "聊城某公司", "发明专利", "ZL1", "", "", "自主研发", raw, "", "", "", ""]
    validator.add(2, cells)
    assert validator.batch.rows[0].values["related_to_main_product"] is value


def test_a_bad_choice_says_what_is_allowed() -> None:
    validator = _validator(HEADER)
    validator.add(7, [CODE, "聊城某公司", "金牌企业", "GR1", "2025-11-28"])
    [error] = validator.batch.errors
    assert error.row == 7 and error.column == "认定类型 / Title"
    assert "高新技术企业" in error.zh and "hnte" in error.en


def test_an_identical_repeat_is_skipped_and_a_different_one_is_an_error() -> None:
    validator = _validator(HEADER)
    row = [CODE, "聊城某公司", "hnte", "GR1", "2025-11-28"]
    validator.add(2, row)
    validator.add(3, row)
    validator.add(4, [*row[:4], "2025-11-29"])
    batch = validator.batch
    assert len(batch.rows) == 1 and batch.skipped == 1 and batch.notices[0].row == 3
    assert [(e.row, e.column) for e in batch.errors] == [(4, "发证日期 / Issued on")]


def test_a_header_from_another_sheet_names_the_missing_columns() -> None:
    with pytest.raises(HeaderError) as refused:
        map_sheet_header(CERTIFICATIONS, ["统一社会信用代码", "企业名称", "类型", "编号"])
    assert "认定类型 / Title" in refused.value.fields
