"""The enterprise export is streamed as it is built: bytes are ready after the first rows, long
before the last (issue 17: the full export sat silent for ~40 s), and the streamed file is the
same workbook a spreadsheet opens: both sheets, headers, text kept as text, dates as dates."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from registry.adapters.files.columns import COLUMNS
from registry.adapters.files.export_workbook import LIST_HEADERS
from registry.adapters.files.export_workbook import LIST_TITLE
from registry.adapters.files.export_workbook import StreamingBook
from registry.adapters.files.import_template import SHEET_TITLE

GOOD = {c.key: c.example for c in COLUMNS}


def test_bytes_leave_before_the_workbook_is_finished_and_it_opens_whole() -> None:
    book = StreamingBook()
    streamed = []
    for n in range(2000):
        book.add_year({**GOOD, "uscc": f"U{n:05d}", "year": 2024})
        if n % 1000 == 999:
            streamed.append(book.take())
    assert streamed[0].startswith(b"PK") and all(streamed)  # the download is under way
    book.add_enterprise(["U00000", "=HYPERLINK(\"x\")", None, None, None, None,
                         date(2015, 1, 1), None, "", "", 2024, 120, 1, 2])
    data = b"".join(streamed) + book.take() + book.finish()
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == [LIST_TITLE, SHEET_TITLE]
    listed = list(workbook[LIST_TITLE].iter_rows())
    assert [c.value for c in listed[0]] == list(LIST_HEADERS) and listed[0][0].font.b
    assert (listed[1][1].value, listed[1][1].data_type) == ('=HYPERLINK("x")', "s")
    assert listed[1][6].value.date() == date(2015, 1, 1)
    figures = list(workbook[SHEET_TITLE].iter_rows(values_only=True))
    assert len(figures) == 2001 and figures[2000][0] == "U01999"


def test_a_book_with_nothing_in_it_is_still_a_workbook_and_an_abandoned_one_is_released(
) -> None:
    empty = StreamingBook()
    workbook = load_workbook(io.BytesIO(empty.finish()))
    assert workbook.sheetnames == [LIST_TITLE, SHEET_TITLE]
    assert workbook[LIST_TITLE].max_row == 1  # the headers
    gone = StreamingBook()
    gone.add_year({**GOOD, "year": 2024})
    gone.abandon()
    gone.abandon()  # twice is harmless (the response closes it whatever happened)
