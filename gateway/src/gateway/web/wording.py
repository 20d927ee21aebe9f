"""The pages' formatting layer: every criterion value a person reads, in words and units.

Scoring's answers carry ``actual_text`` / ``requirement_text`` / ``note_text`` (``{"zh",
"en"}``) already written in words; evaluations stored before that, and any upstream that
omits them, are formatted here from the typed values instead — 是/否 for booleans,
``¥1,234,567``, ``12.50 %``, names for field keys and industry codes — so a page never shows
``True``, a raw key, a machine expression (``rd_sales_ratio ≥3%→…``), a research marker in a
citation, or the other language's half of a bilingual string.

Industry names come from the GB/T 4754-2017 sections (门类) held once in
``yumiao_common.vocabulary.industries``; the code stays beside the name so nothing is lost.
Town names come from the district's one town table, ``yumiao_common.vocabulary.towns`` (the
registry serves the same table as reference data), so a page needs no call to name a town.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC
from datetime import datetime
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

from gateway.web.catalogue import CHOICES
from gateway.web.i18n import EN
from gateway.web.i18n import current_lang
from gateway.web.i18n import pair
from gateway.web.i18n import pick
from gateway.web.i18n import t
from gateway.web.results import score_text
from yumiao_common.clock import BEIJING
from yumiao_common.vocabulary.hightech_fields import FIELDS as HIGHTECH_FIELDS
from yumiao_common.vocabulary.industries import industry_label
from yumiao_common.vocabulary.towns import CURRENT_TOWNS
from yumiao_common.vocabulary.towns import TOWNS_BY_CODE

_CJK = re.compile(r"[\u2e80-\u9fff（），；：、。]")
_ROUTE = re.compile(r"直通条件\s*(\d+)")
_CJK_RUN = re.compile(r"[\u2e80-\u9fff（），；：、。“”]+")
_MACHINE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|→|⌊|\bmin\(")
_MARKER = re.compile(r"\s*\[[^\]]*\]")
_INDUSTRY = re.compile(r"^[A-T](?:\d{2,4})?$")
_FRACTION = re.compile(r"growth|margin|ratio|share")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s?%")
_QUOTED_ZH = re.compile(r"\s*[(（][^()（）]*[\u2e80-\u9fff][^()（）]*[)）]")
_LEVELS = {4: ("国家级", "national"), 3: ("省级", "provincial"), 2: ("市级", "municipal"),
           1: ("市级以下", "below municipal"), 0: ("无", "none")}
_UNITS = {"people": ("人", " people"), "ip_items": ("项", " IP items"), "points": ("分", " points"),
          "years": ("年", " years"), "households": ("户", " households"), "count": ("项", " items"),
          "days": ("天", " days")}  # fmt: skip


def _en() -> bool:
    return current_lang() == EN


def _side(texts: Any) -> str | None:
    """The reader's side of a ``{"zh", "en"}`` text, None when the answer has none — or,
    on an English page, when its English still carries Chinese (a quoted term is dropped;
    anything else falls back to what the page can say in English)."""
    if not isinstance(texts, Mapping):
        return None
    value = texts.get("en" if _en() else "zh")
    return None if value is None else english_only(str(value))


def english_only(text: str) -> str | None:
    """``text`` as an English page may show it: unchanged on a Chinese page; on an English
    page without a quoted Chinese term, None if Chinese remains."""
    if not _en():
        return text
    text = _QUOTED_ZH.sub("", text).strip()
    return None if _CJK.search(text) else text


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        return Decimal(str(value).replace(",", ""))
    except (InvalidOperation, ValueError):
        return None


#: Beijing time (China keeps one offset all year): every time a page shows is in it; the


def beijing(value: Any, *, date_only: bool = False) -> str:
    """An ISO timestamp from a service (UTC, or naive meaning UTC) as Beijing time:
    ``2025-03-01 16:00``, or just its date — which is the Beijing date, so a move made at
    07:30 Beijing time (23:30 UTC the day before) shows the day it was made."""
    if not value:
        return "—"
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(BEIJING)
    return local.strftime("%Y-%m-%d" if date_only else "%Y-%m-%d %H:%M")


def yes_no(value: bool) -> str:
    return t("val.yes") if value else t("val.no")


_LENGTH = re.compile(r"Length must be between (\d+) and (\d+)\.?")
_KNOWN = {
    "Not a valid email address.": ("邮箱地址格式不正确", "That is not a valid e-mail address"),
    "Not a valid URL.": ("网址格式不正确，应以 https:// 开头", "That is not a valid web address"),
    "Field may not be null.": ("此项不能为空", "This cannot be empty"),
    "Missing data for required field.": ("此项为必填项", "This is required"),
}


def field_message(message: Any) -> str:
    """A validation message in the page's language and plain words (marshmallow answers
    in English only: "Length must be between 16 and 200.")."""
    text = str(message)
    if " / " in text:
        return pick(text)
    length = _LENGTH.fullmatch(text.strip())
    if length:
        return t("p.length", low=length[1], high=length[2])
    if text in _KNOWN:
        zh, en = _KNOWN[text]
        return pair(zh, en)
    return text if current_lang() == EN else t("p.invalid_value")


def yuan(value: Any) -> str:
    """``¥1,234,567``; ``—`` when there is no figure."""
    d = _decimal(value)
    if d is None:
        return "—"
    return f"¥{d:,.0f}" if d == d.to_integral_value() else f"¥{d:,.2f}"


def percent(value: Any) -> str:
    """A figure already in percent (``"12.5"``) as ``12.50 %``."""
    d = _decimal(value)
    return "—" if d is None else f"{d:.2f} %"


def choice(key: str) -> str:
    zh, en = CHOICES.get(key, (key, key.replace("_", " ")))
    return en if _en() else zh


def industry(code: Any) -> str:
    """``制造业（C3451）`` / ``Manufacturing (C3451)``: the section name with the code."""
    return industry_label(str(code) if code else None, "en" if _en() else "zh-CN")


def town(code: Any) -> str:
    """``古楼街道`` / ``Gulou Subdistrict`` from the district's town table; else the code."""
    if not code:
        return "—"
    found = TOWNS_BY_CODE.get(str(code).strip())
    if found is None:
        return str(code)
    return (found.name_en or found.name) if _en() else found.name


def hightech(key: Any) -> str:
    """A high-tech field (国科发火〔2016〕32号) by its Chinese name — the name the documents
    use — with the English beside it on English pages: ``先进制造与自动化 / Advanced
    manufacturing and automation``."""
    if not key:
        return "—"
    names = HIGHTECH_FIELDS.get(str(key))
    if names is None:
        return str(key)
    return f"{names[0]} / {names[1]}" if _en() else names[0]


#: What an audit row changed (``registry.handlers.journal.audit``: entity and action), in words.
AUDIT_ENTITIES: dict[str, tuple[str, str]] = {
    "enterprise": ("企业信息", "Enterprise details"),
    "annual_financials": ("年度财务", "Annual figures"),
    "pool_membership": ("培育库", "Pool membership"), "ip_asset": ("知识产权", "IP item"),
    "award": ("科技奖励", "Award"), "rd_institution": ("研发机构", "R&D institution"),
    "standard_led": ("主导制定标准", "Standard led"), "certification": ("资质证书", "Certificate"),
    "contact": ("联系人", "Contact"), "contact_list": ("联系人名单", "Contact list"),
    "service_record": ("服务记录", "Service record"),
    "curatorship": ("负责人", "Responsible curator"),
    "problem": ("问题清单", "Problem raised"), "reserve_round": ("年度遴选", "Reserve round"),
    "submission": ("年度自报", "Yearly report"),
    "submission_evidence": ("自报材料", "Report evidence"),
}  # fmt: skip
AUDIT_ACTIONS: dict[str, tuple[str, str]] = {
    "create": ("新建", "created"), "created": ("新建", "created"),
    "update": ("修改", "changed"), "updated": ("修改", "changed"),
    "delete": ("删除", "deleted"), "deleted": ("删除", "deleted"),
    "nominate": ("提名", "nominated"), "move": ("流转", "moved"),
    "import": ("批量导入", "imported"), "publish": ("公布", "published"),
    "review": ("审核", "reviewed"),
    "republish": ("恢复后重新发布", "re-published after a restore"),
}  # fmt: skip
#: Who acted (the X-Actor value ``kind:name``).
ACTOR_KINDS: dict[str, tuple[str, str]] = {
    "user": ("用户", "user"), "enterprise": ("企业", "enterprise"),
    "apikey": ("接口密钥", "API key"), "import": ("导入任务", "import job"),
    "system": ("系统", "system"),
}  # fmt: skip


def _words(table: Mapping[str, tuple[str, str]], key: Any) -> str:
    zh, en = table.get(str(key), (str(key or "—"), str(key or "—").replace("_", " ")))
    return en if _en() else zh


def audit_action(entity: Any, action: Any) -> str:
    """``企业信息 · 新建`` / ``Enterprise details · created`` for ``enterprise`` / ``create``."""
    return f"{_words(AUDIT_ENTITIES, entity)} · {_words(AUDIT_ACTIONS, action)}"


def actor(value: Any) -> str:
    """``用户 curator`` / ``user curator`` for ``user:curator``; ``anonymous`` in words."""
    kind, _, name = str(value or "").partition(":")
    if not name:
        return t("val.none") if not kind else ("匿名" if kind == "anonymous" and not _en()
                                               else kind)
    return f"{_words(ACTOR_KINDS, kind)} {name}"


def town_choices() -> list[tuple[str, str]]:
    """(code, name) of the district's current towns, for a filter a person picks by name."""
    return [(t_.code, (t_.name_en or t_.name) if _en() else t_.name) for t_ in CURRENT_TOWNS]


def fmt_value(v: Any, unit: str | None) -> str:
    """One typed value of a criterion in words and units."""
    if v is None or v == "":
        return "—"
    if isinstance(v, bool):
        return yes_no(v)
    if isinstance(v, list | tuple):
        if len(v) == 2 and all(_decimal(x) is not None for x in v):
            return f"{fmt_value(v[0], unit)}–{fmt_value(v[1], unit)}"
        return ("、" if not _en() else ", ").join(choice(str(x)) for x in v) or t("val.none")
    if isinstance(v, str) and _INDUSTRY.match(v.upper()) and _decimal(v) is None:
        return industry(v)
    d = _decimal(v)
    if d is None:
        return choice(str(v))
    if unit in ("percent", "ratio"):
        return percent(d)
    if unit == "yuan":
        return yuan(d)
    if unit == "level" and d in _LEVELS:
        zh, en = _LEVELS[int(d)]
        return en if _en() else zh
    zh, en = _UNITS.get(unit or "", ("", ""))
    n = f"{d:,.0f}" if d == d.to_integral_value() else f"{d.normalize():,f}"
    return n + (en if _en() else zh)


def actual(c: Mapping[str, Any]) -> str:
    raw = c.get("actual")
    if isinstance(raw, str) and _INDUSTRY.match(raw.upper()) and _decimal(raw) is None:
        return industry(raw)  # the page holds the industry names, scoring does not
    text = _side(c.get("actual_text"))
    if text:
        return text
    if isinstance(raw, Mapping) and "outcome" in raw:
        return review_outcome(raw)
    unit = c.get("unit")
    d = _decimal(raw) if isinstance(raw, str) else None
    if unit == "flag" and d is not None and _FRACTION.search(str(c.get("id", ""))):
        return percent(d * 100)  # a growth or margin stored as a fraction
    return fmt_value(raw, unit)


_OUTCOMES = {"pass": ("评审通过", "passed review"), "fail": ("评审未通过", "failed review")}


def review_outcome(raw: Mapping[str, Any]) -> str:
    """A recorded review outcome in words, with the file the reviewer cited (issue 15 item
    4): the file's name is a proper name, kept as the firm gave it on English pages too."""
    zh, en = _OUTCOMES.get(str(raw.get("outcome")), ("—", "—"))
    on = raw.get("reviewed_on")
    text = (f"{en} ({on})" if _en() else f"{zh}（{on}）") if on else (en if _en() else zh)
    cited = raw.get("evidence")
    if isinstance(cited, Mapping) and cited.get("filename"):
        text += f"; evidence: {cited['filename']}" if _en() else f"；依据材料：{cited['filename']}"
    return text


def _points(value: Any) -> str | None:
    d = _decimal(value)
    if d is None:
        return None
    return f"{d:,.0f}" if d == d.to_integral_value() else f"{d.normalize():,f}"


def status(c: Mapping[str, Any]) -> str:
    """The criterion's result; a scored item that counted says the points it earned (``4分
    （满分20分）`` / ``4 of 20 points``), never "Met" for a band that gave 0 points."""
    label = t("status." + str(c.get("status")))
    points = c.get("points")
    if c.get("role") != "score" or c.get("status") != "pass" or not isinstance(points, Mapping):
        return label
    lo, hi = _points(points.get("min")), _points(points.get("max"))
    if lo is None or hi is None:
        return label
    got = lo if lo == hi else f"{lo}–{hi}"
    out_of = _points(c.get("points_max"))
    if _en():
        return f"{got} of {out_of} points" if out_of else f"{got} points"
    return f"{got}分（满分{out_of}分）" if out_of else f"{got}分"


def _clean_in_language(text: str) -> bool:
    if _MACHINE.search(text):
        return False
    return not _CJK.search(text) if _en() else True


def title(c: Mapping[str, Any]) -> str:
    """The criterion's title; on English pages without a quoted Chinese term ("(查账征收)")."""
    text = pick(c.get("title")) or str(c.get("id", ""))
    if not _en():
        return text
    text = _ROUTE.sub(lambda m: f"Direct route {m[1]}", text)
    english = english_only(text)
    if english:
        return english
    return _CJK_RUN.sub(" ", text).strip(" :;,") or str(c.get("id", ""))


def requirement(c: Mapping[str, Any]) -> str:
    """What the criterion requires, in the page's language only (the title if it cannot be)."""
    text = _side(c.get("requirement_text"))
    if text:
        return text
    raw = c.get("requirement")
    if raw:
        text = pick(str(raw).replace("或/or", "或" if not _en() else "or"))
        if _clean_in_language(text):
            return _PERCENT.sub(lambda m: f"{Decimal(m[1]):.2f} %", text)
        return title(c)
    required = c.get("required")
    return "—" if required is None else fmt_value(required, c.get("unit"))


def gap(c: Mapping[str, Any]) -> str:
    """The gap text, else the note in words; never a bare engine code."""
    g = c.get("gap")
    if isinstance(g, Mapping):
        text = english_only(str(g.get("text_en" if _en() else "text_zh") or ""))
        if text:
            return text
    note = _side(c.get("note_text"))
    if note:
        return note
    raw = c.get("note")
    if raw:
        text = pick(raw)
        if _clean_in_language(text) and not re.fullmatch(r"[a-z_]+", text):
            return text
    return "—"


def citation(c: Mapping[str, Any]) -> str:
    """The document and article only (bracketed research markers removed)."""
    text = _MARKER.sub("", str(c.get("citation") or ""))
    text = re.sub(r"\s*[(（][A-Za-z ,;.:/'-]*[)）]", "", text)
    return re.sub(r"\s{2,}", " ", text).strip() or "—"


def unconfirmed(c: Mapping[str, Any]) -> bool:
    return c.get("confirmed") is False


def step(s: Mapping[str, Any]) -> str:
    return english_only(str(s.get("text_en" if _en() else "text_zh") or "")) or ""


def _gap_text(g: Mapping[str, Any]) -> str | None:
    """A gap's sentence in the page's language; None when there is none fit to show."""
    gap_ = g.get("gap")
    if not isinstance(gap_, Mapping):
        return None
    text = gap_.get("text_en" if _en() else "text_zh")
    if not text or (_en() and _CJK.search(str(text))):
        return None
    return str(text)


def _alternative_route(g: Mapping[str, Any]) -> bool:
    """A direct route (直通条件) the firm could take instead of the score: not its gap."""
    return ".d_" in str(g.get("id") or "")


def rank_gaps(row: Mapping[str, Any]) -> dict[str, list[str]]:
    """A ranking row's gaps, most useful first: ``numbers`` — what is missing, in figures
    (the score it lacks, the expense to add); ``collect`` — for 信息不足, the data to collect;
    ``others`` — the alternative direct routes, shown folded after the gap that matters."""
    numbers: list[str] = []
    plain: list[str] = []
    others: list[str] = []
    for g in row.get("gaps") or []:
        text = _gap_text(g)
        if _alternative_route(g):
            others.append(text or title(g))
        elif text:
            numbers.append(text)
        else:
            plain.append(title(g))
    collect = [title(c) for c in row.get("to_collect") or []]
    if row.get("verdict") == "eligible":
        others = []  # qualified already: the other routes are not a gap
    return {"numbers": numbers + plain, "collect": collect, "others": others}


def field_value(f: Any, value: Any) -> str:
    """A form field's value as a person reads it (money in yuan, boxes by name)."""
    if value is None or value == "":
        return "—"
    if f.kind in ("money", "signed_money"):
        return yuan(value)
    if f.kind == "multi":
        return listing([choice(v) for v in value]) or t("f.none_of_these")
    if f.kind == "choice":
        return choice(str(value))
    if f.kind == "industry":
        return industry(value)
    d = _decimal(value)
    return f"{d:,.0f}" if d is not None and f.kind == "count" else str(value)


def stage_names(stages: Any) -> str:
    return listing([t(f"stage.{s}") for s in stages or []])


def crit_split(result: Mapping[str, Any]) -> tuple[list[Any], list[Any]]:
    """(the criteria that decide the verdict, the alternative direct routes): a firm that
    qualifies by its score does not need any 直通条件, so those are folded, not listed as
    failures first."""
    criteria = list(result.get("criteria") or [])
    routes = [c for c in criteria if _alternative_route(c)]
    return [c for c in criteria if not _alternative_route(c)], routes


def pool_names(pools: Any) -> str:
    return listing([t(f"pool.{p}") for p in pools or []])


def colon() -> str:
    """The colon after a label: full-width in Chinese, ": " in English."""
    return ": " if _en() else "："


def listing(items: list[str]) -> str:
    """Items joined as the page's language joins them (、 in Chinese, commas in English)."""
    return ", ".join(items) if _en() else "、".join(items)


def outlook(o: Mapping[str, Any]) -> str:
    """One sentence: what the firm qualifies for, and what it would once it confirms the open
    items (``results.outlook``)."""
    tiers = {k: listing([t(f"tier.{x}") for x in o.get(k) or []]) for k in
             ("eligible", "possible", "near")}
    items = listing([pick(x) for x in o.get("open_items") or []])
    parts = []
    if tiers["eligible"]:
        parts.append(t("out.eligible", tiers=tiers["eligible"]))
    if tiers["possible"]:
        parts.append(t("out.possible", tiers=tiers["possible"], items=items))
    if tiers["near"]:
        parts.append(t("out.near", tiers=tiers["near"]))
    if not parts:
        return t("out.none")
    return (" " if _en() else "；").join(parts) + ("" if _en() else "。")


HELPERS = {
    "beijing": beijing,
    "listing": listing,
    "colon": colon,
    "field_value": field_value,
    "score_text": score_text,
    "rank_gaps": rank_gaps,
    "pool_names": pool_names,
    "crit_split": crit_split,
    "stage_names": stage_names,
    "outlook_text": outlook,
    "crit_actual": actual,
    "crit_status": status,
    "crit_requirement": requirement,
    "crit_gap": gap,
    "crit_citation": citation,
    "crit_unconfirmed": unconfirmed,
    "crit_title": title,
    "industry_name": industry,
    "town_name": town,
    "hightech_name": hightech,
    "choice_name": choice,
    "yuan": yuan,
    "fmt_value": fmt_value,
    "step_text": step,
    "audit_action": audit_action,
    "actor_name": actor,
    "town_choices": town_choices,
}
