"""yumiao_common.spreadsheets: which values become text, in XLSX and in CSV."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from openpyxl import load_workbook

from yumiao_common.spreadsheets import csv_safe
from yumiao_common.spreadsheets import safe_row

RISKY = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://e.example\")"]
PLAIN = ["聊城某某轴承有限公司", "a=b", " =1"]


@pytest.mark.parametrize("write_only", [True, False])
def test_every_risky_string_is_a_text_cell_and_numbers_stay_numbers(write_only: bool) -> None:
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("s") if write_only else book.active
    assert sheet is not None
    sheet.append(safe_row(sheet, [*RISKY, *PLAIN, -12, -3.5, 0]))
    buffer = io.BytesIO()
    book.save(buffer)
    read = load_workbook(io.BytesIO(buffer.getvalue()))
    row = next(read.worksheets[-1].iter_rows())
    texts = [(c.value, c.data_type) for c in row[: len(RISKY) + len(PLAIN)]]
    # XML stores a carriage return as a line feed; the type is what matters
    assert texts == [(v.replace("\r", "\n"), "s") for v in RISKY + PLAIN]
    assert [(c.value, c.data_type) for c in row[-3:]] == [(-12, "n"), (-3.5, "n"), (0, "n")]


@pytest.mark.parametrize(
    ("value", "written"),
    [("=1+1", "'=1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("+x", "'+x"), ("-x", "'-x"),
     ("\t=1", "'\t=1"), ("-12", "-12"), ("+3.5", "+3.5"), (-12, -12), ("聊城", "聊城"),
     ("", "")],
)
def test_csv_fields_that_could_run_get_an_apostrophe(value: object, written: object) -> None:
    assert csv_safe(value) == written
