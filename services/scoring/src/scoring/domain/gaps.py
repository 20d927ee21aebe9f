"""Turning rows into what users read: percentages, gap amounts in their units, texts.

Runs only when an answer is built (``scoring.domain.result``), never on the evaluation hot
path.
Ratios are shown in percent (``"12.5"`` means 12.5 %); money in yuan; Decimals are serialised
as strings so no float ever rounds a band edge.

It is, however, the hot path of the what-if endpoint (≈200 criteria per answer), so:

* everything static about a criterion (id, title, citation, role, route, requirement, unit,
  ``points_max``, flags) is computed once per compiled ``Spec`` (``_static``) — each answer
  only copies that template and fills in the row's own values;
* Decimal → string conversions are memoised by value (``_plain``; thresholds and band points
  repeat across requests) — equal Decimals always print alike after ``normalize()``, except
  the sign of zero, which is never memoised;
* the gap texts of a row are built once and shared by the criterion and its next step.

Two views, assembled in ``result``: ``result_to_dict`` (full: every criterion, from
``criterion_dict``) and ``result_to_summary`` (only the criteria that did not pass, passing
ones counted, from ``criterion_summary``). A rulebook with
review criteria (status ``review``, see ``engine``) adds ``pending_review`` (ids) to both views,
right after ``next_steps``, and a ``review`` count to the summary; other tiers are unchanged.

Readers get words, not machine values (``readable``): each criterion carries
``actual_text`` / ``requirement_text`` / ``note_text`` as ``{"zh", "en"}`` (是/否, ¥1,234,567,
12.50 %, field names; each side in one language), the gap texts are written from them, and the
citation names the document and article only. The typed ``actual`` / ``required`` /
``requirement`` / ``note`` stay as they were for programs.
"""

from __future__ import annotations

import re
from decimal import ROUND_CEILING
from decimal import ROUND_FLOOR
from decimal import Decimal
from typing import Any

from scoring.domain.factinfo import FACTS
from scoring.domain.readable import clean_citation
from scoring.domain.readable import note_texts
from scoring.domain.readable import number
from scoring.domain.readable import requirement_texts
from scoring.domain.readable import value_texts
from scoring.domain.verdict import FAIL
from scoring.domain.verdict import Row
from scoring.domain.verdict import Spec

_UNITS_ZH = {"yuan": "元", "people": "人", "ip_items": "项", "percentage_points": "个百分点",
             "points": "分", "years": "年", "households": "户", "count": "项", "days": "天"}
_UNITS_EN = {"yuan": "yuan", "people": "people", "ip_items": "IP items",
             "percentage_points": "percentage points", "points": "points", "years": "years",
             "households": "households", "count": "items", "days": "days"}  # fmt: skip
HUNDRED = Decimal(100)
#: Gap units whose noun is already in the criterion's ``what`` ("science staff", "points").
_COUNTED = frozenset({"people", "ip_items", "points", "households", "count"})


_ZERO = Decimal(0)
_Q4 = Decimal("0.0001")
_CENT = Decimal("0.01")
#: Memo of ``_plain`` / percent strings by Decimal value; bounded (actual values vary).
_PLAIN: dict[Decimal, str] = {}
_PERCENT: dict[Decimal, str] = {}
_MEMO_MAX = 50_000


def show(value: Any, unit: str) -> Any:
    """JSON-safe display value: Decimal → string, ratios in percent, ranges as lists."""
    if isinstance(value, Decimal):
        return _percent(value) if unit == "ratio" else _plain(value)
    if isinstance(value, tuple):
        return [show(v, unit) for v in value]
    if isinstance(value, frozenset | set):
        return sorted(value)
    return value


def _format(value: Decimal) -> str:
    q = value.quantize(_Q4) if value != value.to_integral_value() else value
    return format(q.normalize(), "f")


def _plain(value: Decimal) -> str:
    if not value or not value.is_finite():  # ±0 print differently but hash alike
        return _format(value)
    text = _PLAIN.get(value)
    if text is None:
        if len(_PLAIN) >= _MEMO_MAX:
            _PLAIN.clear()
        text = _PLAIN[value] = _format(value)
    return text


def _percent(value: Decimal) -> str:
    if not value or not value.is_finite():
        return _format(value * HUNDRED)
    text = _PERCENT.get(value)
    if text is None:
        if len(_PERCENT) >= _MEMO_MAX:
            _PERCENT.clear()
        text = _PERCENT[value] = _format(value * HUNDRED)
    return text


def money(amount: Decimal, unit: str) -> tuple[str, str]:
    """A gap amount in words; percentage points round up, so a gap never reads 0.00."""
    if unit == "yuan":
        text = f"¥{int(amount):,}"
        return text, text
    if unit == "percentage_points":
        n = f"{Decimal(amount).quantize(_CENT, rounding=ROUND_CEILING):.2f}"
    else:
        n = number(amount)
    return f"{n}{_UNITS_ZH.get(unit, '')}", f"{n} {_UNITS_EN.get(unit, unit)}"


def counted_en(amount: Decimal, what_en: str) -> str:
    """``what_en`` for ``amount`` of it: "1 more Class I IP item", "2 more Class I IP items"."""
    if amount != 1:
        return what_en
    return re.sub(r"\b(item|household|point)s\b", r"\1", what_en, count=1)


def more_en(amount: Decimal, unit: str, what_en: str) -> str:
    """``"¥640,000 more R&D spending"``, ``"3 more science staff"`` (the noun said once)."""
    if unit in _COUNTED:
        return f"{number(amount)} more {counted_en(amount, what_en)}"
    return f"{money(amount, unit)[1]} more {what_en}"


def row_unit(spec: Spec, note: str) -> tuple[str, str | None]:
    """The unit (and fact) of a row's actual/required: the criterion's, unless the row's note
    says it was judged on another figure — a band the rulebook gives its own unit
    (``unit_by_note``), or the ladder of a ``best_of`` that won (the note names its fact)."""
    if note:
        for key, unit in spec.note_units:
            if key == note:
                return unit, None
        fi = FACTS.get(note)
        if fi is not None and fi.unit != spec.unit:
            return fi.unit, note
    return spec.unit, spec.fact


#: Display step of a figure by unit: a ratio shows 0.01 % (4 places), a percent 0.01.
_STEP = {"ratio": _Q4, "percent": _CENT}


def shown_actual(row: Row) -> Any:
    """A failing row's figure as shown: rounded away from its bound, never onto it.

    59.99999 % against "≥ 60 %" reads 59.99 %, 75.00001 % against "≤ 75 %" reads 75.01 %;
    half-even rounding showed "60.00 %" for a ratio that fails 60 %, which reads as a wrong
    verdict at the edge. Other rows and units are shown as they are.
    """
    actual, required = row[2], row[3]
    if row[1] != FAIL or not isinstance(actual, Decimal) or not isinstance(required, Decimal):
        return actual
    step = _STEP.get(row_unit(row[0], row[8])[0])
    if step is None or actual == required or not actual.is_finite():
        return actual
    return actual.quantize(step, rounding=ROUND_FLOOR if actual < required else ROUND_CEILING)


def gap_texts(row: Row) -> tuple[str, str]:
    """The gap of a failing row in words: what it is, what is required, what is missing."""
    spec, gap = row[0], row[6]
    if gap is None:
        return "", ""
    zh_amt, en_amt = money(gap, spec.gap_unit)
    what_zh, what_en = spec.what_zh or spec.title_zh, spec.what_en or spec.title_en
    unit, fact = row_unit(spec, row[8])
    actual_zh, actual_en = value_texts(shown_actual(row), unit, fact)
    need_zh, need_en = _requirement(spec)
    if not spec.requirement and row[3] is not None:
        need_zh, need_en = value_texts(row[3], unit, fact)
    title_en = need_title(spec)
    head_zh = f"{spec.title_zh}：实际 {actual_zh}，要求 {need_zh}"
    head_en = f"{title_en}: {actual_en} against {need_en}"
    over = isinstance(row[2], Decimal | int) and isinstance(row[3], Decimal | int)
    if over and row[2] > row[3]:  # a maximum was exceeded
        return f"{head_zh}；超出 {zh_amt}", f"{head_en}; {en_amt} over the limit"
    if spec.gap_unit in _COUNTED:  # "3 more science staff", not "3 people more science staff"
        en_amt, what_en = number(gap), counted_en(gap, what_en)
    return (f"{head_zh}；还需增加{what_zh} {zh_amt}",
            f"{head_en}; {en_amt} more {what_en} would meet it")  # fmt: skip


def _requirement(spec: Spec) -> tuple[str, str]:
    return requirement_texts(spec.requirement, spec.title_zh, spec.title_en)


def need_title(spec: Spec) -> str:
    """The English title without the Chinese term some titles quote in brackets."""
    return requirement_texts("", spec.title_zh, spec.title_en)[1]


class _Static:
    """The per-``Spec`` parts of a criterion's answer, computed once (``Spec.view``)."""

    __slots__ = ("full", "summary", "unit", "ratio", "requirement_text")

    def __init__(self, spec: Spec) -> None:
        self.ratio = spec.unit == "ratio"
        self.unit = "percent" if self.ratio else spec.unit
        citation = clean_citation(spec.citation)
        zh, en = _requirement(spec)
        self.requirement_text = {"zh": zh, "en": en}
        # Key order is the answer's key order: the per-row keys hold placeholders.
        self.full: dict[str, Any] = {
            "id": spec.id, "title": None, "citation": citation, "role": spec.role,
            "route": spec.route, "status": None, "actual": None, "required": None,
            "requirement": spec.requirement, "unit": self.unit, "points": None,
            "points_max": show(spec.points_max, "points"), "gap": None, "closable": False,
            "note": None, "confirmed": spec.confirmed,
            "uses_local_parameter": bool(spec.local_params), "local_parameters": None,
            "actual_text": None, "requirement_text": self.requirement_text, "note_text": None,
        }  # fmt: skip
        self.summary: dict[str, Any] = {
            "id": spec.id, "title": None, "citation": citation, "role": spec.role,
            "route": spec.route, "status": None, "actual": None, "required": None,
            "requirement": spec.requirement, "unit": self.unit, "gap": None,
            "closable": False, "note": None, "confirmed": spec.confirmed,
            "actual_text": None, "requirement_text": self.requirement_text, "note_text": None,
        }  # fmt: skip


def _static(spec: Spec) -> _Static:
    view = spec.view
    if view is None:
        view = _Static(spec)
        object.__setattr__(spec, "view", view)  # frozen dataclass: a write-once cache
    return view  # type: ignore[no-any-return]


_AS_IS = (type(None), bool, int, str)


def _value(value: Any, ratio: bool) -> Any:
    kind = type(value)
    if kind is Decimal:
        return _percent(value) if ratio else _plain(value)
    if kind in _AS_IS:
        return value
    return show(value, "ratio" if ratio else "")


def shown_figures(row: Row) -> tuple[Any, Any]:
    """A row's ``actual`` and ``required`` exactly as its answer shows them (see ``_fill``)."""
    spec, note = row[0], row[8]
    ratio = spec.unit == "ratio"
    if note:
        unit = row_unit(spec, note)[0]
        if unit != spec.unit:
            ratio = unit == "ratio"
    return _value(shown_actual(row), ratio), _value(row[3], ratio)


Texts = dict[int, tuple[str, str]]
#: Memo of ``actual_text`` by (type, value, unit, fact): values repeat across answers. The type
#: is part of the key (``True == 1``); zero is never memoised (``-0`` would print as ``0``).
_ACTUAL: dict[tuple[type, Any, str, str | None], dict[str, str]] = {}
_SCALARS = (type(None), bool, int, str, Decimal)


def _actual_text(actual: Any, unit: str, fact: str | None) -> dict[str, str]:
    """``{"zh", "en"}`` of a row's actual value (shared, never mutated by callers)."""
    kind = type(actual)
    if kind not in _SCALARS or (kind is Decimal and not actual):
        zh, en = value_texts(actual, unit, fact)
        return {"zh": zh, "en": en}
    key = (kind, actual, unit, fact)
    text = _ACTUAL.get(key)
    if text is None:
        if len(_ACTUAL) >= _MEMO_MAX:
            _ACTUAL.clear()
        zh, en = value_texts(actual, unit, fact)
        text = _ACTUAL[key] = {"zh": zh, "en": en}
    return text


def _fill(d: dict[str, Any], row: Row, ratio: bool, texts: Texts | None) -> dict[str, Any]:
    """Write a row's own values into a copy of its criterion template (keys already in order)."""
    spec, status, actual, required, _lo, _hi, amount, closable, note = row
    unit, fact = spec.unit, spec.fact
    if note:
        unit, fact = row_unit(spec, note)
        if unit != spec.unit:  # judged on another figure: its own unit, also for programs
            ratio = unit == "ratio"
            d["unit"] = "percent" if ratio else unit
    d["title"] = {"zh": spec.title_zh, "en": spec.title_en}
    d["status"] = status
    actual = shown_actual(row)
    d["actual"] = _value(actual, ratio)
    d["required"] = _value(required, ratio)
    if amount is not None:
        zh, en = gap_texts(row)
        if texts is not None:
            texts[id(row)] = (zh, en)
        d["gap"] = {"amount": _plain(amount), "unit": spec.gap_unit, "text_zh": zh,
                    "text_en": en}  # fmt: skip
    d["closable"] = closable
    d["note"] = note or None
    d["actual_text"] = _actual_text(actual, unit, fact)
    if note:
        zh, en = note_texts(note)
        d["note_text"] = {"zh": zh, "en": en} if zh or en else None
    return d


def criterion_dict(row: Row, texts: Texts | None = None) -> dict[str, Any]:
    """One criterion of the full view (every key, in the documented order)."""
    spec = row[0]
    st = spec.view or _static(spec)
    d = _fill(st.full.copy(), row, st.ratio, texts)
    if row[4] is not None or row[5] is not None:
        d["points"] = {"min": show(row[4], "points"), "max": show(row[5], "points")}
    d["local_parameters"] = list(spec.local_params)
    return d


def criterion_summary(row: Row, texts: Texts | None = None) -> dict[str, Any]:
    """One criterion of the summary view: the full view's keys minus points and flags."""
    spec = row[0]
    st = spec.view or _static(spec)
    return _fill(st.summary.copy(), row, st.ratio, texts)
