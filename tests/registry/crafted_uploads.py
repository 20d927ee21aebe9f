"""Crafted uploads for the import's limits, built with ``zipfile`` (a few KB on disk each).

Used by ``integration/test_upload_limits.py``; run it as a script to measure what each costs
the request (CPU seconds of ``check_upload`` with the default limits) and the job:

    .venv/bin/python tests/registry/crafted_uploads.py
"""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from collections.abc import Callable

from openpyxl import Workbook
from registry_testkit import new_uscc

from registry.adapters.files.columns import COLUMNS

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
STRINGS_TYPE = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" />')
STRINGS_REL = ('<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
               'relationships/sharedStrings" Target="sharedStrings.xml" Id="rId9" />')


def template_row(uscc: str | None = None) -> list[str]:
    return [uscc or new_uscc() if c.key == "uscc" else c.example for c in COLUMNS]


def template_xlsx(rows: int = 1, *, notes: bool = False) -> bytes:
    """A good file: the template's header and ``rows`` enterprises (one fiscal year each);
    ``notes`` adds a second sheet (``xl/worksheets/sheet2.xml``), as the template has."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([c.header for c in COLUMNS])
    for _ in range(rows):
        sheet.append(template_row())
    if notes:
        book.create_sheet("说明 Instructions").append(["列 / Column"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv(rows: int) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([[c.header for c in COLUMNS],
                               *(template_row() for _ in range(rows))])
    return out.getvalue().encode()


def rezip(data: bytes, *, edit: dict[str, Callable[[bytes], bytes]] | None = None,
          add: dict[str, bytes] | None = None) -> bytes:
    """``data`` with some parts rewritten and others added (deflated, as Excel writes)."""
    edit, add = edit or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            dst.writestr(info.filename, edit.get(info.filename, lambda b: b)(body))
        for name, body in add.items():
            dst.writestr(name, body)
    return out.getvalue()


def in_sheet(old: str, new: str) -> dict[str, Callable[[bytes], bytes]]:
    def change(body: bytes) -> bytes:
        assert old.encode() in body
        return body.replace(old.encode(), new.encode(), 1)
    return {SHEET: change}


def with_shared_strings(data: bytes, strings: bytes) -> bytes:
    return rezip(data, add={STRINGS: strings}, edit={
        "[Content_Types].xml": lambda b: b.replace(
            b"</Types>", STRINGS_TYPE.encode() + b"</Types>"),
        "xl/_rels/workbook.xml.rels": lambda b: b.replace(
            b"</Relationships>", STRINGS_REL.encode() + b"</Relationships>"),
    })


def dimension_bomb() -> bytes:
    """The reported file: one enterprise, but the sheet declares all 16,384 × 1,048,576 cells."""
    data = template_xlsx()
    declared = re.search(rb'<dimension ref="([A-Z0-9:]+)"', zipfile.ZipFile(
        io.BytesIO(data)).read(SHEET))
    assert declared is not None
    return rezip(data, edit=in_sheet(f'ref="{declared.group(1).decode()}"',
                                     'ref="A1:XFD1048576"'))




def far_row(number: int, *, value: str = "x") -> bytes:
    """The dimension bomb plus one more row numbered ``number`` (openpyxl pads the gap)."""
    cell = f'<c r="A{number}" t="inlineStr"><is><t>{value}</t></is></c>'
    return rezip(dimension_bomb(),
                 edit=in_sheet("</sheetData>", f'<row r="{number}">{cell}</row></sheetData>'))


def sparse_dimension_bomb() -> bytes:
    """Two enterprises 50,000 rows apart (row numbers within the default limit), in a sheet
    declaring A1:XFD1048576: openpyxl used to pad each row of the gap to 16,384 columns."""
    data = dimension_bomb()
    second = zipfile.ZipFile(io.BytesIO(data)).read(SHEET)
    row = re.search(rb'<row r="2"[^>]*>.*?</row>', second)
    assert row is not None
    far = re.sub(rb'r="([A-Z]+)2"', rb'r="\g<1>50001"', row.group(0)).replace(
        b'<row r="2"', b'<row r="50001"', 1)
    far = far.replace(template_row_uscc(second), new_uscc().encode())
    return rezip(data, edit=in_sheet("</sheetData>", far.decode() + "</sheetData>"))


def template_row_uscc(sheet: bytes) -> bytes:
    found = re.search(rb'r="A2" t="inlineStr"><is><t>([0-9A-Z]{18})</t>', sheet)
    assert found is not None
    return found.group(1)


def shared_strings_part(count: int) -> bytes:
    items = b"".join(b"<si><t>%x-%d</t></si>" % (i * 2654435761 % 2**32, i)
                     for i in range(count))
    return (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + items
            + b"</sst>")


def shared_strings(count: int) -> bytes:
    """A workbook with ``count`` distinct shared strings (what opening the workbook parses)."""
    return with_shared_strings(template_xlsx(), shared_strings_part(count))


def styles(count: int) -> bytes:
    """A workbook whose xl/styles.xml holds ``count`` cell formats (parsed on opening)."""
    xfs = b"".join(b'<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0"/>'
                   % (i * 2654435761 % 2**32 % 164) for i in range(count))

    def bloat(body: bytes) -> bytes:
        return re.sub(rb"<cellXfs count=\"\d+\">", b'<cellXfs count="%d">' % count + xfs, body)
    return rezip(template_xlsx(), edit={"xl/styles.xml": bloat})


def defined_names(count: int) -> bytes:
    names = b"".join(b'<definedName name="n%d">Sheet!$A$1</definedName>' % i
                     for i in range(count))
    return rezip(template_xlsx(), edit={"xl/workbook.xml": lambda b: b.replace(
        b"</workbook>", b"<definedNames>" + names + b"</definedNames></workbook>")})


CRAFTED: dict[str, Callable[[], bytes]] = {
    "dimension A1:XFD1048576": dimension_bomb,
    "dimension A1:XFD1048576, rows 2 and 50,001": sparse_dimension_bomb,
    "row numbered 1,048,576": lambda: far_row(1_048_576),
    "row numbered 9,000,000,000": lambda: far_row(9_000_000_000),
    "3 MiB part packed 1000:1": lambda: rezip(template_xlsx(),
                                              add={"docProps/custom.xml": b" " * 3 * 2**20}),
    "300 parts": lambda: rezip(template_xlsx(),
                               add={f"customXml/item{i}.xml": b"<a/>" for i in range(300)}),
    "40,000 <col> before the header": lambda: rezip(template_xlsx(), edit=in_sheet(
        "<sheetData>", "<cols>" + '<col min="1" max="1" width="9" />' * 40_000
        + "</cols><sheetData>")),
    "shared strings: 80,000 (the limit)": lambda: shared_strings(80_000),
    "shared strings: 80,001": lambda: shared_strings(80_001),
    "styles.xml: 0.95 MiB of cell formats (under the limit)": lambda: styles(15_000),
    "workbook.xml: 0.95 MiB of defined names (under the limit)": lambda: defined_names(19_000),
    "80,000 shared strings and 0.95 MiB of formats at once": lambda: with_shared_strings(
        styles(15_000), shared_strings_part(80_000)),
    "good file, 50,000 rows (the row limit)": lambda: template_xlsx(50_000),
    "good CSV, 50,000 rows": lambda: template_csv(50_000),
}


def main() -> None:
    from registry.adapters.files.reading import UnreadableFile
    from registry.adapters.files.upload_limits import UploadLimits
    from registry.handlers.imports import check_upload
    from registry.handlers.imports import validate

    limits = UploadLimits()  # the settings' defaults
    print(f"{'file':55} {'bytes':>10} {'request CPU s':>14} {'answer':>8} {'job CPU s':>10}")
    for name, build in CRAFTED.items():
        data = build()
        started = time.process_time()
        kind = "xlsx"
        try:
            kind, _total = check_upload(data, limits)
            answer = "202"
        except UnreadableFile as exc:
            answer = str(exc.status)
        request = time.process_time() - started
        job = ""
        if answer == "202":
            started = time.process_time()
            validate(data, kind, limits=limits)
            job = f"{time.process_time() - started:.2f}"
        print(f"{name:55} {len(data):>10,} {request:>14.3f} {answer:>8} {job:>10}")


if __name__ == "__main__":
    main()
