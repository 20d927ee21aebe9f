"""The export workbook: a readable enterprise list plus the figures in import-template form.

Sheet 1 (企业名单) is for reading: one row per enterprise with its town, size class, titles
held, pool stages and latest figures. Sheet 2 carries the annual figures in exactly the
import template's columns, so a curator can export, correct and re-import (the import reads
the sheet with the template's title). openpyxl's ``write_only`` mode streams rows to temporary
files, so memory stays flat however long the list. Text that a spreadsheet could run as a
formula (an enterprise named ``=HYPERLINK(…)``) is written as a text cell (``safe_row``).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from collections.abc import Iterator
from typing import IO
from typing import Any
from typing import Final

from openpyxl import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from registry.adapters.files.columns import COLUMNS
from registry.adapters.files.import_template import SHEET_TITLE
from yumiao_common.spreadsheets import safe_row
from yumiao_common.streamed_workbook import StreamedWorkbook
from yumiao_common.streamed_workbook import header_row

LIST_TITLE: Final = "企业名单 Enterprises"
LIST_HEADERS: Final = (
    "统一社会信用代码 / USCC", "企业名称 / Name", "所属镇街 / Town", "所属镇街代码 / Town code",
    "国民经济行业 / Industry", "企业规模 / Size class", "成立日期 / Established on",
    "高新技术领域 / High-tech field", "有效资质 / Titles held", "培育库阶段 / Pool stages",
    "最近会计年度 / Latest fiscal year", "职工总数 / Employees",
    "营业收入（元） / Operating revenue (yuan)", "研发费用（元） / R&D expense (yuan)",
)


def _header(sheet: WriteOnlyWorksheet, headers: Iterable[str]) -> None:
    sheet.append(header_row(sheet, headers))


class ExportBook:
    """Build the two sheets row by row, then ``save`` to a temporary file to stream."""

    def __init__(self) -> None:
        self.book = Workbook(write_only=True)
        self.list_sheet = self.book.create_sheet(LIST_TITLE)
        self.figures_sheet = self.book.create_sheet(SHEET_TITLE)
        _header(self.list_sheet, LIST_HEADERS)
        _header(self.figures_sheet, (c.header for c in COLUMNS))

    def add_enterprise(self, values: Iterable[Any]) -> None:
        self.list_sheet.append(safe_row(self.list_sheet, values))

    def add_year(self, values: dict[str, Any]) -> None:
        sheet = self.figures_sheet
        sheet.append(safe_row(sheet, (_cell(values.get(c.key)) for c in COLUMNS)))

    def save(self) -> IO[bytes]:
        handle = tempfile.TemporaryFile()
        self.book.save(handle)
        handle.seek(0)
        return handle


def _cell(value: Any) -> Any:
    if isinstance(value, bool):  # a compliance flag, as the import template writes it
        return "是" if value else "否"
    if isinstance(value, list):
        return ";".join(value)
    return value


def chunks(handle: IO[bytes], size: int = 64 * 1024) -> Iterator[bytes]:
    """Stream a saved workbook, closing (and so deleting) the temporary file at the end."""
    with handle:
        while block := handle.read(size):
            yield block


class StreamingBook(ExportBook):
    """The export workbook written into a ZIP stream as it is built (``StreamedWorkbook``);
    ``take`` returns the bytes ready so far, ``finish`` the rest. The figures go first: their
    sheet is complete before the list's rows begin."""

    def __init__(self) -> None:  # the headers go out when each sheet's entry opens
        self._stream = StreamedWorkbook(
            ((LIST_TITLE, LIST_HEADERS), (SHEET_TITLE, tuple(c.header for c in COLUMNS))))
        self.book = self._stream.book
        self.list_sheet = self._stream.sheets[LIST_TITLE]
        self.figures_sheet = self._stream.sheets[SHEET_TITLE]

    def add_enterprise(self, values: Iterable[Any]) -> None:
        if not self._stream.written(SHEET_TITLE):
            self._stream.sheet(SHEET_TITLE)  # figures come first; none at all is still a sheet
        self._stream.append(LIST_TITLE, values)

    def add_year(self, values: dict[str, Any]) -> None:
        self._stream.append(SHEET_TITLE, (_cell(values.get(c.key)) for c in COLUMNS))

    def take(self) -> bytes:
        return self._stream.take()

    def finish(self) -> bytes:
        return self._stream.finish(order=(SHEET_TITLE, LIST_TITLE))

    def abandon(self) -> None:
        """Release a book that will not be finished (the client went away mid-download)."""
        self._stream.abandon()
