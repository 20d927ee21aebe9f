"""A firm's yearly report (企业自报, issue 15) as a form, and the bureau's review in words.

The report's content (``financials``, ``flags`` and the lists of new IP, awards, institutions and
standards) is laid out as one form: ``fin.<figure>``, ``flag.<flag>`` and ``<list>.<row>.<field>``
(``ip.0.number``). Parsing reads only the names the form defines, at most ``MAX_ROWS`` rows a
list, so a stranger's form cannot grow the work; what is malformed is sent as typed and the
registry names the field and why (its paths, ``financials.rd_expense`` or ``ip.0.number``, map
back to the form's names). The specs and the words are the curator's (``web.curation``) and the
shared vocabulary's (``yumiao_common.vocabulary.submission_fields``), so a figure reads the same
on every screen.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from werkzeug.datastructures import MultiDict

from gateway.web.curation import AWARDS
from gateway.web.curation import BASICS
from gateway.web.curation import FINANCIALS
from gateway.web.curation import INSTITUTIONS
from gateway.web.curation import IP
from gateway.web.curation import STANDARDS
from gateway.web.curation import Kind
from gateway.web.curation import Spec
from gateway.web.curation import body_of
from gateway.web.curation import form_values as spec_values
from gateway.web.curation import shown as spec_shown
from gateway.web.curation import side
from gateway.web.i18n import EN
from gateway.web.i18n import current_lang
from gateway.web.i18n import pick
from yumiao_common.vocabulary.submission_fields import EVIDENCE_KINDS as EVIDENCE_KINDS
from yumiao_common.vocabulary.submission_fields import FIGURES
from yumiao_common.vocabulary.submission_fields import ITEM_LISTS
from yumiao_common.vocabulary.submission_fields import field_label

Pair = tuple[str, str]
#: New rows one list may hold in the form (the registry allows 200; a page of 50 is plenty
#: for one year, and more rows are added by saving and adding again).
MAX_ROWS = 50
#: Blank rows offered under each list for new items.
BLANK_ROWS = 1
LISTS: tuple[str, ...] = tuple(ITEM_LISTS)
FIGURE_SPECS: tuple[Spec, ...] = tuple(s for s in FINANCIALS if s.name in FIGURES)
FLAG_SPECS: tuple[Spec, ...] = tuple(
    replace(s, kind="bool", group="") for s in BASICS if s.group == "flags"
)
ITEM_SPECS: dict[str, tuple[Spec, ...]] = {
    "ip": IP,
    "awards": AWARDS,
    "institutions": INSTITUTIONS,
    "standards": STANDARDS,
}
FIGURES_KIND = Kind("financials", "", "", ("年度数据", "Yearly figures"), FIGURE_SPECS, ())
FLAGS_KIND = Kind("flags", "", "", ("合规情况", "Compliance"), FLAG_SPECS, ())
ITEM_KINDS: dict[str, Kind] = {
    name: Kind(name, "", "", ITEM_LISTS[name], specs, ()) for name, specs in ITEM_SPECS.items()
}
STATUSES: dict[str, Pair] = {
    "draft": ("草稿", "Draft"),
    "submitted": ("已提交，待审核", "Submitted, awaiting review"),
    "returned": ("已退回，请修改", "Returned for correction"),
    "accepted": ("已采纳", "Accepted"),
    "partially_accepted": ("部分采纳", "Partially accepted"),
}
EDITABLE = frozenset({"draft", "returned"})
OUTCOMES: dict[str, Pair] = {
    "accepted": ("已采纳", "Accepted"),
    "returned": ("退回", "Returned"),
    "accept": ("采纳", "Accept"),
    "return": ("退回", "Return"),
}


_BILINGUAL = re.compile(r"(?<=[^\x00-\x7f])\s*/\s+")


def words(text: Any) -> str:
    """One language of a service's ``中文 / English`` text; also when the Chinese ends in a
    full-width bracket with no space before the slash (``…文件名）/ Only …``)."""
    raw = str(text or "")
    if " / " in raw:
        return pick(raw)
    zh, *rest = _BILINGUAL.split(raw, maxsplit=1)
    return pick(f"{zh} / {rest[0]}") if rest else raw


def paren(text: Any) -> str:
    """``（…）`` on Chinese pages, `` (…)`` on English ones."""
    return f" ({text})" if current_lang() == EN else f"（{text}）"


def status_name(status: Any) -> str:
    return side(STATUSES.get(str(status), (str(status), str(status))))


def label(path: str) -> str:
    """A field path in words (``financials.rd_expense`` → 研发费用, ``ip.0`` → 新增知识产权 第 1
    项)."""
    return side(field_label(path))


def form_label(name: str) -> str:
    """A form field's name in words: ``fin.rd_expense`` → 研发费用, ``ip.0.number`` → 新增知识产权
    第 1 项 · 授权号 / 登记号."""
    section, _, rest = name.partition(".")
    if section in ("fin", "flag"):
        return label({"fin": "financials", "flag": "flags"}[section] + "." + rest)
    index, _, field = rest.partition(".")
    spec = next((s for s in ITEM_SPECS.get(section, ()) if s.name == field), None)
    words = label(f"{section}.{index}")
    return f"{words} · {side(spec.label)}" if spec else words


# -- content → form --------------------------------------------------------------------------


def form_values(content: Mapping[str, Any] | None) -> dict[str, Any]:
    """The form's strings for stored content (what the inputs show when the page opens)."""
    content = content or {}
    values: dict[str, Any] = {}
    for prefix, kind, stored in (
        ("fin", FIGURES_KIND, content.get("financials")),
        ("flag", FLAGS_KIND, content.get("flags")),
    ):
        for name, value in spec_values(
            kind, stored if isinstance(stored, Mapping) else None
        ).items():
            values[f"{prefix}.{name}"] = value
    for name in LISTS:
        rows = content.get(name) if isinstance(content.get(name), list) else []
        values[name] = [
            spec_values(ITEM_KINDS[name], row if isinstance(row, Mapping) else None)
            for row in (rows or [])[:MAX_ROWS]
        ]
    return values


# -- form → content --------------------------------------------------------------------------


def typed(form: MultiDict[str, str]) -> dict[str, Any]:
    """What the user typed, in ``form_values``'s shape (a refusal or a conflict shows it again).
    Rows left wholly blank or ticked for removal are dropped."""
    values: dict[str, Any] = {}
    for prefix, specs in (("fin", FIGURE_SPECS), ("flag", FLAG_SPECS)):
        for spec in specs:
            values[f"{prefix}.{spec.name}"] = (form.get(f"{prefix}.{spec.name}") or "").strip()
    for name in LISTS:
        rows = []
        for index in range(MAX_ROWS + BLANK_ROWS):
            row = {
                s.name: (form.get(f"{name}.{index}.{s.name}") or "").strip()
                for s in ITEM_SPECS[name]
            }
            if form.get(f"{name}.{index}._remove") or not any(row.values()):
                continue
            rows.append(row)
        values[name] = rows[:MAX_ROWS]
    return values


def content_of(values: Mapping[str, Any]) -> dict[str, Any]:
    """The registry's content for typed ``values``: blanks left out (a draft may miss them),
    numbers as numbers, 是/否 as true/false; anything malformed as typed."""
    figures = {s.name: values.get(f"fin.{s.name}", "") for s in FIGURE_SPECS}
    flags = {s.name: values.get(f"flag.{s.name}", "") for s in FLAG_SPECS}
    content: dict[str, Any] = {
        "financials": body_of(FIGURES_KIND, figures, partial=False),
        "flags": body_of(FLAGS_KIND, flags, partial=False),
    }
    for name in LISTS:
        content[name] = [
            body_of(ITEM_KINDS[name], row, partial=False) for row in values.get(name) or []
        ]
    return content


def field_errors(fields: Mapping[str, Any] | None) -> dict[str, list[str]]:
    """The registry's field errors keyed by the form's names: ``content.financials.x`` and
    ``financials.x`` → ``fin.x``, ``flags.x`` → ``flag.x``, ``ip.0.number`` as it is, a
    missing evidence file (``evidence.ip.0``) under ``evidence``; anything else under
    ``_form``."""
    out: dict[str, list[str]] = {}
    for key, messages in (fields or {}).items():
        path = str(key).removeprefix("content.")
        section, _, rest = path.partition(".")
        if section == "financials" and rest:
            name = f"fin.{rest}"
        elif section == "flags" and rest:
            name = f"flag.{rest}"
        elif section in LISTS and rest:
            name = path
        elif section == "evidence":
            name = "evidence"
        else:
            name = "_form"
        text = [words(m) for m in (messages if isinstance(messages, list) else [messages])]
        if name in ("evidence", "_form") and rest:
            text = [f"{label(rest) if section == 'evidence' else path}：{m}" for m in text]
        out.setdefault(name, []).extend(text)
    return out


# -- decisions -------------------------------------------------------------------------------


def latest_decisions(decisions: Any) -> dict[str, dict[str, Any]]:
    """The bureau's last decision on each field path (a field returned and then accepted
    reads accepted)."""
    out: dict[str, dict[str, Any]] = {}
    for decision in decisions if isinstance(decisions, list) else []:
        if isinstance(decision, Mapping) and decision.get("field"):
            out[str(decision["field"])] = dict(decision)
    return out


def returned_names(decisions: Any, status: Any) -> set[str]:
    """The form names to correct: fields and rows whose last decision is a return (only
    while the report is back with the firm)."""
    if status != "returned":
        return set()
    names = set()
    for path, decision in latest_decisions(decisions).items():
        if decision.get("outcome") != "returned":
            continue
        section, _, rest = path.partition(".")
        names.add({"financials": f"fin.{rest}", "flags": f"flag.{rest}"}.get(section, path))
    return names


def evidence_items(content: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """(item path, words) a file may be attached to: the whole report, each figure, each flag,
    each new item the report holds."""
    content = content or {}
    items = [("general", label("general"))]
    items += [(f"financials.{s.name}", label(f"financials.{s.name}")) for s in FIGURE_SPECS]
    items += [(f"flags.{s.name}", label(f"flags.{s.name}")) for s in FLAG_SPECS]
    for name in LISTS:
        rows = content.get(name) if isinstance(content.get(name), list) else []
        items += [(f"{name}.{i}", label(f"{name}.{i}")) for i in range(len(rows or []))]
    return items


# -- values in words -------------------------------------------------------------------------


def spec_of(path: str) -> Spec | None:
    section, _, rest = path.partition(".")
    specs = {"financials": FIGURE_SPECS, "flags": FLAG_SPECS}.get(section, ())
    return next((s for s in specs if s.name == rest), None)


def shown(path: str, value: Any) -> str:
    """A value of a field path as a person reads it: ¥ with separators, 是/否, an item's
    fields by name (``发明专利 · ZL2024… · 名称``)."""
    section, _, _rest = path.partition(".")
    if section in ITEM_SPECS and isinstance(value, Mapping):
        parts = [
            spec_shown(s, value.get(s.name))
            for s in ITEM_SPECS[section]
            if value.get(s.name) not in (None, "") and s.kind != "bool"
        ]
        return " · ".join(parts) or "—"
    if value is None:
        return side(("未填", "not recorded"))
    spec = spec_of(path)
    if spec is None:
        return str(value)
    text = spec_shown(spec, value)
    unit = FIGURES.get(_rest, (None, None, None))[2] if section == "financials" else None
    if unit and spec.kind not in ("money", "signed"):
        text = f"{text} {side(unit)}"
    return text


def item_details(section: str, value: Any) -> list[tuple[str, str]]:
    """(label, value in words) of every field of a new item (the review shows them all)."""
    if section not in ITEM_SPECS or not isinstance(value, Mapping):
        return []
    return [(side(s.label), spec_shown(s, value.get(s.name))) for s in ITEM_SPECS[section]]
