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

from yumiao_common.contracts.profile import Flags

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
#: The credit record every tier's gate reads (profile.md ``enterprise.flags``): ticked = it
#: happened, "none of these" = none did, nothing ticked = unknown. The contract's flags but
#: 偷税漏税, which the rules read from 涉税违法 when it is left out (Flags' docstring): one
#: box for the firm where the texts make one question.
FLAG_CHOICES = tuple(f for f in Flags.model_fields if f != "tax_evasion")
#: Titles and honours the direct routes of the tech-SME and innovative-SME rules read; the
#: self-check turns a ticked box into one plain item of the profile's list (``[]`` for none).
HONOUR_CHOICES = ("hnte_certificate", "provincial_rd_institution", "provincial_award",
                  "led_standard")
TAX_METHODS = ("audited", "deemed")
#: The box that says none of a list applies (a known empty list, not an unknown one).
NONE_OF_THESE = "none"
MAX_NUMBER = 10**13
#: Figures of the two fiscal years before the last one: the growth and "each year" rules
#: (HNTE net-asset and sales growth, MIIT revenue growth and R&D of each of three years).
HISTORY_FIGURES = ("operating_revenue", "sales_revenue", "main_business_revenue", "rd_expense",
                   "total_assets", "total_liabilities")


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text | date | industry | choice | count | money | signed_money | multi
    group: str  # enterprise | record | year | prev1 | prev2 | ip | lists
    options: tuple[str, ...] = ()  # the boxes of a ``multi`` field, the values of a ``choice``
    #: The profile's name of a figure of an earlier year (``operating_revenue`` of ``prev1``).
    figure: str = ""
    #: Marked "*" and asked for before anything is evaluated (the self-check): what every
    #: main tier's gates and scores read; without them every verdict would be 信息不足.
    required: bool = False

    @property
    def label(self) -> str:
        return self.figure or self.name

    @property
    def years_back(self) -> int:
        return int(self.group[-1]) if self.group.startswith("prev") else 0


FIELDS: tuple[Field, ...] = (
    Field("uscc", "text", "enterprise"), Field("name", "text", "enterprise"),
    Field("established_on", "date", "enterprise", required=True),
    Field("industry_code", "industry", "enterprise", required=True),
    Field("tax_method", "choice", "enterprise", TAX_METHODS, required=True),
    Field("hightech_field", "choice", "enterprise", HIGHTECH_FIELDS),
    Field("flags", "multi", "record", FLAG_CHOICES, required=True),
    Field("honours", "multi", "record", HONOUR_CHOICES),
    *(Field(n, "count", "year", required=n == "employees")
      for n in ("employees", "science_staff", "rd_staff")),
    *(Field(n, "money", "year", required=n in ("operating_revenue", "sales_revenue",
                                                "rd_expense", "total_assets",
                                                "total_liabilities"))
      for n in ("operating_revenue", "sales_revenue", "main_business_revenue", "total_income",
                "hightech_revenue", "rd_expense", "rd_expense_domestic", "total_cost",
                "total_assets", "total_liabilities")),
    Field("net_profit", "signed_money", "year"),
    *(Field(f"{n}_{g}", "money", g, figure=n) for g in ("prev1", "prev2")
      for n in HISTORY_FIGURES),
    *(Field(n, "count", "ip") for n in IP_KINDS),
    Field("utility_models_2y", "count", "ip"),
    *(Field(n, "multi", "lists", options) for n, options in LIST_CHOICES.items()),
)
REQUIRED = tuple(f.name for f in FIELDS if f.required)
ERRORS = {
    "number": ("请填写整数", "Enter a whole number"),
    "negative": ("不能为负数", "Must not be negative"),
    "date": ("日期格式为 YYYY-MM-DD", "Date as YYYY-MM-DD"),
    "industry": ("行业代码形如 C3451", "Industry code like C3451"),
    "choice": ("请选择列表中的值", "Choose a listed value"),
    "none_alone": ("“以上均无”不能与其他选项同时勾选",
                   "“None of these” cannot be ticked together with other options"),
    "required": ("此项为必填项", "This is required"),
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
    if field.kind == "choice" and raw not in field.options:
        raise LookupError("choice")
    return raw.upper() if field.kind == "industry" else raw


def _parse_list(options: tuple[str, ...], ticked: list[str]) -> list[str]:
    """The ticked boxes in the listed order; ``[]`` for "none of these"."""
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
                    values[field.name] = _parse_list(field.options, ticked)
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


def missing_required(values: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """The required fields a self-check left blank, each named (nothing is evaluated then)."""
    return {name: ERRORS["required"] for name in REQUIRED if name not in values}


def changed_fields(before: dict[str, Any], after: dict[str, Any]
                   ) -> list[tuple[Field, Any, Any]]:
    """The fields a what-if changed: (field, registered value, value tried)."""
    return [(f, before.get(f.name), after.get(f.name)) for f in FIELDS
            if f.name != "uscc" and f.name in after and before.get(f.name) != after.get(f.name)]


def last_year(as_of: date) -> int:
    """profile.md's 上年度: the fiscal year before ``as_of``'s year."""
    return as_of.year - 1


def form_from_profile(profile: dict[str, Any], year: int) -> dict[str, Any]:
    """Prefill the what-if form from a registered profile (figures of ``year`` or before)."""
    ent = profile.get("enterprise", {})
    values = {f.name: ent.get(f.name) for f in FIELDS if f.group == "enterprise"}
    # That year's figures, else the latest registered ones: a starting point to edit.
    rows = sorted((r for r in profile.get("financials", []) if r.get("year", 0) <= year),
                  key=lambda r: r["year"], reverse=True)
    row: dict[str, Any] = rows[0] if rows else {}
    by_year = {r.get("year"): r for r in rows}
    for f in FIELDS:
        if f.group == "year":
            values[f.name] = row.get(f.name)
        elif f.years_back and row:
            values[f.name] = (by_year.get(row["year"] - f.years_back) or {}).get(f.figure)
    for name, kind in IP_KINDS.items():
        values[name] = sum(1 for item in profile.get("ip", []) if item.get("kind") == kind
                           and item.get("in_force", True))
    values["flags"] = _ticked_flags(ent.get("flags"))
    values["main_product_fields"] = ent.get("main_product_fields")
    values["quality_items"] = (profile.get("assessments") or {}).get("quality_items")
    return {k: v for k, v in values.items() if v is not None}


def _ticked_flags(flags: Any) -> list[str] | None:
    """The credit-record boxes of a profile's flags: those set; ``[]`` when all are known
    clear; None (unknown) when some are not recorded and none is set."""
    if not isinstance(flags, dict):
        return None
    ticked = [f for f in FLAG_CHOICES if flags.get(f) is True]
    if ticked or all(flags.get(f) is False for f in FLAG_CHOICES):
        return ticked
    return None


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
    if "flags" in values:
        ent["flags"] = {**(ent.get("flags") or {}),
                        **{f: f in values["flags"] for f in FLAG_CHOICES}}
    for back in (0, 1, 2):
        _lay_year(profile, values, last_year(as_of) - back, back)
    _lay_ip(profile, values, as_of)
    _lay_lists(profile, values)
    _lay_honours(profile, values, as_of)
    return profile


def _lay_honours(profile: dict[str, Any], values: dict[str, Any], as_of: date) -> None:
    """The self-check's honour boxes as profile items (nothing ticked: left unknown)."""
    if "honours" not in values:
        return
    ticked, year = values["honours"], last_year(as_of)
    issued = date(year, 1, 1).isoformat()
    profile["certifications"] = ([{"tier": "hnte", "issued_on": issued}]
                                 if "hnte_certificate" in ticked else [])
    profile["rd_institutions"] = ([{"level": "provincial", "name": "省级研发机构"}]
                                  if "provincial_rd_institution" in ticked else [])
    profile["awards"] = ([{"level": "provincial", "year": year, "rank": 1}]
                         if "provincial_award" in ticked else [])
    profile["standards_led"] = ([{"level": "national", "year": year}]
                                if "led_standard" in ticked else [])


def _lay_lists(profile: dict[str, Any], values: dict[str, Any]) -> None:
    """The ticked lists; a list the form leaves out keeps the base's (or stays unknown)."""
    if "main_product_fields" in values:
        profile["enterprise"]["main_product_fields"] = list(values["main_product_fields"])
    if "quality_items" in values:
        assessments = profile.get("assessments") or {}
        profile["assessments"] = {**assessments, "quality_items": list(values["quality_items"])}


def _lay_year(profile: dict[str, Any], values: dict[str, Any], year: int, back: int) -> None:
    """Lay the form's figures of ``year`` (``back`` years before the last) over the profile."""
    given = {f.label: values[f.name] for f in FIELDS if f.name in values
             and (f.group == "year" if back == 0 else f.years_back == back)}
    if not given:
        return
    rows = profile.setdefault("financials", [])
    row: dict[str, Any] | None = next((r for r in rows if r.get("year") == year), None)
    if row is None:
        row = {"year": year}
        rows.append(row)
    row.update(given)


def _lay_ip(profile: dict[str, Any], values: dict[str, Any], as_of: date) -> None:
    """Match the IP counts: drop surplus items of a kind, add plain self-developed ones.

    The form asks for items granted and in force, so an added item is granted by ``as_of``;
    MIIT counts a utility model only two years after grant, so ``utility_models_2y`` of them
    are dated three years back and the rest to ``as_of`` — without that answer a utility
    model's grant date stays unknown (it may or may not count).
    """
    old = values.get("utility_models_2y")
    dates = {"granted_on": as_of.isoformat()}
    items: list[dict[str, Any]] = profile.setdefault("ip", [])
    for name, kind in IP_KINDS.items():
        if name not in values:
            continue
        mine = [i for i in items if i.get("kind") == kind]
        others = [i for i in items if i.get("kind") != kind]
        wanted = int(values[name])
        extra = [{"kind": kind, "number": f"WHATIF-{kind}-{n}", "acquired_by": "self_developed",
                  "related_to_main_product": True, **_grant(kind, n, old, as_of, dates)}
                 for n in range(max(0, wanted - len(mine)))]
        items[:] = others + mine[:wanted] + extra


def _grant(kind: str, n: int, old: int | None, as_of: date, granted: dict[str, str]
           ) -> dict[str, str]:
    """The grant date of the ``n``-th added item of ``kind`` (see ``_lay_ip``)."""
    if kind != "utility_model":
        return granted
    if old is None:
        return {}
    if n < old:
        return {"granted_on": as_of.replace(year=as_of.year - 3, day=1).isoformat()}
    return granted
