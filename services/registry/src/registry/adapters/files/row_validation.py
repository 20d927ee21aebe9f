"""Row and file validation of an import: every cell, every row, and rows against each other.

``BatchValidator`` is compiled once from the file's header (column positions and converters
fixed up front), then fed rows one at a time, so memory holds only the accepted records and
the errors. Cross-row rules: one row per (credit code, fiscal year), and the enterprise
columns of one credit code must agree (a blank repeat is fine). Errors name the row number as
the user sees it (header = row 1), the column header and a zh/en reason.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from operator import itemgetter
from typing import Any
from typing import Final

from registry.adapters.files.cells import CellError
from registry.adapters.files.cells import Converter
from registry.adapters.files.cells import converter_for
from registry.adapters.files.columns import BY_KEY
from registry.adapters.files.columns import COLUMNS
from registry.adapters.files.columns import ENTERPRISE_SCOPE_KEYS
from registry.adapters.files.columns import FIGURE_KEYS
from registry.adapters.files.columns import key_of_header
from yumiao_common.clock import beijing_today

MAX_ERRORS_KEPT: Final = 1000
_Step = tuple[str, Converter, bool, str]  # key, converter, required, header
_INTS: Final = frozenset({"year", "count", "money", "signed_money"})
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


def _getter(positions: list[int]) -> Callable[[Any], tuple[Any, ...]]:
    """Pick cells by position as a tuple (``itemgetter`` returns a bare value for one)."""
    if not positions:
        return lambda _cells: ()
    if len(positions) == 1:
        only = positions[0]
        return lambda cells: (cells[only],)
    return itemgetter(*positions)


class _FastFigures:
    """The common case of a CSV row in one pass: every figure a plain integer or blank.

    Converts the integer columns with one list comprehension (``int`` on ``str`` cannot
    truncate, unlike on an XLSX float, hence text cells only) and checks signs and the year
    range on the whole row. Anything unusual returns None and the row takes the per-cell path,
    which produces the exact error message; so this never accepts what that path refuses.
    """

    def __init__(self, keys: list[str | None], this_year: int) -> None:
        figure_keys = ("year", *FIGURE_KEYS)
        int_at = [i for i, k in enumerate(keys) if k in figure_keys and BY_KEY[k].kind in _INTS]
        self._keys: list[str] = [k for k in (keys[i] for i in int_at) if k is not None]
        self._cells = _getter(int_at)
        unsigned = [i for i in int_at if BY_KEY[keys[i] or ""].kind != "signed_money"]
        self._unsigned_cells = _getter(unsigned)
        self._year = self._keys.index("year")
        self._this_year = this_year
        self._others = [(i, k, converter_for(BY_KEY[k].kind, this_year))
                        for i, k in enumerate(keys)
                        if k in FIGURE_KEYS and BY_KEY[k].kind not in _INTS]

    def convert(self, cells: tuple[Any, ...] | list[Any]) -> dict[str, Any] | None:
        if "-" in "".join(self._unsigned_cells(cells)):
            return None
        try:
            values = [int(x) if x else None for x in self._cells(cells)]
        except ValueError:
            return None
        year = values[self._year]
        if year is None or not 1949 <= year <= self._this_year:
            return None
        figures = dict(zip(self._keys, values, strict=True))
        for i, key, convert in self._others:
            raw = cells[i]
            if not raw:
                figures[key] = None
                continue
            try:
                figures[key] = convert(raw)
            except CellError:
                return None
        return figures


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
    """Validate rows against a mapped header; feed with ``add``, read ``batch`` at the end.

    Speed matters (files of 300,000 rows): positions and converters are fixed here once, the
    cells of a row are picked with one ``itemgetter`` call, and an enterprise's columns,
    repeated identically on each of its fiscal-year rows, are converted only once.
    """

    def __init__(
        self, keys: list[str | None], *, today: date | None = None, text_cells: bool = False
    ) -> None:
        this_year = (today or beijing_today()).year

        def plan(wanted: tuple[str, ...]) -> tuple[list[int], list[_Step]]:
            at = [i for i, k in enumerate(keys) if k in wanted]
            steps = [(k, converter_for(BY_KEY[k].kind, this_year),
                      # the name may be blank on an enterprise's later rows (see _accept)
                      BY_KEY[k].required and k != "name", BY_KEY[k].header)
                     for k in (keys[i] for i in at) if k is not None]
            return at, steps

        ent_at, self._ent_steps = plan(ENTERPRISE_SCOPE_KEYS)
        fig_at, self._fig_steps = plan(("year", *FIGURE_KEYS))
        self._width = len(keys)
        self._ent_cells = _getter(ent_at)
        self._fig_cells = _getter(fig_at)
        self._fast = _FastFigures(keys, this_year) if text_cells else None
        self._last_raw: tuple[Any, ...] | None = None
        self._last: tuple[dict[str, Any], bool] = ({}, False)
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
        if len(cells) < self._width:
            cells = [*cells, *([None] * (self._width - len(cells)))]
        ent_raw = self._ent_cells(cells)
        if ent_raw == self._last_raw:  # the same enterprise's next fiscal year
            enterprise, ent_ok = self._last
        else:
            enterprise, ent_ok = self._convert(row, self._ent_steps, ent_raw)
            self._last_raw, self._last = ent_raw, (enterprise, ent_ok)
        figures = self._fast.convert(cells) if self._fast is not None else None
        fig_ok = True
        if figures is None:  # not text, or some cell needs the careful path (and its message)
            figures, fig_ok = self._convert(row, self._fig_steps, self._fig_cells(cells))
        if ent_ok and fig_ok and self._cross_field(row, figures):
            self._accept(row, enterprise, figures)

    def _convert(
        self, row: int, steps: list[_Step], raws: tuple[Any, ...]
    ) -> tuple[dict[str, Any], bool]:
        out: dict[str, Any] = {}
        ok = True
        for (key, convert, required, header), raw in zip(steps, raws, strict=True):
            if raw is not None and raw != "":
                try:
                    out[key] = convert(raw)
                    continue
                except CellError as exc:
                    if not (raw.__class__ is str and raw.isspace()):
                        self._error(row, header, exc.zh, exc.en)
                        ok = False
                        continue
            out[key] = None
            if required:
                self._error(row, header, "必填", "required")
                ok = False
        return out, ok

    def _cross_field(self, row: int, figures: dict[str, Any]) -> bool:
        ok = True
        for small, big in _NOT_ABOVE:
            a, b = figures.get(small), figures.get(big)
            if a is not None and b is not None and a > b:
                self._error(row, BY_KEY[small].header, f"不能超过{BY_KEY[big].zh}（{b}）",
                            f"must not exceed {BY_KEY[big].en} ({b})")
                ok = False
        return ok

    def _accept(self, row: int, enterprise: dict[str, Any], figures: dict[str, Any]) -> None:
        code, year = enterprise["uscc"], figures["year"]
        earlier = self._seen_years.get((code, year))
        if earlier is not None:
            self._error(row, BY_KEY["year"].header, f"与第{earlier}行重复（同一企业同一年度）",
                        f"repeats row {earlier} (same credit code and fiscal year)")
            return
        known = self.batch.enterprises.get(code)
        if known is None:
            if enterprise.get("name") is None:
                self._error(row, BY_KEY["name"].header, "必填", "required")
                return
            self.batch.enterprises[code] = enterprise
            self._first_row[code] = row
        elif known is not enterprise and not self._agrees(row, code, known, enterprise):
            return
        self._seen_years[(code, year)] = row
        figures["uscc"] = code
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
