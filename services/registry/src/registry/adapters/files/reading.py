"""Stream-parse an uploaded XLSX or CSV into (row number, cells) without loading it whole.

The type is taken from the bytes, not the file name: XLSX is a ZIP (``PK\\x03\\x04``), CSV
must decode as UTF-8 (with or without BOM) or GB18030 (what Excel on a Chinese Windows
saves). openpyxl runs in ``read_only`` mode, which streams the sheet XML row by row.

An upload is untrusted, so the file is bounded before it is parsed (``upload_limits``), the sheet's
declared dimension is ignored (it once made a 9 KB file pad a million rows to 16,384
columns), data rows are read only as wide as the header and only as far as the row limit,
and a CSV is cut to the same bounds.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from typing import Final
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from registry.adapters.files.errors import UnreadableFile
from registry.adapters.files.upload_limits import HEADER_ROWS
from registry.adapters.files.upload_limits import UploadLimits
from registry.adapters.files.upload_limits import inspect_archive
from registry.adapters.files.upload_limits import scan_sheet

__all__ = ["UnreadableFile", "Opened", "open_rows", "sniff"]

XLSX_MAGIC: Final = b"PK\x03\x04"
SHEET_TITLE: Final = "企业及年度数据 Enterprises"  # the template's data sheet
Row = tuple[int, tuple[Any, ...] | list[Any]]
#: Unbounded reading (``run_job`` called without limits, e.g. by the benchmark): Excel's own
#: sheet size, so the declared dimension is still never trusted.
NO_LIMITS: Final = UploadLimits(max_rows=1_048_575, max_columns=16_384,
                                max_members=10_000, max_unpacked_bytes=2**40,
                                max_sheet_bytes=2**40, max_shared_strings_bytes=2**40,
                                max_part_bytes=2**40, max_ratio=2**40)
_BROKEN: Final = (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, IndexError,
                  ValueError, ParseError, EOFError)


@dataclass
class Opened:
    """An opened upload: its header cells, its data rows and how many rows it holds at most."""

    header: list[Any]
    rows: Iterator[Row]
    total_rows: int | None

    def close(self) -> None:
        close = getattr(self.rows, "close", None)
        if close is not None:
            close()


def _damaged() -> UnreadableFile:
    return UnreadableFile(422, "XLSX 文件已损坏或格式不正确",
                          "the XLSX file is damaged or malformed")


def sniff(data: bytes) -> str:
    """``"xlsx"`` or ``"csv"``; anything else (PDF, old .xls, images, binary) is refused."""
    if data.startswith(XLSX_MAGIC):
        return "xlsx"
    head = data[:4096]
    if b"\x00" in head or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(415, "仅支持 XLSX 或 CSV 文件（不支持 .xls 等格式）",
                             "only XLSX or CSV files are accepted (not .xls or others)")
    _decode(head, partial=True)
    return "csv"


def _decode(data: bytes, *, partial: bool = False) -> str:
    """Text of ``data``; ``partial`` data may end inside a multi-byte character."""
    cuts = range(4) if partial else range(1)
    for encoding in ("utf-8-sig", "gb18030"):
        for cut in cuts:
            try:
                return data[: len(data) - cut].decode(encoding)
            except UnicodeDecodeError:
                continue
    raise UnreadableFile(415, "文件既不是 XLSX 也不是可识别编码的 CSV",
                         "the file is neither XLSX nor a CSV in a known text encoding")


def open_rows(data: bytes, kind: str, limits: UploadLimits | None = None) -> Opened:
    """The header row and an iterator of the data rows (numbered as the user sees them)."""
    limits = limits or NO_LIMITS
    return _open_xlsx(data, limits) if kind == "xlsx" else _open_csv(data, limits)


def _width(header: list[Any], limits: UploadLimits) -> int:
    """Columns to read: up to the last header cell that is not blank, within the limit."""
    width = len(header)
    while width and (header[width - 1] is None or str(header[width - 1]).strip() == ""):
        width -= 1
    if width == 0:
        raise UnreadableFile(422, "文件为空（没有表头行）", "the file is empty (no header row)")
    if width > limits.max_columns:
        raise limits.too_many_columns(width)
    return width


def _open_csv(data: bytes, limits: UploadLimits) -> Opened:
    # unbounded reading (the benchmark's 300,000 rows) skips the up-front count
    total = None if limits is NO_LIMITS else _csv_record_count(data, limits)
    records = _csv_records(data)
    first = next(records, None)
    if first is None:
        raise UnreadableFile(422, "文件为空", "the file is empty")
    header = list(first[1])
    width = _width(header, limits)
    return Opened(header[:width], _csv_rows(records, width, limits),
                  None if total is None else max(0, total - 1))


def _csv_records(data: bytes) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(_decode(data), newline=""))
    try:
        for number, cells in enumerate(reader, start=1):
            if cells and any(cells):
                yield number, cells
    except csv.Error as exc:  # e.g. a field over the csv module's 128 KiB
        raise UnreadableFile(422, f"CSV 文件格式不正确（第 {reader.line_num} 行）",
                             f"the CSV file is malformed (line {reader.line_num})") from exc


def _csv_record_count(data: bytes, limits: UploadLimits) -> int:
    """Records that are not blank, counted with the C csv reader (about 0.25 s for 20 MB).

    Refuses more than the header plus ``max_rows``, and a file the csv module cannot read
    (e.g. a field over its 128 KiB), here in the request rather than later in the job.
    """
    records = sum(1 for _ in _csv_records(data))
    if records > limits.max_rows + 1:
        raise limits.too_many_rows()
    return records


def _csv_rows(records: Iterator[Row], width: int, limits: UploadLimits) -> Iterator[Row]:
    for count, (number, cells) in enumerate(records, start=1):
        if count > limits.max_rows:
            raise limits.too_many_rows(number)
        yield number, cells[:width]


def _open_xlsx(data: bytes, limits: UploadLimits) -> Opened:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inspect_archive(archive, limits)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _BROKEN as exc:
        if isinstance(exc, UnreadableFile):
            raise
        raise _damaged() from exc
    try:
        return _open_sheet(book, limits)
    except BaseException:
        book.close()
        raise


def _open_sheet(book: Any, limits: UploadLimits) -> Opened:
    try:
        # an export carries the template sheet second: prefer it by title, else the first
        sheet = book[SHEET_TITLE] if SHEET_TITLE in book.sheetnames else book.worksheets[0]
        with book._archive.open(sheet._worksheet_path) as stream:
            scan = scan_sheet(stream, limits)
        sheet.reset_dimensions()  # never trust the declared A1:XFD1048576
        at, header = _find_header(sheet)
    except _BROKEN as exc:
        if isinstance(exc, UnreadableFile):
            raise
        raise _damaged() from exc
    width = _width(header, limits)
    last = at + limits.max_rows
    if scan.top > last:
        raise limits.too_many_rows(scan.top)
    if scan.rows > last:
        raise limits.too_many_rows()
    rows = sheet.iter_rows(min_row=at + 1, max_row=last + 1, max_col=width, values_only=True)
    return Opened(header[:width], _numbered(rows, book, at + 1, last, limits),
                  max(0, scan.rows - 1))


def _find_header(sheet: Any) -> tuple[int, list[Any]]:
    """The first row with a value among the first ``HEADER_ROWS`` (its number and cells)."""
    for number, cells in enumerate(sheet.iter_rows(max_row=HEADER_ROWS, values_only=True),
                                   start=1):
        if _filled(cells):
            return number, list(cells)
    raise UnreadableFile(422, f"文件为空（前 {HEADER_ROWS} 行没有表头）",
                         f"the file is empty (no header row in the first {HEADER_ROWS} rows)")


def _filled(cells: tuple[Any, ...] | list[Any]) -> bool:
    return any(c is not None and c != "" for c in cells)


def _numbered(rows: Iterator[tuple[Any, ...]], book: Any, first: int, last: int,
              limits: UploadLimits) -> Iterator[Row]:
    try:
        for number, cells in enumerate(rows, start=first):
            if _filled(cells):
                if number > last:
                    raise limits.too_many_rows(number)
                yield number, cells
    except _BROKEN as exc:
        if isinstance(exc, UnreadableFile):
            raise
        raise _damaged() from exc
    finally:
        book.close()
