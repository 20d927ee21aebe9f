"""The downloadable import template, as XLSX (with an instructions sheet) or CSV.

The first sheet is what the import reads: bilingual headers and one example enterprise with
two fiscal years (delete it before filling in). The second sheet explains every column: kind,
whether it is required, and the allowed values, so a curator never has to ask. The compliance
flags (是/否, last columns) get a drop-down list like the code columns.
"""

from __future__ import annotations

import csv
import io
from typing import Any
from typing import Final

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from registry.adapters.files import reading
from registry.adapters.files.cells import ENUMS
from registry.adapters.files.cells import PRODUCT_FIELD_NAMES
from registry.adapters.files.columns import COLUMNS
from registry.adapters.files.columns import ColumnSpec
from yumiao_common.spreadsheets import csv_safe
from yumiao_common.spreadsheets import safe_row

SHEET_TITLE: Final = reading.SHEET_TITLE
_KIND_TEXT: Final = {
    "uscc": "18位统一社会信用代码 / 18-character credit code",
    "text": "文本 / text",
    "date": "日期 YYYY-MM-DD / date",
    "town": "9位镇街代码（东昌府区）/ 9-digit Dongchangfu town code",
    "industry": "GB/T 4754-2017 代码，如 C3451 / industry code",
    "fields": "多个值用分号分隔 / several values separated by ;",
    "year": "四位年份 / four-digit year",
    "count": "非负整数 / whole number ≥ 0",
    "money": "金额（元，整数，非负）/ yuan, whole, ≥ 0",
    "signed_money": "金额（元，整数，可为负）/ yuan, whole, may be negative",
    "percent": "0–100",
    "flag": "是 = 有此情形，否 = 无；空白 = 未知或保持登记库现值 / 是 = the firm has it, 否 = it "
            "has not; blank = unknown, or keep what is on file",
}


_NOTES: Final = (
    "每行一个企业的一个会计年度；同一企业的多个年度写多行。/ One row per enterprise and fiscal "
    "year; repeat the enterprise columns for each year.",
    "空白单元格表示未知，不是零。/ A blank cell means unknown, not zero.",
    "合规情形列（信用中国、安全、环保等记录）：是 = 有此情形，否 = 无；也可写 true/false、yes/no、"
    "1/0。空白不改变登记库已有的值。/ Compliance columns (credit, safety and environment "
    "records): 是 = yes, 否 = no (true/false, yes/no, 1/0 also read); a blank cell never "
    "clears a value on file.",
)
_NUMBERS: Final = frozenset({"year", "count", "money", "signed_money"})
#: Rows of the first sheet that get the drop-down lists (a district's firms and years).
LIST_ROWS: Final = 5000


def _choices(column: ColumnSpec) -> list[str]:
    """The values a person picks from: Chinese names (the import accepts the codes too)."""
    if column.kind.startswith("enum:"):
        table = ENUMS[column.kind[5:]]
        names = [k for k in table if not k.isascii() and len(k) > 2]
        return names or sorted(table)
    if column.kind == "fields":
        return list(PRODUCT_FIELD_NAMES)
    if column.kind == "flag":
        return ["是", "否"]
    return []


def _allowed(column: ColumnSpec) -> str:
    choices = _choices(column)
    if column.kind == "fields":
        return "、".join(choices) + "（多个用分号分隔 / separate several with ;）"
    return "、".join(choices)


def _typed(column: ColumnSpec, value: str) -> object:
    """An example as the cell type Excel should hold: numbers as numbers, not text."""
    if column.kind in _NUMBERS and value.lstrip("-").isdigit():
        return int(value)
    return value


def _example_rows() -> list[list[object]]:
    first = [_typed(c, c.example) for c in COLUMNS]
    second = [(2024 if c.key == "year" else _typed(c, c.example)) for c in COLUMNS]
    return [first, second]


def _drop_downs(sheet: Any) -> None:
    """A drop-down list on every single-choice column (enterprise code lists); the multi-
    value product fields get the names as an input hint (Excel lists pick one value)."""
    for index, column in enumerate(COLUMNS, start=1):
        choices = _choices(column)
        if not choices:
            continue
        letter = get_column_letter(index)
        area = f"{letter}2:{letter}{LIST_ROWS}"
        if column.kind.startswith("enum:") or column.kind == "flag":
            rule = DataValidation(type="list", formula1='"' + ",".join(choices) + '"',
                                  allow_blank=True, showErrorMessage=True,
                                  errorTitle="不在可选范围 / Not a listed value",
                                  error="请从下拉列表中选择 / Choose from the list")
        else:
            rule = DataValidation(allow_blank=True, showInputMessage=True,
                                  promptTitle=column.zh[:32], prompt=_allowed(column)[:250])
        rule.add(area)
        sheet.add_data_validation(rule)


def template_csv() -> bytes:
    """UTF-8 with BOM so Excel on Windows opens the Chinese headers correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_safe(c.header) for c in COLUMNS])
    writer.writerows([csv_safe(v) for v in row] for row in _example_rows())
    return out.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET_TITLE
    sheet.append(safe_row(sheet, (c.header for c in COLUMNS)))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in _example_rows():
        sheet.append(safe_row(sheet, row))
    for letter_cells in sheet.iter_cols(min_row=1, max_row=1):
        cell = letter_cells[0]
        sheet.column_dimensions[cell.column_letter].width = max(14, len(str(cell.value)))
    sheet.freeze_panes = "B2"
    _drop_downs(sheet)
    notes = book.create_sheet("说明 Instructions")
    notes.append(["列 / Column", "必填 / Required", "格式 / Format", "可选值 / Allowed values"])
    for column in COLUMNS:
        kind = _KIND_TEXT[column.kind] if ":" not in column.kind else "代码 / code"
        notes.append(safe_row(notes, [column.header, "是 / yes" if column.required else "",
                                      kind, _allowed(column)]))
    notes.append([])
    for note in _NOTES:
        notes.append([note])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
