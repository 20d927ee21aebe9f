"""A firm's yearly report (企业自报, issue 15): its states, field paths, differences against the
registry and the completeness a submission needs. Pure: no Flask, no Session, no I/O.

Content (JSON, as the API shows it): ``{"financials": {<figure>: value}, "flags": {<flag>:
true|false|null}, "ip": [...], "awards": [...], "institutions": [...], "standards": [...]}``.
A field path names one thing the bureau decides on: ``financials.<figure>``, ``flags.<flag>``
or one new item ``<list>.<index>``; evidence may also be attached to ``general``.

States: draft → submitted → accepted, or → returned (some field sent back with a reason;
the accepted ones are already applied) → submitted again … ``partially_accepted`` is part of
the contract's vocabulary for a closed report of which only some fields were taken; this
release's review never closes a report that way (a field not taken is returned to the firm).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

from yumiao_common.vocabulary.choices import FLAGS
from yumiao_common.vocabulary.submission_fields import FIGURES
from yumiao_common.vocabulary.submission_fields import ITEM_LISTS
from yumiao_common.vocabulary.submission_fields import field_label
from yumiao_common.vocabulary.submission_fields import field_unit

STATUSES: tuple[str, ...] = ("draft", "submitted", "returned", "accepted", "partially_accepted")
#: A firm has at most one open report a year.
OPEN_STATUSES: frozenset[str] = frozenset({"draft", "submitted", "returned"})
#: The firm may change content and evidence only in these.
EDITABLE_STATUSES: frozenset[str] = frozenset({"draft", "returned"})
STATUS_WORDS: dict[str, str] = {
    "draft": "草稿 / Draft",
    "submitted": "已提交待审核 / Submitted, awaiting review",
    "returned": "已退回修改 / Returned for correction",
    "accepted": "已采纳 / Accepted",
    "partially_accepted": "部分采纳 / Partially accepted",
}
#: Allowed moves of the state machine.
MOVES: dict[str, frozenset[str]] = {
    "draft": frozenset({"submitted"}),
    "returned": frozenset({"submitted"}),
    "submitted": frozenset({"accepted", "returned"}),
    "accepted": frozenset(),
    "partially_accepted": frozenset(),
}
LISTS: tuple[str, ...] = tuple(ITEM_LISTS)  # ip, awards, institutions, standards
SECTIONS: tuple[str, ...] = ("financials", "flags", *LISTS)
#: At most this many new items of one kind in one report (a year's new IP of a large firm).
MAX_ITEMS = 100
#: The most fields one review can decide: every figure, every flag, every new item. (A body of
#: that many decisions with the longest reasons stays under the 256 KiB JSON limit.)
MAX_DECISIONS = len(FIGURES) + len(FLAGS) + len(LISTS) * MAX_ITEMS
EVIDENCE_KINDS: dict[str, str] = {
    "audit_report": "审计报告 / Audit report",
    "rd_account": "研发费用辅助账 / R&D expense account",
    "ip_certificate": "知识产权证书 / IP certificate",
    "tax_return": "纳税申报表 / Tax return",
    "other": "其他 / Other",
}
#: Figures a report must state before it can be submitted (the ones every tier's rules read).
REQUIRED_FIGURES: tuple[str, ...] = (
    "employees", "science_staff", "rd_staff", "operating_revenue", "rd_expense",
    "total_assets", "net_profit",
)
#: Evidence kinds that prove the year's figures (one file of these is needed to submit).
FIGURE_EVIDENCE: frozenset[str] = frozenset({"audit_report", "rd_account", "tax_return"})
#: Item fields held as ISO dates in the JSON content.
DATE_FIELDS: dict[str, tuple[str, ...]] = {"ip": ("granted_on",)}

REQUIRED = "必填 / required before submitting"


def can_move(status: str, to: str) -> bool:
    return to in MOVES.get(status, frozenset())


def prefilled(figures: dict[str, Any] | None, flags: dict[str, Any]) -> dict[str, Any]:
    """A new draft: the registry's figures of the year and its flags; no new items."""
    known = figures or {}
    return {
        "financials": {name: known.get(name) for name in FIGURES},
        "flags": {name: flags.get(name) for name in FLAGS},
        **{name: [] for name in LISTS},
    }


def item_path(path: str) -> tuple[str, int] | None:
    """``("ip", 0)`` for ``"ip.0"``; None for any other path."""
    section, _, rest = path.partition(".")
    if section in LISTS and rest.isdigit() and len(rest) <= 4:
        return section, int(rest)
    return None


def is_evidence_item(path: str, content: dict[str, Any]) -> bool:
    """Whether evidence may be attached to ``path``: ``general``, a figure, a flag, or a new
    item the content holds."""
    if path == "general":
        return True
    section, _, rest = path.partition(".")
    if section == "financials":
        return rest in FIGURES
    if section == "flags":
        return rest in FLAGS
    found = item_path(path)
    return found is not None and found[1] < len(content.get(found[0]) or [])


def same(a: Any, b: Any) -> bool:
    """Equal as values: ``"12.50"`` and ``"12.5"`` (decimals kept as text) are the same, and a
    flag ``true`` is not the figure ``1``."""
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        return a is b
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except InvalidOperation:
        return bool(a == b)


@dataclass(frozen=True)
class Difference:
    """One field where the report says something else than the registry (or a new item)."""

    field: str
    registry_value: Any
    submitted_value: Any

    def as_dict(self) -> dict[str, Any]:
        zh, en = field_label(self.field)
        unit = field_unit(self.field)
        return {"field": self.field, "label_zh": zh, "label_en": en,
                "registry_value": self.registry_value, "submitted_value": self.submitted_value,
                "unit": None if unit is None else f"{unit[0]} / {unit[1]}"}


def differences(content: dict[str, Any], registry: dict[str, dict[str, Any]],
                applied: dict[str, Any]) -> list[Difference]:
    """Stated figures and flags that differ from ``registry`` (its ``financials`` of the year
    and ``flags``), then every new item not yet applied as it stands."""
    out: list[Difference] = []
    for section in ("financials", "flags"):
        held = registry.get(section) or {}
        for name, value in (content.get(section) or {}).items():
            if value is not None and not same(value, held.get(name)):
                out.append(Difference(f"{section}.{name}", held.get(name), value))
    for section in LISTS:
        for index, item in enumerate(content.get(section) or []):
            path = f"{section}.{index}"
            if path not in applied or applied[path] != item:
                out.append(Difference(path, None, item))
    return out


def missing_for_submit(content: dict[str, Any], evidence: list[tuple[str, str]]
                       ) -> dict[str, list[str]]:
    """What a submission still lacks, by field path: the required figures, every flag answered,
    a file proving the figures, an IP certificate for each new IP item. ``evidence`` is the
    (item, kind) of each attached file."""
    missing: dict[str, list[str]] = {}
    figures = content.get("financials") or {}
    for name in REQUIRED_FIGURES:
        if figures.get(name) is None:
            missing[f"financials.{name}"] = [REQUIRED]
    flags = content.get("flags") or {}
    for name in FLAGS:
        if flags.get(name) is None:
            missing[f"flags.{name}"] = ["须回答是或否 / answer yes or no before submitting"]
    proving = [item for item, kind in evidence if kind in FIGURE_EVIDENCE
               and (item == "general" or item.startswith("financials."))]
    if not proving:
        missing["evidence.financials"] = [
            "须上传审计报告、研发费用辅助账或纳税申报表之一 / attach an audit report, an R&D "
            "expense account or a tax return (item general or financials.*)"]
    for index in range(len(content.get("ip") or [])):
        if (f"ip.{index}", "ip_certificate") not in evidence:
            missing[f"evidence.ip.{index}"] = [
                "须上传该项知识产权证书 / attach this item's IP certificate (kind ip_certificate)"]
    return missing


def decision_errors(diffs: list[Difference], decisions: list[dict[str, Any]]
                    ) -> dict[str, list[str]]:
    """A review must decide every differing field once, and give a reason for each return."""
    wanted = {d.field for d in diffs}
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for index, decision in enumerate(decisions):
        field = decision["field"]
        where = f"decisions.{index}"
        if field not in wanted:
            errors[f"{where}.field"] = [f"“{field}”无差异或不存在，无需审核 / “{field}” does not "
                                        "differ from the registry or does not exist"]
        elif field in seen:
            errors[f"{where}.field"] = ["重复决定 / decided twice"]
        if decision["outcome"] == "return" and not (decision.get("reason") or "").strip():
            errors[f"{where}.reason"] = ["退回须说明理由 / a returned field needs a reason"]
        seen.add(field)
    for field in sorted(wanted - seen):
        errors[f"fields.{field}"] = ["须作出采纳或退回决定 / accept or return this field"]
    return errors


def review_status(decisions: list[dict[str, Any]]) -> str:
    """``returned`` when any field goes back to the firm, else ``accepted``."""
    return "returned" if any(d["outcome"] == "return" for d in decisions) else "accepted"
