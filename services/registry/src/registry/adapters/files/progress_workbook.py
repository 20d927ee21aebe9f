"""The progress table (完成情况表) as a formatted workbook, the form the bureau files.

Sheet 1 is the district table: a merged title row, the plan and statistics date, a two-row
header (merged groups), one row per indicator with its counting rule, units in the headers,
numbers as numbers (the cell formats show 1,234 and 12.50 %), print area, landscape A4 fitted
to one page wide, header rows repeated. Sheet 2 is the same per town, sheet 3 the trend over
the plan's years. Everything the report holds is rendered from the one report dict.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.styles import Border
from openpyxl.styles import Font
from openpyxl.styles import PatternFill
from openpyxl.styles import Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from yumiao_common.spreadsheets import safe_row

THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDE7F0")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
COUNT_FORMAT = "#,##0.##"
PCT_FORMAT = '0.00" %"'


def _number(value: Decimal | None) -> float | int | None:
    """A cell value: whole numbers as int; others float only for the cell (display)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _format(unit: str) -> str:
    return PCT_FORMAT if unit == "%" else COUNT_FORMAT


def _header_block(ws: Worksheet, report: dict[str, Any], title: str, width: int) -> int:
    plan = report["plan"]
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(1, 1, title).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = CENTRE
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    source = "冻结快照 / frozen snapshot" if report["source"] == "snapshot" else \
        "实时计算 / computed live"
    doc = f"（{plan['document_number']}）" if plan.get("document_number") else ""
    ws.cell(2, 1, f"{plan['title']}{doc}　年度 / Year {report['year']}　统计日 / As of "
                  f"{report['as_of']}　数据来源 / Source: {source}").alignment = WRAP
    ws.row_dimensions[2].height = 32
    return 3


def _two_row_header(ws: Worksheet, row: int, groups: list[tuple[str, list[str]]]) -> int:
    col = 1
    for group, subs in groups:
        if len(subs) == 1 and subs[0] == "":
            ws.merge_cells(start_row=row, start_column=col, end_row=row + 1, end_column=col)
            ws.cell(row, col, group)
        else:
            ws.merge_cells(start_row=row, start_column=col, end_row=row,
                           end_column=col + len(subs) - 1)
            ws.cell(row, col, group)
            for i, sub in enumerate(subs):
                ws.cell(row + 1, col + i, sub)
        col += len(subs)
    for r in (row, row + 1):
        for c in range(1, col):
            cell = ws.cell(r, c)
            cell.font, cell.fill, cell.alignment, cell.border = (Font(bold=True), HEAD_FILL,
                                                                CENTRE, BOX)
    return row + 2


def _district(ws: Worksheet, report: dict[str, Any]) -> None:
    width = 9
    row = _header_block(ws, report, f"目标指标完成情况表 / Progress against targets "
                                    f"({report['year']})", width)
    row = _two_row_header(ws, row, [
        ("序号 / No.", [""]), ("指标 / Indicator", [""]), ("单位 / Unit", [""]),
        ("计数口径 / Counting rule", [""]),
        ("数值 / Figures", ["基期值 / Baseline", "目标值 / Target", "完成值 / Actual"]),
        ("完成率 / Completion", [""]), ("是否达标 / Met", [""])])
    first = row
    for n, item in enumerate(report["rows"], start=1):
        met = {True: "达标 / Met", False: "未达标 / Not met", None: "—"}[item["met"]]
        name = item["name"] + ("（已更正 / corrected）" if item["corrected"] else "")
        ws.append(safe_row(ws, [n, name, item["unit"], item["rule"],
                            _number(item["baseline"]), _number(item["target"]),
                            _number(item["actual"]), _number(item["completion_pct"]), met]))
        for c in range(1, width + 1):
            cell = ws.cell(row, c)
            cell.border, cell.alignment = BOX, WRAP
        for c in (5, 6, 7):
            ws.cell(row, c).number_format = _format(item["unit"])
        ws.cell(row, 8).number_format = PCT_FORMAT
        row += 1
    note_row = row + 1
    ws.merge_cells(start_row=note_row, start_column=1, end_row=note_row, end_column=width)
    ws.cell(note_row, 1, "完成率 = 完成值 ÷ 目标值 × 100；增长率类指标为实际增长率 ÷ 目标增长率 / "
                         "Completion = actual ÷ target × 100; for a growth indicator, the growth "
                         "achieved ÷ the growth targeted.").alignment = WRAP
    for col, width_chars in zip("ABCDEFGHI", (6, 26, 10, 60, 12, 12, 12, 12, 12), strict=True):
        ws.column_dimensions[col].width = width_chars
    ws.print_area = f"A1:I{note_row}"
    ws.print_title_rows = f"{first - 2}:{first - 1}"


def _towns(ws: Worksheet, report: dict[str, Any]) -> None:
    names = [r["name"] for r in report["rows"]]
    units = [r["unit"] for r in report["rows"]]
    width = 1 + 3 * len(names)
    row = _header_block(ws, report, "分镇街完成情况 / Progress per town", width)
    row = _two_row_header(ws, row, [("镇街 / Town", [""])] + [
        (f"{name}（{unit}）", ["目标 / Target", "完成 / Actual", "完成率 / Completion"])
        for name, unit in zip(names, units, strict=True)])
    for town in report["towns"]:
        values: list[Any] = [town["town_name"]]
        for item in town["rows"]:
            values += [_number(item["target"]), _number(item["actual"]),
                       _number(item["completion_pct"])]
        ws.append(safe_row(ws, values))
        for c in range(1, width + 1):
            ws.cell(row, c).border = BOX
        for i, unit in enumerate(units):
            ws.cell(row, 2 + 3 * i).number_format = _format(unit)
            ws.cell(row, 3 + 3 * i).number_format = _format(unit)
            ws.cell(row, 4 + 3 * i).number_format = PCT_FORMAT
        row += 1
    ws.column_dimensions["A"].width = 28
    for c in range(2, width + 1):
        ws.column_dimensions[get_column_letter(c)].width = 12
    ws.print_area = f"A1:{get_column_letter(width)}{max(row - 1, 4)}"


def _trend(ws: Worksheet, report: dict[str, Any]) -> None:
    width = 1 + len(report["trend"])
    row = _header_block(ws, report, "逐年完成情况 / Year by year", width)
    ws.append(["指标 / Indicator"] + [
        f"{t['year']}（{'快照' if t['source'] == 'snapshot' else '实时'}）"
        for t in report["trend"]])
    for c in range(1, width + 1):
        cell = ws.cell(row, c)
        cell.font, cell.fill, cell.border, cell.alignment = Font(bold=True), HEAD_FILL, BOX, CENTRE
    row += 1
    for item in report["rows"]:
        ws.append(safe_row(ws, [f"{item['name']}（{item['unit']}）"] + [
            _number(t["values"].get(item["measure"])) for t in report["trend"]]))
        for c in range(1, width + 1):
            ws.cell(row, c).border = BOX
            if c > 1:
                ws.cell(row, c).number_format = _format(item["unit"])
        row += 1
    ws.column_dimensions["A"].width = 40
    ws.print_area = f"A1:{get_column_letter(width)}{row - 1}"


def progress_workbook(report: dict[str, Any]) -> bytes:
    """The workbook's bytes."""
    book = Workbook()
    sheets = ((book.active, "完成情况表", _district), (book.create_sheet(), "分镇街", _towns),
              (book.create_sheet(), "逐年", _trend))
    for ws, title, fill in sheets:
        assert ws is not None
        ws.title = title
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        fill(ws, report)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
