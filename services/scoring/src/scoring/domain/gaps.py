"""Turning rows into what users read: percentages, gap amounts in their units, texts.

Runs only in ``TierResult.to_dict()``, never on the evaluation hot path. Ratios are shown in
percent (``"12.5"`` means 12.5 %); money in yuan; Decimals are serialised as strings so no
float ever rounds a band edge.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from scoring.domain.verdict import Row
from scoring.domain.verdict import TierResult

_UNITS_ZH = {"yuan": "元", "people": "人", "ip_items": "项", "percentage_points": "个百分点",
             "points": "分", "years": "年", "households": "户", "count": "项", "days": "天"}
_UNITS_EN = {"yuan": "yuan", "people": "people", "ip_items": "IP items",
             "percentage_points": "percentage points", "points": "points", "years": "years",
             "households": "households", "count": "items", "days": "days"}  # fmt: skip
HUNDRED = Decimal(100)


def show(value: Any, unit: str) -> Any:
    """JSON-safe display value: Decimal → string, ratios in percent, ranges as lists."""
    if isinstance(value, tuple):
        return [show(v, unit) for v in value]
    if isinstance(value, Decimal):
        if unit == "ratio":
            value = value * HUNDRED
        return _plain(value)
    if isinstance(value, frozenset | set):
        return sorted(value)
    return value


def _plain(value: Decimal) -> str:
    q = value.quantize(Decimal("0.0001")) if value != value.to_integral_value() else value
    text = format(q.normalize(), "f")
    return text


def money(amount: Decimal, unit: str) -> tuple[str, str]:
    if unit == "yuan":
        text = f"¥{int(amount):,}"
        return text, text
    n = _plain(amount)
    return f"{n}{_UNITS_ZH.get(unit, '')}", f"{n} {_UNITS_EN.get(unit, unit)}"


def gap_texts(row: Row) -> tuple[str, str]:
    spec, gap = row[0], row[6]
    if gap is None:
        return "", ""
    zh_amt, en_amt = money(gap, spec.gap_unit)
    what_zh, what_en = spec.what_zh or spec.title_zh, spec.what_en or spec.title_en
    actual = show(row[2], spec.unit)
    required = show(row[3], spec.unit)
    pct = "%" if spec.unit == "ratio" else ""
    need = spec.requirement or f"{required}{pct}"
    head_zh = f"{spec.title_zh}：实际 {actual}{pct}，要求 {need}"
    head_en = f"{spec.title_en}: {actual}{pct} against {need}"
    over = isinstance(row[2], Decimal | int) and isinstance(row[3], Decimal | int)
    if over and row[2] > row[3]:  # a maximum was exceeded
        return f"{head_zh}；超出 {zh_amt}", f"{head_en}; {en_amt} over the limit"
    return (f"{head_zh}；还需增加{what_zh} {zh_amt}",
            f"{head_en}; {en_amt} more {what_en} would meet it")  # fmt: skip


def criterion_dict(row: Row) -> dict[str, Any]:
    spec, status = row[0], row[1]
    points = None
    if row[4] is not None or row[5] is not None:
        points = {"min": show(row[4], "points"), "max": show(row[5], "points")}
    gap = None
    if row[6] is not None:
        zh, en = gap_texts(row)
        gap = {"amount": _plain(row[6]), "unit": spec.gap_unit, "text_zh": zh, "text_en": en}
    return {
        "id": spec.id, "title": {"zh": spec.title_zh, "en": spec.title_en},
        "citation": spec.citation, "role": spec.role, "route": spec.route,
        "status": status, "actual": show(row[2], spec.unit),
        "required": show(row[3], spec.unit), "requirement": spec.requirement,
        "unit": "percent" if spec.unit == "ratio" else spec.unit, "points": points,
        "points_max": show(spec.points_max, "points"), "gap": gap,
        "closable": row[7], "note": row[8] or None, "confirmed": spec.confirmed,
        "uses_local_parameter": bool(spec.local_params),
        "local_parameters": list(spec.local_params),
    }  # fmt: skip


def result_to_dict(result: TierResult) -> dict[str, Any]:
    score = None
    if result.pass_mark is not None:
        score = {"min": show(result.score_min, "points"), "max": show(result.score_max, "points"),
                 "pass_mark": show(result.pass_mark, "points"),
                 "out_of": show(result.out_of, "points"),
                 "estimate": result.score_min != result.score_max}  # fmt: skip
    params = sorted({p for row in result.rows for p in row[0].local_params})
    return {
        "tier": result.tier, "title": {"zh": result.title_zh, "en": result.title_en},
        "verdict": result.verdict, "route": result.route, "score": score,
        "criteria": [criterion_dict(row) for row in result.resolved()],
        "next_steps": [s.to_dict() for s in result.next_steps],
        "rulebook_version": result.rulebook_version,
        "uses_local_parameter": bool(params), "local_parameters": params,
    }  # fmt: skip
