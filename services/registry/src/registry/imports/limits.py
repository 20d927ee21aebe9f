"""Bounds on an uploaded file, checked before any of its XML is parsed.

An XLSX is a ZIP of XML parts, and openpyxl trusts it: it pads every row to the width the
sheet *declares* (``A1:XFD1048576`` made a 9 KB file pad a million rows to 16,384 columns),
parses ``xl/sharedStrings.xml`` whole when the workbook opens, and walks every row number up
to the last one the sheet names. So, in this order and all in the request:

1. ``inspect_archive`` reads only the ZIP's central directory: number of parts, unpacked size
   of each part and of all of them, and the compression ratio. The declared sizes are safe to
   trust: ``zipfile`` never inflates a part past its declared size (and fails its CRC).
2. ``scan_sheet`` inflates the data sheet once, at zlib speed, and finds its ``<row>`` tags with
   one regular expression: how many rows, the highest row number (openpyxl walks every number
   up to it), and how many bytes precede row ``HEADER_ROWS + 1`` (what opening the sheet
   parses to find the header). No XML object is built.

Only then does openpyxl open the workbook (see ``reading``), reading just the template's
columns. A refusal is an ``UnreadableFile`` (422) naming the limit.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from typing import IO
from typing import Any
from typing import Final

from registry.imports.errors import UnreadableFile

SHARED_STRINGS: Final = "xl/sharedStrings.xml"
WORKSHEETS: Final = "xl/worksheets/"
RATIO_FLOOR: Final = 2**20  # smaller parts may compress as well as they like
#: The header is the first row that is not blank among the first ``HEADER_ROWS`` rows ...
HEADER_ROWS: Final = 10
#: ... and the sheet XML up to the end of those rows (properties, columns, header) is at most
#: this long: it is what opening the sheet parses in the request.
HEADER_BYTES: Final = 2**20
_CHUNK: Final = 2**20
_TAIL: Final = 8192  # bytes kept between chunks (a row tag cut in two)
_ROW: Final = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,40}:)?row(?=[\s/>])([^>]{0,4096})>")
_ROW_NUMBER: Final = re.compile(rb"""\sr\s*=\s*["']\s*(\d{1,12})""")
_SHEET_DATA_END: Final = re.compile(rb"</(?:[A-Za-z_][\w.-]{0,40}:)?sheetData\s*>")


@dataclass(frozen=True, slots=True)
class UploadLimits:
    """What one upload may hold; built from the registry's ``import_*`` settings."""

    max_rows: int = 50_000
    max_columns: int = 64
    max_members: int = 200
    max_unpacked_bytes: int = 256 * 2**20
    max_sheet_bytes: int = 160 * 2**20
    max_shared_strings_bytes: int = 16 * 2**20
    max_part_bytes: int = 8 * 2**20
    max_ratio: int = 100

    @classmethod
    def from_settings(cls, settings: Any) -> UploadLimits:
        return cls(max_rows=settings.import_max_rows, max_columns=settings.import_max_columns,
                   max_members=settings.import_max_zip_members,
                   max_unpacked_bytes=settings.import_max_unpacked_bytes,
                   max_sheet_bytes=settings.import_max_sheet_bytes,
                   max_shared_strings_bytes=settings.import_max_shared_strings_bytes,
                   max_part_bytes=settings.import_max_part_bytes,
                   max_ratio=settings.import_max_compression_ratio)

    def too_many_rows(self, row_number: int | None = None) -> UnreadableFile:
        at_zh = f"（第 {row_number:,} 行）" if row_number else ""
        at_en = f" (row {row_number:,})" if row_number else ""
        return UnreadableFile(
            422, f"数据行过多{at_zh}：每个文件最多 {self.max_rows:,} 行数据（import_max_rows），"
                 "请拆分为多个文件",
            f"too many rows{at_en}: a file may hold at most {self.max_rows:,} data rows "
            "(import_max_rows); split it into several files")

    def too_many_columns(self, seen: int) -> UnreadableFile:
        return UnreadableFile(
            422, f"列过多（第 {seen} 列有表头）：最多读取 {self.max_columns} 列"
                 "（import_max_columns），请按模板的列填写",
            f"too many columns (a header in column {seen}): at most {self.max_columns} columns "
            "are read (import_max_columns); use the template's columns")


def _mib(size: int) -> str:
    return f"{size / 2**20:,.1f} MiB"


def _refuse(zh: str, en: str) -> UnreadableFile:
    return UnreadableFile(422, f"XLSX 文件超出限制：{zh}", f"the XLSX file exceeds a limit: {en}")


def _part_limit(name: str, limits: UploadLimits) -> tuple[int, str]:
    if name == SHARED_STRINGS:
        return limits.max_shared_strings_bytes, "import_max_shared_strings_bytes"
    if name.startswith(WORKSHEETS):
        return limits.max_sheet_bytes, "import_max_sheet_bytes"
    return limits.max_part_bytes, "import_max_part_bytes"


def inspect_archive(archive: zipfile.ZipFile, limits: UploadLimits) -> None:
    """Refuse a ZIP whose directory declares too many parts, bytes or too high a ratio."""
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise _refuse(f"包含 {len(infos):,} 个部件，最多 {limits.max_members:,} 个"
                      "（import_max_zip_members）",
                      f"{len(infos):,} parts, at most {limits.max_members:,} "
                      "(import_max_zip_members)")
    total = 0
    for info in infos:
        size, name = info.file_size, info.filename
        total += size
        limit, setting = _part_limit(name, limits)
        if size > limit:
            raise _refuse(f"部件 {name} 解压后 {_mib(size)}，最多 {_mib(limit)}（{setting}）",
                          f"part {name} unpacks to {_mib(size)}, at most {_mib(limit)} "
                          f"({setting})")
        ratio = size / max(info.compress_size, 1)
        if size > RATIO_FLOOR and ratio > limits.max_ratio:
            raise _refuse(f"部件 {name} 的压缩比 {ratio:,.0f}:1，最多 {limits.max_ratio}:1"
                          "（import_max_compression_ratio）",
                          f"part {name} has a compression ratio of {ratio:,.0f}:1, at most "
                          f"{limits.max_ratio}:1 (import_max_compression_ratio)")
    if total > limits.max_unpacked_bytes:
        raise _refuse(f"解压后共 {_mib(total)}，最多 {_mib(limits.max_unpacked_bytes)}"
                      "（import_max_unpacked_bytes）",
                      f"unpacks to {_mib(total)} in all, at most "
                      f"{_mib(limits.max_unpacked_bytes)} (import_max_unpacked_bytes)")


@dataclass
class SheetScan:
    """What ``scan_sheet`` learnt: row tags, last row number, bytes up to the header's end."""

    rows: int = 0
    last_number: int = 0
    top: int = 0  # the highest row number
    header_end: int | None = None


def scan_sheet(stream: IO[bytes], limits: UploadLimits) -> SheetScan:
    """Count the sheet's rows without parsing it; refuse more rows than the limit allows.

    Row numbers are what openpyxl walks (a gap is padded with empty rows), so a sheet whose
    rows are numbered past the limit is refused even when most of them are missing. Leading
    blank rows before the header are allowed (up to ``HEADER_ROWS``); the reader refuses the
    few rows this lets past once it knows where the header is.
    """
    scan = SheetScan()
    highest = limits.max_rows + HEADER_ROWS
    offset, tail = 0, b""
    while chunk := stream.read(_CHUNK):
        buffer = tail + chunk
        cut = buffer.rfind(b">") + 1
        _rows_in(buffer[:cut], offset, scan, highest, limits)
        if scan.header_end is None:
            end = _SHEET_DATA_END.search(buffer, 0, cut)
            if end is not None:
                scan.header_end = offset + end.start()
        rest = buffer[cut:]
        tail = rest[-_TAIL:]
        offset += cut + len(rest) - len(tail)
    if scan.header_end is None:
        scan.header_end = offset + len(tail)
    if scan.header_end > HEADER_BYTES:
        raise _refuse(f"表头行过大（{_mib(scan.header_end)}），最多 {_mib(HEADER_BYTES)}",
                      f"the header row is too large ({_mib(scan.header_end)}), "
                      f"at most {_mib(HEADER_BYTES)}")
    return scan


def _rows_in(text: bytes, offset: int, scan: SheetScan, highest: int,
             limits: UploadLimits) -> None:
    for match in _ROW.finditer(text):
        number = _ROW_NUMBER.search(match.group(1))
        scan.last_number = int(number.group(1)) if number else scan.last_number + 1
        scan.rows += 1
        scan.top = max(scan.top, scan.last_number)
        if scan.header_end is None and scan.last_number > HEADER_ROWS:
            scan.header_end = offset + match.start()
        if scan.last_number > highest:
            raise limits.too_many_rows(scan.last_number)
        if scan.rows > highest:
            raise limits.too_many_rows()
