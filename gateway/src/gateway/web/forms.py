"""The profile form of the self-check and the what-if calculator: fields, parsing, profiles.

A form covers the figures an owner knows by heart (last fiscal year, IP counts). The what-if
starts from the enterprise's registered profile and overrides only what the form holds, so
earlier years and IP details still count; the anonymous self-check builds a profile from the
form alone, and what it lacks stays unknown (never zero), as profile.md requires.

The main-product fields and quality items (MIIT criteria) are ticked boxes. Missing is not
empty: nothing ticked leaves the list out of the profile (unknown), "none of these" sends
``[]`` (none), so a visitor who has none of them is judged on that, not left unknown.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from werkzeug.datastructures import MultiDict

#: A valid credit code used when an anonymous visitor leaves theirs blank (nothing is stored).
PLACEHOLDER_USCC = "91110000600037341L"
HIGHTECH_FIELDS = ("electronic_information", "biomedicine", "aerospace", "new_materials",
                   "hightech_services", "new_energy", "resources_environment",
                   "advanced_manufacturing")
IP_KINDS = {"invention_patents": "invention_patent", "utility_models": "utility_model",
            "software_copyrights": "software_copyright"}
#: Tick-box lists (profile.md ``main_product_fields``, ``assessments.quality_items``).
LIST_CHOICES: dict[str, tuple[str, ...]] = {
    "main_product_fields": ("key_chain_gap", "six_foundations", "strategic_emerging",
                            "manufacturing_power_key", "network_power", "time_honoured_brand"),
    "quality_items": ("provincial_quality_award", "iso9001", "own_brand", "standards",
                      "foreign_product_cert"),
}
#: The box that says none of a list applies (a known empty list, not an unknown one).
NONE_OF_THESE = "none"
MAX_NUMBER = 10**13


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text | date | industry | choice | count | money | signed_money | multi
    group: str  # enterprise | year | ip | lists
    options: tuple[str, ...] = ()  # the boxes of a ``multi`` field


FIELDS: tuple[Field, ...] = (
    Field("uscc", "text", "enterprise"), Field("name", "text", "enterprise"),
    Field("established_on", "date", "enterprise"),
    Field("industry_code", "industry", "enterprise"),
    Field("hightech_field", "choice", "enterprise"),
    *(Field(n, "count", "year") for n in ("employees", "science_staff", "rd_staff")),
    *(Field(n, "money", "year") for n in ("operating_revenue", "sales_revenue",
                                          "hightech_revenue", "rd_expense", "total_assets",
                                          "total_liabilities")),
    Field("net_profit", "signed_money", "year"),
    *(Field(n, "count", "ip") for n in IP_KINDS),
    *(Field(n, "multi", "lists", options) for n, options in LIST_CHOICES.items()),
)
ERRORS = {
    "number": ("请填写整数", "Enter a whole number"),
    "negative": ("不能为负数", "Must not be negative"),
    "date": ("日期格式为 YYYY-MM-DD", "Date as YYYY-MM-DD"),
    "industry": ("行业代码形如 C3451", "Industry code like C3451"),
    "choice": ("请选择列表中的值", "Choose a listed value"),
    "none_alone": ("“以上均无”不能与其他选项同时勾选",
                   "“None of these” cannot be ticked together with other options"),
}


def _number(raw: str, kind: str) -> int:
    value = int(raw.replace(",", "").replace("，", "").strip())
    if kind != "signed_money" and value < 0:
        raise ArithmeticError("negative")
    if abs(value) > MAX_NUMBER:
        raise ValueError
    return value


def _parse_one(field: Field, raw: str) -> Any:
    if field.kind in ("count", "money", "signed_money"):
        return _number(raw, field.kind)
    if field.kind == "date":
        return date.fromisoformat(raw).isoformat()
    if field.kind == "industry" and not re.fullmatch(r"[A-T][0-9]{0,4}", raw.upper()):
        raise LookupError("industry")
    if field.kind == "choice" and raw not in HIGHTECH_FIELDS:
        raise LookupError("choice")
    return raw.upper() if field.kind == "industry" else raw


def _parse_list(name: str, ticked: list[str]) -> list[str]:
    """The ticked boxes of list ``name`` in the listed order; ``[]`` for "none of these"."""
    options = LIST_CHOICES[name]
    if set(ticked) - set(options) - {NONE_OF_THESE}:
        raise LookupError("choice")
    if NONE_OF_THESE in ticked:
        if len(set(ticked)) > 1:
            raise LookupError("none_alone")
        return []
    return [o for o in options if o in ticked]


def parse(form: MultiDict[str, str]) -> tuple[dict[str, Any], dict[str, tuple[str, str]]]:
    """(values, errors): blank fields are absent (unknown); errors name the field."""
    values: dict[str, Any] = {}
    errors: dict[str, tuple[str, str]] = {}
    for field in FIELDS:
        if field.kind == "multi":
            ticked = [v.strip() for v in form.getlist(field.name) if v.strip()]
            if ticked:  # nothing ticked: unknown, left out
                try:
                    values[field.name] = _parse_list(field.name, ticked)
                except LookupError as exc:
                    errors[field.name] = ERRORS[str(exc.args[0])]
            continue
        raw = (form.get(field.name) or "").strip()
        if not raw:
            continue
        try:
            values[field.name] = _parse_one(field, raw)
        except ArithmeticError:
            errors[field.name] = ERRORS["negative"]
        except LookupError:
            errors[field.name] = ERRORS["industry" if field.kind == "industry" else "choice"]
        except ValueError:
            errors[field.name] = ERRORS["date" if field.kind == "date" else "number"]
    return values, errors


def last_year(as_of: date) -> int:
    """profile.md's 上年度: the fiscal year before ``as_of``'s year."""
    return as_of.year - 1


def form_from_profile(profile: dict[str, Any], year: int) -> dict[str, Any]:
    """Prefill the what-if form from a registered profile (figures of ``year`` or before)."""
    values = {f.name: profile.get("enterprise", {}).get(f.name) for f in FIELDS
              if f.group == "enterprise"}
    # That year's figures, else the latest registered ones: a starting point to edit.
    rows = sorted((r for r in profile.get("financials", []) if r.get("year", 0) <= year),
                  key=lambda r: r["year"], reverse=True)
    row: dict[str, Any] = rows[0] if rows else {}
    values.update({f.name: row.get(f.name) for f in FIELDS if f.group == "year"})
    for name, kind in IP_KINDS.items():
        values[name] = sum(1 for item in profile.get("ip", []) if item.get("kind") == kind
                           and item.get("in_force", True))
    values["main_product_fields"] = profile.get("enterprise", {}).get("main_product_fields")
    values["quality_items"] = (profile.get("assessments") or {}).get("quality_items")
    return {k: v for k, v in values.items() if v is not None}


def build_profile(values: dict[str, Any], as_of: date, base: dict[str, Any] | None = None
                  ) -> dict[str, Any]:
    """A profile.md document: ``base`` (if any) with the form's values laid over it."""
    profile = copy.deepcopy(base) if base else {"enterprise": {}, "financials": [], "ip": []}
    profile["as_of"] = as_of.isoformat()
    ent = profile.setdefault("enterprise", {})
    ent.update({f.name: values[f.name] for f in FIELDS
                if f.group == "enterprise" and f.name in values})
    ent["uscc"] = ent.get("uscc") or PLACEHOLDER_USCC
    ent["name"] = ent.get("name") or "自测企业 / Self-check"
    _lay_year(profile, values, last_year(as_of))
    _lay_ip(profile, values)
    _lay_lists(profile, values)
    return profile


def _lay_lists(profile: dict[str, Any], values: dict[str, Any]) -> None:
    """The ticked lists; a list the form leaves out keeps the base's (or stays unknown)."""
    if "main_product_fields" in values:
        profile["enterprise"]["main_product_fields"] = list(values["main_product_fields"])
    if "quality_items" in values:
        assessments = profile.get("assessments") or {}
        profile["assessments"] = {**assessments, "quality_items": list(values["quality_items"])}


def _lay_year(profile: dict[str, Any], values: dict[str, Any], year: int) -> None:
    rows = profile.setdefault("financials", [])
    row: dict[str, Any] | None = next((r for r in rows if r.get("year") == year), None)
    if row is None:
        row = {"year": year}
        rows.append(row)
    row.update({f.name: values[f.name] for f in FIELDS if f.group == "year" and f.name in values})


def _lay_ip(profile: dict[str, Any], values: dict[str, Any]) -> None:
    """Match the IP counts: drop surplus items of a kind, add plain self-developed ones."""
    items: list[dict[str, Any]] = profile.setdefault("ip", [])
    for name, kind in IP_KINDS.items():
        if name not in values:
            continue
        mine = [i for i in items if i.get("kind") == kind]
        others = [i for i in items if i.get("kind") != kind]
        wanted = int(values[name])
        extra = [{"kind": kind, "number": f"WHATIF-{kind}-{n}", "acquired_by": "self_developed",
                  "related_to_main_product": True} for n in range(max(0, wanted - len(mine)))]
        items[:] = others + mine[:wanted] + extra
