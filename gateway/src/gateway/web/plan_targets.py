"""The plan form's data (``/reports/plans/new`` and ``/reports/plans/<id>/edit``): the
registry's plan body from the form's fields and back, and the checks of the targets that must
hold together. Pure code: no Flask, no calls.

Form fields: ``title``, ``document_number``, ``start_year``, ``end_year``, ``reason``,
``version``; per indicator (measure key ``m``) ``use_m``, ``baseline_m``, ``final_target_m``,
``note_m``, ``year_m_YYYY`` (one per year of the period) and ``town_m_<9-digit code>`` (one per
town, optional).

What must add up — the choices the form enforces, written out on the page too:

* per-town targets split the final target where the bureau assigns one. They need not cover
  every town nor add up to the final target (a town may be left without one), but a split
  whose sum exceeds the final target is warned about and saved only once confirmed. Growth
  rates (%) are not summed.
* a stock (held on 31 December) or cumulative indicator's target for the plan's last year is
  its final target: both typed and different is refused; a cumulative indicator's yearly
  targets cannot fall from one year to the next (what is counted is never taken back).
* a flow indicator's yearly targets are each year's own (its final target applies to every
  year): nothing adds up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

MAX_PERIOD = 30  # the registry's bound on yearly targets
YEAR_FIELD = re.compile(r"^year_(?P<m>[a-z_]{1,40})_(?P<y>\d{4})$")
TOWN_FIELD = re.compile(r"^town_(?P<m>[a-z_]{1,40})_(?P<c>\d{9})$")
SUMMED_KINDS = ("stock", "flow", "cumulative")  # counts; growth (%) is a rate
LAST_IS_FINAL = ("stock", "cumulative")


def number(raw: str | None) -> Decimal | None:
    """A typed target as a decimal (thousands separators allowed); None when blank or not a
    number (the registry names what is wrong with it)."""
    text = (raw or "").strip().replace(",", "").replace("，", "")
    if not text or len(text) > 40:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _year(raw: str | None) -> int | None:
    text = (raw or "").strip()
    return int(text) if text.isdigit() and len(text) == 4 else None


def period(form: Mapping[str, str]) -> list[int]:
    """The years of the period typed (empty while it is not a valid period)."""
    start, end = _year(form.get("start_year")), _year(form.get("end_year"))
    if start is None or end is None or not 0 <= end - start < MAX_PERIOD:
        return []
    return list(range(start, end + 1))


def years_shown(form: Mapping[str, str], key: str) -> list[int]:
    """The year inputs of indicator ``key``: the period's, and any year typed outside it (so
    nothing typed disappears from the page when the period changes)."""
    typed = {
        int(m["y"])
        for name, value in form.items()
        if (m := YEAR_FIELD.match(name)) and m["m"] == key and value.strip()
    }
    return sorted(set(period(form)) | typed)


def _typed(
    form: Mapping[str, str], pattern: re.Pattern[str], key: str, group: str
) -> dict[str, str]:
    return {
        m[group]: value.strip()
        for name, value in form.items()
        if (m := pattern.match(name)) and m["m"] == key and value.strip()
    }


def _plain(value: str) -> str:
    return value.replace(",", "").replace("，", "")


def indicator_of(form: Mapping[str, str], key: str) -> dict[str, Any]:
    """One indicator's part of the registry's body (blanks left out)."""
    item: dict[str, Any] = {"measure": key}
    for name in ("baseline", "final_target"):
        value = form.get(f"{name}_{key}", "").strip()
        if value:
            item[name] = _plain(value)
    years = {y: _plain(v) for y, v in _typed(form, YEAR_FIELD, key, "y").items()}
    towns = {c: _plain(v) for c, v in _typed(form, TOWN_FIELD, key, "c").items()}
    note = form.get(f"note_{key}", "").strip()
    extra = {"yearly_targets": years, "town_targets": towns, "note": note}
    item.update({k: v for k, v in extra.items() if v})
    return item


def body_of(form: Mapping[str, str], measures: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The registry's plan body from the form: the indicators ticked, in the catalogue's order."""
    body: dict[str, Any] = {
        "title": form.get("title", "").strip(),
        "document_number": form.get("document_number", "").strip() or None,
        "indicators": [
            indicator_of(form, m["key"]) for m in measures if form.get(f"use_{m['key']}")
        ],
        "reason": form.get("reason", "").strip() or None,
    }
    for name in ("start_year", "end_year"):
        raw = form.get(name, "").strip()
        body[name] = int(raw) if raw.isdigit() and len(raw) == 4 else raw
    return body


def _shown(value: Any) -> str:
    """A stored decimal as typed in the form: ``150.00`` → ``150``, ``12.50`` → ``12.5``."""
    if value in (None, ""):
        return ""
    number_ = Decimal(str(value))
    text = format(number_.normalize(), "f")
    return text


def form_of(plan: Mapping[str, Any]) -> dict[str, str]:
    """The form's fields for a plan the registry holds."""
    form = {
        "title": plan.get("title") or "",
        "document_number": plan.get("document_number") or "",
        "start_year": str(plan.get("start_year") or ""),
        "end_year": str(plan.get("end_year") or ""),
    }
    for item in plan.get("indicators") or []:
        key = item["measure"]
        form[f"use_{key}"] = "1"
        form[f"baseline_{key}"] = _shown(item.get("baseline"))
        form[f"final_target_{key}"] = _shown(item.get("final_target"))
        form[f"note_{key}"] = item.get("note") or ""
        for year, value in (item.get("yearly_targets") or {}).items():
            form[f"year_{key}_{year}"] = _shown(value)
        for town, value in (item.get("town_targets") or {}).items():
            form[f"town_{key}_{town}"] = _shown(value)
    return form


@dataclass
class Checks:
    """What the form found: refusals per field (not saved) and warnings (saved once
    confirmed); ``town_sums`` the per-town total of each counted indicator."""

    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    town_sums: dict[str, Decimal] = field(default_factory=dict)


def _names(name: str) -> tuple[str, str]:
    """The Chinese and English sides of a bilingual name ("中文 / English")."""
    zh, _, en = name.partition(" / ")
    return zh.strip(), (en or zh).strip()


def fmt(value: Decimal) -> str:
    """A target as people read it: 1,234 or 12.50."""
    text = f"{value:,.2f}"
    return text[:-3] if text.endswith(".00") else text


def check(form: Mapping[str, str], measures: Iterable[Mapping[str, Any]]) -> Checks:
    """The sums and orders that must hold, for each indicator ticked."""
    found = Checks()
    years = period(form)
    for m in measures:
        key, kind, name = m["key"], str(m.get("kind")), m["name"]
        final = number(form.get(f"final_target_{key}"))
        towns = [
            v
            for v in (number(x) for x in _typed(form, TOWN_FIELD, key, "c").values())
            if v is not None
        ]
        if towns and kind in SUMMED_KINDS:
            found.town_sums[key] = sum(towns, Decimal(0))
        if not form.get(f"use_{key}"):
            continue
        _check_years(found, form, key, kind, name, final, years)
        total = found.town_sums.get(key)
        if total is not None and final is not None and total > final:
            zh, en = _names(name)
            found.warnings.append(
                f"{zh}：分镇街目标合计 {fmt(total)} 超过期末目标 {fmt(final)} / {en}: the "
                f"per-town targets add up to {fmt(total)}, more than the final target "
                f"{fmt(final)}"
            )
    return found


def _check_years(
    found: Checks,
    form: Mapping[str, str],
    key: str,
    kind: str,
    name: str,
    final: Decimal | None,
    years: list[int],
) -> None:
    typed = {int(y): number(v) for y, v in _typed(form, YEAR_FIELD, key, "y").items()}
    zh, en = _names(name)
    if years and kind in LAST_IS_FINAL:
        last = typed.get(years[-1])
        if last is not None and final is not None and last != final:
            found.errors.setdefault(f"year_{key}_{years[-1]}", []).append(
                f"{zh}：末年（{years[-1]}）目标即期末目标，应为 {fmt(final)} / {en}: the "
                f"last year's target ({years[-1]}) is the final target, {fmt(final)}"
            )
    if kind == "cumulative":
        known = [(y, v) for y, v in sorted(typed.items()) if v is not None]
        for (_, before), (year, value) in zip(known, known[1:], strict=False):
            if value < before:
                found.errors.setdefault(f"year_{key}_{year}", []).append(
                    f"{zh}：{year} 年累计目标不能少于上一年 / {en}: a cumulative target "
                    f"cannot fall below the year before ({year})"
                )


def towns_typed(form: Mapping[str, str]) -> set[str]:
    """The indicators with a per-town target typed (their town table opens)."""
    return {
        m["m"] for name, value in form.items() if (m := TOWN_FIELD.match(name)) and value.strip()
    }


def differences(typed: Mapping[str, str], stored: Mapping[str, str]) -> set[str]:
    """The form fields whose stored value differs from the typed one (numbers compared as
    numbers: ``150`` and ``150.00`` are the same)."""
    names = {
        n
        for n in (*typed, *stored)
        if n not in ("csrf_token", "version", "reason", "action", "accept_warnings")
    }
    out = set()
    for name in names:
        a, b = (typed.get(name) or "").strip(), (stored.get(name) or "").strip()
        if a == b:
            continue
        na, nb = number(a), number(b)
        if na is not None and nb is not None and na == nb:
            continue
        out.add(name)
    return out
