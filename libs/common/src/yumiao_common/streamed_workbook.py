"""An XLSX workbook streamed as it is built: the bytes of each sheet leave with its rows.

Why: an export built whole before its first byte sits silent for as long as it takes — ~40 s
for the registry's enterprise list (issue 17) and longer than the gateway's read timeout for a
province-sized ranking (issue 16) — and then arrives at once. Here openpyxl's write-only
sheets write their XML straight into the entries of a ZIP stream: ``take`` returns the bytes
ready so far, ``finish`` the rest (the package parts and the ZIP directory), so a response
sends the file as it grows and memory stays flat however long it is.

Every header row is bold; every row goes through ``safe_row`` (no cell runs as a formula).
Needs openpyxl (the ``spreadsheets`` extra), like ``yumiao_common.spreadsheets``.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from collections.abc import Sequence
from typing import IO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

from yumiao_common.spreadsheets import safe_row

BOLD = Font(bold=True)


def header_row(sheet: Any, headers: Iterable[str]) -> list[Any]:
    """The header cells of ``sheet``, bold."""
    cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = BOLD
        cells.append(cell)
    return cells


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


class StreamedWorkbook:
    """Sheets (title, header texts), in workbook order; rows are written one sheet at a time
    (``append`` to a sheet closes the one written before; a closed sheet cannot reopen).
    ``freeze_header`` keeps each header row in view while scrolling."""

    def __init__(self, sheets: Sequence[tuple[str, Sequence[str]]], *,
                 freeze_header: bool = False) -> None:
        self._sink = _Sink()
        self._zip = zipfile.ZipFile(self._sink, "w", zipfile.ZIP_DEFLATED)  # type: ignore[call-overload]
        self._open: tuple[WriteOnlyWorksheet, _Buffered] | None = None
        self._done: set[str] = set()
        self.book = Workbook(write_only=True)
        self._headers = {title: tuple(headers) for title, headers in sheets}
        self.sheets: dict[str, WriteOnlyWorksheet] = {}
        for title, _headers in sheets:
            sheet = self.book.create_sheet(title)
            if freeze_header:
                sheet.freeze_panes = "A2"
            self.sheets[title] = sheet

    def written(self, title: str) -> bool:
        """Whether the sheet's entry is complete (it cannot take rows any more)."""
        return title in self._done

    def sheet(self, title: str) -> WriteOnlyWorksheet:
        """The sheet, writing into its own ZIP entry (the previous sheet's entry is closed)."""
        sheet = self.sheets[title]
        if self._open is not None and self._open[0] is sheet:
            return sheet
        self._close_open()
        if title in self._done:
            raise RuntimeError(f"sheet {title!r} was already written")
        sheet._id = self.book.worksheets.index(sheet) + 1
        entry = _Buffered(self._zip.open(sheet.path[1:], "w", force_zip64=True))
        sheet._writer = WorksheetWriter(sheet, out=entry)
        sheet._writer.write_top()
        self._open = (sheet, entry)
        sheet.append(header_row(sheet, self._headers[title]))
        return sheet

    def append(self, title: str, values: Iterable[Any]) -> None:
        """One row of ``title`` (formula-like text as text cells)."""
        sheet = self.sheet(title)
        sheet.append(safe_row(sheet, values))

    def _close_open(self) -> None:
        if self._open is not None:
            sheet, entry = self._open
            sheet.close()
            entry.close()
            self._done.add(sheet.title)
            self._open = None

    def take(self) -> bytes:
        """The bytes written since the last ``take``."""
        return self._sink.take()

    def finish(self, order: Sequence[str] = ()) -> bytes:
        """The rest of the file. Sheets never written get their header row only (``order``
        first, then the others in workbook order)."""
        for title in (*order, *self.sheets):
            if title not in self._done:
                self.sheet(title)
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
