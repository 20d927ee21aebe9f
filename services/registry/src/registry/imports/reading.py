"""Stream-parse an uploaded XLSX or CSV into (row number, cells) without loading it whole.

The type is taken from the bytes, not the file name: XLSX is a ZIP (``PK\\x03\\x04``), CSV
must decode as UTF-8 (with or without BOM) or GB18030 (what Excel on a Chinese Windows
saves). openpyxl runs in ``read_only`` mode, which streams the sheet XML row by row.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from typing import Any
from typing import Final

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

XLSX_MAGIC: Final = b"PK\x03\x04"
SHEET_TITLE: Final = "企业及年度数据 Enterprises"  # the template's data sheet
Row = tuple[int, tuple[Any, ...] | list[Any]]


class UnreadableFile(ValueError):
    """The upload is not a file this import reads; ``status`` is the HTTP status to answer."""

    def __init__(self, status: int, zh: str, en: str) -> None:
        self.status, self.zh, self.en = status, zh, en
        super().__init__(f"{zh} / {en}")


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


def open_rows(data: bytes, kind: str) -> tuple[list[Any], Iterator[Row]]:
    """The header row and an iterator of the data rows (numbered as the user sees them)."""
    rows = _xlsx_rows(data) if kind == "xlsx" else _csv_rows(data)
    try:
        first = next(rows)
    except StopIteration:
        raise UnreadableFile(422, "文件为空", "the file is empty") from None
    return list(first[1]), rows


def _csv_rows(data: bytes) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(_decode(data), newline=""))
    for number, cells in enumerate(reader, start=1):
        if cells and any(cells):
            yield number, cells


def _xlsx_rows(data: bytes) -> Iterator[Row]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        # an export carries the template sheet second: prefer it by title, else the first
        sheet = book[SHEET_TITLE] if SHEET_TITLE in book.sheetnames else book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, IndexError,
            ValueError) as exc:
        raise UnreadableFile(422, "XLSX 文件已损坏或格式不正确",
                             "the XLSX file is damaged or malformed") from exc
    return _numbered(rows, book)


def _numbered(rows: Iterator[tuple[Any, ...]], book: Any) -> Iterator[Row]:
    try:
        for number, cells in enumerate(rows, start=1):
            if any(c is not None and c != "" for c in cells):
                yield number, cells
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile(422, "XLSX 文件已损坏或格式不正确",
                             "the XLSX file is damaged or malformed") from exc
    finally:
        book.close()
