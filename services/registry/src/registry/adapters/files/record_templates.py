"""Downloadable templates of the record sheets (certifications, IP items, pool memberships).

Like the enterprise template: the first sheet is what the import reads (bilingual headers, one
example row to delete before filling in, a drop-down on every choice column); the second
explains each column — required or not, the format, the allowed values — and how rows already
on file, repeated rows and firms not in the registry are treated.
"""

from __future__ import annotations

import csv
import io
from typing import Final

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from registry.adapters.files.columns import ColumnSpec
from registry.adapters.files.record_sheets import SheetSpec
from registry.adapters.files.record_sheets import allowed_names
from yumiao_common.spreadsheets import csv_safe
from yumiao_common.spreadsheets import safe_row

LIST_ROWS: Final = 20_000
_FORMAT: Final = {
    "uscc": "18位统一社会信用代码 / 18-character credit code",
    "past_date": "日期 YYYY-MM-DD，不晚于今天 / date, not in the future",
    "date": "日期 YYYY-MM-DD / date",
    "flag": "是 / 否 (yes / no)",
}
COMMON_NOTES: Final = (
    "按统一社会信用代码匹配登记库中的企业；登记库中没有的企业跳过并列出行号，名称与登记库不一致的"
    "照常导入并列出。/ Rows are matched to registered firms by credit code; a firm not in the "
    "registry is skipped and listed with its row, a name that differs from the registry's is "
    "imported and listed.",
    "任何一行有错误时整个文件都不写入；可先“仅校验”。/ Any row error means nothing is written; "
    "check first with a dry run.",
)


def _format(column: ColumnSpec) -> str:
    if column.kind.startswith("choice:"):
        return "从可选值中选择 / one of the allowed values"
    if column.kind.startswith("text"):
        return f"文本，最多 {column.kind[4:] or 200} 字 / text"
    return _FORMAT[column.kind]


def _allowed(column: ColumnSpec) -> str:
    return "、".join(allowed_names(column.kind[7:])) if column.kind.startswith("choice:") else ""


def sheet_template_csv(spec: SheetSpec) -> bytes:
    """UTF-8 with BOM so Excel on Windows opens the Chinese headers correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_safe(c.header) for c in spec.columns])
    writer.writerow([csv_safe(c.example) for c in spec.columns])
    return out.getvalue().encode("utf-8-sig")


def sheet_template_xlsx(spec: SheetSpec) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = spec.title
    sheet.append(safe_row(sheet, [c.header for c in spec.columns]))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(safe_row(sheet, [c.example for c in spec.columns]))
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, len(column.header))
        choices = allowed_names(column.kind[7:]) if column.kind.startswith("choice:") else []
        if choices:
            rule = DataValidation(type="list", formula1='"' + ",".join(choices) + '"',
                                  allow_blank=True, showErrorMessage=True,
                                  errorTitle="不在可选范围 / Not a listed value",
                                  error="请从下拉列表中选择 / Choose from the list")
            rule.add(f"{letter}2:{letter}{LIST_ROWS}")
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "C2"
    notes = book.create_sheet("说明 Instructions")
    notes.append(["列 / Column", "必填 / Required", "格式 / Format", "可选值 / Allowed values"])
    for column in spec.columns:
        notes.append(safe_row(notes, [column.header, "是 / yes" if column.required else "",
                                      _format(column), _allowed(column)]))
    notes.append([])
    for line in (*COMMON_NOTES, *spec.notes):
        notes.append([line])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
