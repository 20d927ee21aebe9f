"""Row and file validation of an import: every cell, every row, and rows against each other.

``BatchValidator`` is compiled once from the file's header (column positions and converters
fixed up front), then fed rows one at a time, so memory holds only the accepted records and
the errors. Cross-row rules: one row per (credit code, fiscal year), and the enterprise
columns of one credit code must agree (a blank repeat is fine). Errors name the row number as
the user sees it (header = row 1), the column header and a zh/en reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from typing import Any
from typing import Final

from registry.imports.cells import CellError
from registry.imports.cells import Converter
from registry.imports.cells import converter_for
from registry.imports.columns import BY_KEY
from registry.imports.columns import COLUMNS
from registry.imports.columns import ENTERPRISE_KEYS
from registry.imports.columns import FIGURE_KEYS
from registry.imports.columns import key_of_header

MAX_ERRORS_KEPT: Final = 1000
_NOT_ABOVE: Final = (
    ("science_staff", "employees"), ("rd_staff", "science_staff"), ("rd_staff", "employees"),
    ("rd_expense_domestic", "rd_expense"),
)


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    column: str  # the column header as the template writes it ("" for a whole-row problem)
    zh: str
    en: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": f"{self.zh} / {self.en}"}


class HeaderError(ValueError):
    """The header row is unusable: the file is refused before any row is read."""

    def __init__(self, fields: dict[str, list[str]]) -> None:
        self.fields = fields
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))


@dataclass
class Batch:
    """What validation accepted: enterprise records by credit code and one record per year."""

    enterprises: dict[str, dict[str, Any]] = field(default_factory=dict)
    financials: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    rows: int = 0


def map_header(header: Iterable[Any]) -> list[str | None]:
    """Field key per column position; raises ``HeaderError`` on unknown, repeated or missing."""
    keys: list[str | None] = []
    problems: dict[str, list[str]] = {}
    for position, cell in enumerate(header, start=1):
        if cell is None or str(cell).strip() == "":
            keys.append(None)
            continue
        key = key_of_header(cell)
        if key is None:
            problems[f"row 1: {cell}"] = ["未知列 / unknown column"]
        elif key in keys:
            problems[f"row 1: {cell}"] = [f"列重复（第{position}列） / repeated column"]
        keys.append(key)
    for required in (c for c in COLUMNS if c.required and c.key not in keys):
        problems[required.header] = ["缺少必填列 / required column missing"]
    if problems:
        raise HeaderError(problems)
    return keys


class BatchValidator:
    """Validate rows against a mapped header; feed with ``add``, read ``batch`` at the end."""

    def __init__(self, keys: list[str | None], *, today: date | None = None) -> None:
        this_year = (today or date.today()).year
        self._plan: list[tuple[int, str, Converter, bool, str]] = [
            # the name may be left blank on an enterprise's later rows (checked in _accept)
            (i, k, converter_for(BY_KEY[k].kind, this_year),
             BY_KEY[k].required and k != "name", BY_KEY[k].header)
            for i, k in enumerate(keys) if k is not None
        ]
        self._ent_keys = tuple(k for k in ENTERPRISE_KEYS if k in keys)
        self._fig_keys = tuple(k for k in FIGURE_KEYS if k in keys)
        self._first_row: dict[str, int] = {}
        self._seen_years: dict[tuple[str, int], int] = {}
        self.batch = Batch()

    def _error(self, row: int, column: str, zh: str, en: str) -> None:
        self.batch.error_count += 1
        if len(self.batch.errors) < MAX_ERRORS_KEPT:
            self.batch.errors.append(RowError(row, column, zh, en))

    def add(self, row: int, cells: tuple[Any, ...] | list[Any]) -> None:
        """Validate one data row (``row`` = its 1-based line in the file)."""
        self.batch.rows += 1
        record: dict[str, Any] = {}
        ok = True
        width = len(cells)
        for i, key, convert, required, header in self._plan:
            raw = cells[i] if i < width else None
            if raw is None or raw == "" or (raw.__class__ is str and not raw.strip()):
                if required:
                    self._error(row, header, "必填", "required")
                    ok = False
                record[key] = None
                continue
            try:
                record[key] = convert(raw)
            except CellError as exc:
                self._error(row, header, exc.zh, exc.en)
                ok = False
        if ok and self._cross_field(row, record):
            self._accept(row, record)

    def _cross_field(self, row: int, record: dict[str, Any]) -> bool:
        ok = True
        for small, big in _NOT_ABOVE:
            a, b = record.get(small), record.get(big)
            if a is not None and b is not None and a > b:
                self._error(row, BY_KEY[small].header, f"不能超过{BY_KEY[big].zh}（{b}）",
                            f"must not exceed {BY_KEY[big].en} ({b})")
                ok = False
        return ok

    def _accept(self, row: int, record: dict[str, Any]) -> None:
        code, year = record["uscc"], record["year"]
        earlier = self._seen_years.get((code, year))
        if earlier is not None:
            self._error(row, BY_KEY["year"].header, f"与第{earlier}行重复（同一企业同一年度）",
                        f"repeats row {earlier} (same credit code and fiscal year)")
            return
        enterprise = {k: record[k] for k in self._ent_keys}
        known = self.batch.enterprises.get(code)
        if known is None:
            if enterprise.get("name") is None:
                self._error(row, BY_KEY["name"].header, "必填", "required")
                return
            self.batch.enterprises[code] = enterprise
            self._first_row[code] = row
        elif not self._agrees(row, code, known, enterprise):
            return
        self._seen_years[(code, year)] = row
        figures = {k: record[k] for k in self._fig_keys}
        figures["uscc"], figures["year"] = code, year
        self.batch.financials.append(figures)

    def _agrees(self, row: int, code: str, known: dict[str, Any], new: dict[str, Any]) -> bool:
        """Enterprise columns repeated on a later row must match (blanks are filled in)."""
        ok = True
        for key, value in new.items():
            if value is None:
                continue
            if known.get(key) is None:
                known[key] = value
            elif known[key] != value:
                self._error(row, BY_KEY[key].header, f"与第{self._first_row[code]}行不一致",
                            f"differs from row {self._first_row[code]}")
                ok = False
        return ok
