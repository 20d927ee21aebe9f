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
import zipfile
from collections.abc import Iterable
from collections.abc import Iterator
from typing import IO
from typing import Any
from typing import Final

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

from registry.adapters.files.columns import COLUMNS
from registry.adapters.files.import_template import SHEET_TITLE
from yumiao_common.spreadsheets import safe_row

LIST_TITLE: Final = "企业名单 Enterprises"
LIST_HEADERS: Final = (
    "统一社会信用代码 / USCC", "企业名称 / Name", "所属镇街 / Town", "所属镇街代码 / Town code",
    "国民经济行业 / Industry", "企业规模 / Size class", "成立日期 / Established on",
    "高新技术领域 / High-tech field", "有效资质 / Titles held", "培育库阶段 / Pool stages",
    "最近会计年度 / Latest fiscal year", "职工总数 / Employees",
    "营业收入（元） / Operating revenue (yuan)", "研发费用（元） / R&D expense (yuan)",
)
_BOLD: Final = Font(bold=True)


def _header(sheet: WriteOnlyWorksheet, headers: Iterable[str]) -> None:
    row = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = _BOLD
        row.append(cell)
    sheet.append(row)


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


class _Sink:
    """The ZIP stream's output: bytes collect here until the response takes them."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: ``take`` hands the bytes on."""

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


class _Buffered:
    """Collects a sheet's many small XML writes into large blocks for its ZIP entry (each
    write to an entry is a compressor call and a CRC update)."""

    BLOCK = 1024 * 1024

    def __init__(self, entry: IO[bytes]) -> None:
        self.entry, self.buffer = entry, bytearray()

    def write(self, data: bytes) -> int:
        self.buffer += data
        if len(self.buffer) >= self.BLOCK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self.buffer:
            self.entry.write(bytes(self.buffer))
            self.buffer.clear()

    def close(self) -> None:
        if not self.entry.closed:
            self.flush()
            self.entry.close()


class _PackageWriter(ExcelWriter):  # type: ignore[misc]
    """openpyxl's writer for everything but the sheets, which are already in the stream."""

    def write_worksheet(self, ws: Any) -> None:
        ws._drawing = None
        ws._rels = ws._writer._rels
        self.manifest.append(ws)


class StreamingBook(ExportBook):
    """The export workbook written into a ZIP stream as it is built; ``take`` returns the
    bytes ready so far, ``finish`` the rest (the package parts and the ZIP directory)."""

    def __init__(self) -> None:  # the headers go out when each sheet's entry opens
        self._sink = _Sink()
        self._zip = zipfile.ZipFile(self._sink, "w", zipfile.ZIP_DEFLATED)  # type: ignore[call-overload]
        self._open: tuple[WriteOnlyWorksheet, _Buffered] | None = None
        self._done: set[str] = set()
        self.book = Workbook(write_only=True)
        self.list_sheet = self.book.create_sheet(LIST_TITLE)
        self.figures_sheet = self.book.create_sheet(SHEET_TITLE)
        self._headers = {LIST_TITLE: LIST_HEADERS,
                         SHEET_TITLE: tuple(c.header for c in COLUMNS)}

    def _sheet(self, sheet: WriteOnlyWorksheet) -> WriteOnlyWorksheet:
        """``sheet`` writing into its own ZIP entry (the previous sheet's entry is closed)."""
        if self._open is not None and self._open[0] is sheet:
            return sheet
        self._close_open()
        if sheet.title in self._done:
            raise RuntimeError(f"sheet {sheet.title!r} was already written")
        sheet._id = self.book.worksheets.index(sheet) + 1
        entry = _Buffered(self._zip.open(sheet.path[1:], "w", force_zip64=True))
        sheet._writer = WorksheetWriter(sheet, out=entry)
        sheet._writer.write_top()
        self._open = (sheet, entry)
        _header(sheet, self._headers[sheet.title])
        return sheet

    def _close_open(self) -> None:
        if self._open is not None:
            sheet, entry = self._open
            sheet.close()
            entry.close()
            self._done.add(sheet.title)
            self._open = None

    def add_enterprise(self, values: Iterable[Any]) -> None:
        if self.figures_sheet.title not in self._done:
            self._sheet(self.figures_sheet)  # figures come first; none at all is still a sheet
        sheet = self._sheet(self.list_sheet)
        sheet.append(safe_row(sheet, values))

    def add_year(self, values: dict[str, Any]) -> None:
        sheet = self._sheet(self.figures_sheet)
        sheet.append(safe_row(sheet, (_cell(values.get(c.key)) for c in COLUMNS)))

    def take(self) -> bytes:
        return self._sink.take()

    def finish(self) -> bytes:
        for sheet in (self.figures_sheet, self.list_sheet):
            if sheet.title not in self._done:
                self._sheet(sheet)
        self._close_open()
        _PackageWriter(self.book, self._zip).save()
        return self._sink.take()

    def abandon(self) -> None:
        """Release a book that will not be finished (the client went away mid-download)."""
        if self._zip.fp is None:  # finished
            return
        self._close_open()
        self._zip.close()
        self._sink.take()
