"""Words and units for people: one formatting layer for every text scoring writes.

The rulebooks hold what a machine needs (``"rd_sales_ratio ≥3%→20"``, ``"查账征收 / audited"``,
``0.125``, ``True``); readers need ``研发费用占销售收入比例 ≥ 3.00 %：20分`` in Chinese and
``R&D / sales ≥ 3.00 %: 20 points`` in English, ``是``/``Yes``, ``¥1,234,567`` and ``12.50 %``.
This module turns typed values (money, ratio, percent, bool, count, level, field keys) and a
rulebook's requirement string into a ``(zh, en)`` pair, each side in one language only.

Requirement strings are data written by several people; the translation is generic (fact keys
become their names, percentages get two decimals, ``→N`` becomes points, bilingual ``中 / en``
halves are split) and a side that still is not clean in its language — an unknown machine key,
Chinese left in the English side — falls back to the criterion's title, which always states
the condition in words. Citations keep the document and article only: a bracketed research
marker such as ``(list content [MEM])`` never reaches a reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from decimal import InvalidOperation
from functools import lru_cache
from typing import Any

from yumiao_common.contracts.sme_size import RULES
from yumiao_common.vocabulary.choices import PROFILE_CHOICES

Pair = tuple[str, str]

UNITS: dict[str, Pair] = {
    "people": ("人", "people"), "ip_items": ("项", "IP items"), "points": ("分", "points"),
    "years": ("年", "years"), "households": ("户", "households"), "count": ("项", "items"),
    "days": ("天", "days"), "percentage_points": ("个百分点", "percentage points"),
}  # fmt: skip
#: Names of the measures a requirement may name by key (the rest come from ``factinfo``).
MEASURES: dict[str, Pair] = {
    "rd_sales_ratio": ("研发费用占销售收入比例", "R&D spending / sales revenue"),
    "rd_cost_ratio": ("研发费用占成本费用比例", "R&D spending / total costs"),
    "rd_op_ratio": ("研发费用占营业收入比例", "R&D spending / operating revenue"),
    "rd_staff_ratio": ("研发人员占比", "R&D staff share"),
    "staff_ratio": ("科技人员占比", "science staff share"),
    "rd": ("研发费用", "R&D spending"), "employees": ("职工人数", "employees"),
    "op_rev": ("营业收入", "operating revenue"), "sales": ("销售收入", "sales revenue"),
    "equity_2y": ("近两年新增股权融资", "new equity financing over two years"),
    "market_share": ("细分市场占有率", "niche market share"),
    "rank_national": ("全国排名", "national rank"), "years": ("年限", "years"),
    "main_growth": ("主营业务收入增长率", "main-business revenue growth"),
}  # fmt: skip
#: Keyed choices of the profile (profile.md) shown by name, never by key: the shared table.
CHOICES: dict[str, Pair] = dict(PROFILE_CHOICES)
#: Levels of institutions and awards as the engine ranks them (``holdings._LEVEL``).
LEVELS: dict[int, Pair] = {4: ("国家级", "national"), 3: ("省级", "provincial"),
                           2: ("市级", "municipal"), 1: ("市级以下", "below municipal"),
                           0: ("无", "none")}  # fmt: skip
#: Why a criterion reads as it does (the engine's note codes).
NOTES: dict[str, Pair] = {
    "estimate": ("专家评审项，得分为可能区间", "graded by experts: the score is a range"),
    "strict": ("须高于及格线", "must be above the pass mark"),
    "small_revenue": ("按营业收入较小企业的条件评价", "judged by the small-revenue conditions"),
    "not_applicable": ("所在行业不适用", "not applicable to the industry"),
    "reviewed": ("已经评审确认", "settled by a recorded review"),
    "zero_growth_edge": ("增长率为零", "zero growth"),
    "expert": ("按专家评分", "as graded by the experts"),
    "exempt": ("依规定豁免", "exempt under the rules"),
    # issue 8 items 4, 5, 8: undefined values (review), validity, year-keyed rates
    "zero_denominator": ("分母为零，比例无法计算，须经评审确认",
                         "the denominator is zero, so the ratio has no value: subject to review"),
    "zero_base": ("基期为零，增长率无法计算，须经评审确认",
                  "the base year is zero, so there is no growth rate: subject to review"),
    "negative_base_review": ("基期净资产为负，增长率公式不适用，须经评审确认",
                             "negative net assets in a base year: the formula does not apply; "
                             "subject to review"),
    "single_year": ("仅有一个会计年度，无法计算增长率，须经评审确认",
                    "only one fiscal year, so there is no growth rate: subject to review"),
    "two_years_first_zero": ("两个会计年度且第一年为零，须经评审确认",
                             "two fiscal years with a zero first year: subject to review"),
    "first_year_zero": ("第一年为零，按后两年计算",
                        "the first year is zero: the last two years count"),
    "second_year_zero": ("第二年为零，按0分计算", "the second year is zero: 0 points"),
    "validity_unknown": ("证书未载明有效期且无有效期规定可依，是否有效待确认",
                         "no expiry date and no known validity rule: held or not is unknown"),
    "rate_missing": ("该年度一年期贷款市场报价利率均值尚未设定",
                     "the year's average one-year loan prime rate is not set"),
    "flags_unknown": ("所列情况是否存在尚无记录", "not on record whether these apply"),
    # MIIT 2026 re-reviews (复核) and 117号 (rules.miit)
    "rereview_exempt": ("复核企业不考查此项", "re-reviews are exempt from this condition"),
    "rereview_prev_year": ("复核企业，按上一年度得分", "a re-review: last year's score counts"),
    "rereview_unknown": ("是否属于复核企业待确认（称号有效期未知）",
                         "whether this is a re-review is unknown (title validity unknown)"),
    "not_rereview": ("非复核企业，不适用", "not a re-review: does not apply"),
    # IP items and awards whose status is not recorded (holdings.ip_counts, has_award)
    "ip_unconfirmed": ("有知识产权的授权日期或是否已用于高企认定未记录，能否计入待确认",
                       "an IP item's grant date or earlier use in an HNTE recognition is not "
                       "recorded: whether it counts is unknown"),
    "rank_unknown": ("奖励未记录排名，是否在规定名次内待确认",
                     "an award's rank is not recorded: whether it is within the places "
                     "required is unknown"),
    "rereview": ("复核企业，不适用（仅限新推荐企业）", "a re-review: applies to new nominees only"),
    # SME size by industry (工信部联企业〔2011〕300号): the table row that decided it
    **{f"sme_{r.key}": (f"按{r.name_zh}划型标准：{r.sme_text()[0]}为中小企业",
                        f"{r.name_en} standard: an SME when {r.sme_text()[1]}") for r in RULES},
}  # fmt: skip
#: Words a requirement string may carry in the other language, translated whole.
PHRASES: tuple[tuple[str, str], ...] = (
    ("national top 10 or provincial top 3", "全国前10名或全省前3名"),
    ("national, top 3, 5 years", "近五年获国家级奖励（前三名）"),
    ("national/provincial, 3 years", "近三年获国家级或省级奖励"),
    ("national top 3", "全国前3名"), ("national top 5", "全国前5名"),
    ("national top 10", "全国前10名"), ("provincial top 3", "全省前3名"),
    ("provincial top 10", "全省前10名"), ("top 500", "前500名"), ("top 50", "前50名"),
    ("valid provincial title", "有效的省级称号"), ("valid title", "有效称号"),
    ("any level", "任一级别"), ("led, 5 years", "近五年主导制定标准"), ("8 fields", "八大领域"),
    ("foreign cert", "境外认证"), ("each year", "每年"), ("R&D staff", "研发人员"),
    ("equity", "股权融资"), ("R&D", "研发费用"), ("2-year sum", "近两年合计"),
    ("not in the profile: subject to review", "档案无此数据，须经评审确认"),
    ("subject to review", "须经评审确认"), ("audited", "查账征收"), ("none", "无"),
    ("valid", "有效证书"), ("max", "最高"), ("or", "或"), ("not", "不属于"),
    ("level 3 or above", "三级以上"), ("level 2", "二级"), ("level 1", "一级"),
    ("strategic emerging industries", "战略性新兴产业"), ("others", "其他"),
    ("national", "国家级"), ("provincial", "省级"), ("municipal", "市级"),
    ("below municipal", "市级以下"), ("yes", "是"), ("no", "否"), ("own brand", "自主品牌"),
    ("the six foundations", "六基"), ("key chain", "产业链关键环节"),
    ("manufacturing power", "制造强国"), ("network power", "网络强国"),
    ("time-honoured brands", "老字号"), ("filling gaps and the like", "补短板等"),
    ("self-developed", "自主研发"), ("transferred only and the like", "仅受让等"),
    ("turnover", "交易额"), ("etc.", "等"), ("per item", "每项"), ("points", "分"),
    ("Class I ", "Ⅰ类"), ("Class II ", "Ⅱ类"),
)  # fmt: skip
#: Requirement strings too terse to translate word by word ("led, 5 years", "六基 / key chain"
#: where the halves are alternatives, not languages): their texts, written out.
WHOLE: dict[str, Pair] = {
    "valid provincial title": ("有效的省级重点龙头企业称号",
                               "a valid provincial leading-enterprise title"),
    "valid title": ("有效称号", "a valid title"),
    "有效证书 / valid": ("有效期内的证书", "a certificate within its validity"),
    "8 fields": ("属于八大领域之一", "in one of the 8 state-supported high-tech fields"),
    "national/provincial, 3 years": ("近三年获国家级或省级科技奖励",
                                     "a national or provincial S&T award in the last 3 years"),
    "national, top 3, 5 years": ("近五年获国家级科技奖励并排名前三",
                                 "a national S&T award in the last 5 years, ranked in the top 3"),
    "led, 5 years": ("近五年主导制定过标准", "led a standard in the last 5 years"),
    "ISO 9001 等 / foreign cert": ("管理体系认证（ISO 9001 等）或境外产品认证",
                                  "management-system certification (ISO 9001 etc.) or "
                                  "certification in developed countries and regions"),
    "六基 / key chain": ("工业“六基”或产业链关键环节（补短板、锻长板、填空白）",
                         "the six industrial foundations or a key supply-chain link"),
    "top 50": ("全国50强", "national top 50"), "top 500": ("全国500强", "national top 500"),
    "3/item, max 5": ("每项3分，最高5分", "3 points per item, at most 5"),
    "2/item, max 4": ("每项2分，最高4分", "2 points per item, at most 4"),
    "A4 B3 C2 D1": ("A档4分；B档3分；C档2分；D档1分", "grade A: 4 points; B: 3; C: 2; D: 1"),
    "A3 B2 C1": ("A档3分；B档2分；C档1分", "grade A: 3 points; B: 2; C: 1"),
}  # fmt: skip
_EN_OF_ZH = sorted(((zh, en) for en, zh in PHRASES), key=lambda p: -len(p[0]))
_ZH_OF_EN = sorted(PHRASES, key=lambda p: -len(p[0]))

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff01-\uff0f\uff1a-\uff20（），；：、。“”]")
_KEY = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_WORD = re.compile(r"[A-Za-z]{3,}")
_ZH_LATIN_OK = {"ISO", "IP"}
_MARKER = re.compile(r"\s*[(（][^()（）]*\[[^\]]*\][^()（）]*[)）]|\s*\[[A-Z][A-Z ]*\]")


def _dec(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def percent(value: Decimal) -> str:
    """A fraction (0.125) as ``12.50 %``."""
    return f"{value * 100:.2f} %"


def points_text(value: Decimal) -> str:
    """A percent figure already in percent (12.5) as ``12.50 %``."""
    return f"{value:.2f} %"


def yuan(value: Decimal | int) -> str:
    """``¥1,234,567`` (fen only when there are any)."""
    d = Decimal(value)
    return f"¥{d:,.0f}" if d == d.to_integral_value() else f"¥{d:,.2f}"


def number(value: Decimal | int) -> str:
    d = Decimal(value)
    return f"{d:,.0f}" if d == d.to_integral_value() else f"{d.normalize():,f}"


def looks_like_ratio(fact: str | None) -> bool:
    """Facts measured as a fraction even where the rulebook gives no unit (growth, margins)."""
    return bool(fact) and bool(re.search(r"(growth|margin|ratio|share|roa)", fact or ""))


def choice(key: str) -> Pair:
    return CHOICES.get(key, (key, key.replace("_", " ")))


#: A recorded review outcome (``assessments.reviews``), the ``actual`` of a settled row.
OUTCOMES: dict[str, Pair] = {"pass": ("评审通过", "passed review"),
                             "fail": ("评审未通过", "failed review")}  # fmt: skip


def review_texts(value: dict[str, Any]) -> Pair:
    """``{"outcome": "pass", "reviewed_on": "2026-05-20"}`` as ``评审通过（2026-05-20）``; with
    the file the reviewer cited, ``…；依据材料：审计报告.pdf`` (``…; evidence: 审计报告.pdf``)."""
    zh, en = OUTCOMES.get(str(value.get("outcome")), ("—", "—"))
    on = value.get("reviewed_on")
    if on and zh != "—":
        zh, en = f"{zh}（{on}）", f"{en} ({on})"
    evidence = value.get("evidence")
    if zh != "—" and isinstance(evidence, dict) and evidence.get("filename"):
        name = str(evidence["filename"])
        return f"{zh}；依据材料：{name}", f"{en}; evidence: {name}"
    return zh, en


def value_texts(value: Any, unit: str, fact: str | None = None) -> Pair:
    """One figure in words and units: ``(zh, en)``; ``("—", "—")`` when there is none."""
    if value is None or value == "":
        return "—", "—"
    if isinstance(value, dict):  # never a machine mapping: a review outcome in words
        return review_texts(value)
    if isinstance(value, bool):
        if fact and fact.endswith("_clear"):  # "none of the listed" holds: 无, as required
            return ("无", "none") if value else ("有记录", "on record")
        return ("是", "Yes") if value else ("否", "No")
    if isinstance(value, list | tuple) and len(value) == 2 and all(
            isinstance(v, Decimal | int) for v in value):  # a range of points
        lo, hi = value_texts(value[0], unit, fact), value_texts(value[1], unit, fact)
        return f"{lo[0]}–{hi[0]}", f"{lo[1]}–{hi[1]}"
    if isinstance(value, list | tuple | set | frozenset):
        names = [choice(str(v)) for v in sorted(value, key=str)]
        return "、".join(n[0] for n in names) or "无", ", ".join(n[1] for n in names) or "none"
    if isinstance(value, str):
        num = _dec(value)
        if num is None:
            return choice(value)
        value = num
    if not isinstance(value, Decimal | int):
        return str(value), str(value)
    if unit in ("ratio", "percent") or (unit == "flag" and looks_like_ratio(fact)):
        text = percent(Decimal(value))
        return text, text
    if unit == "yuan":
        text = yuan(value)
        return text, text
    if unit == "level":
        return LEVELS.get(int(value), (number(value), number(value)))
    if unit == "level_number":  # a numbered level (digitalisation level 2): 2级 / level 2
        return f"{number(value)}级", f"level {number(value)}"
    zh_unit, en_unit = UNITS.get(unit, ("", ""))
    n = number(value)
    return f"{n}{zh_unit}", (f"{n} {en_unit}" if en_unit else n)


def note_texts(note: str | None) -> Pair:
    """An engine note in words; a bare fact key names the measure used; nothing else leaks."""
    if not note:
        return "", ""
    if note in NOTES:
        return NOTES[note]
    if note in MEASURES:
        zh, en = MEASURES[note]
        return f"按{zh}计分", f"scored by {en}"
    if " / " in note:
        zh, _, en = note.partition(" / ")
        return zh.strip(), en.strip()
    if _CJK.search(note):
        return note, ""
    if _KEY.fullmatch(note) or note.isidentifier():
        return "", ""
    return "", note


def clean_citation(citation: str) -> str:
    """The document and article only: research markers (``[MEM]``, ``(list content [MEM])``,
    ``kept by``) removed, so a reader sees document numbers, articles and annex items."""
    text = _MARKER.sub("", citation)
    text = re.sub(r"\s*\[[^\]]*\]", "", text)
    text = re.sub(r"\(\s*kept by\s+", "(", text)
    text = re.sub(r"\s*[(（][A-Za-z ,;.:/'-]*[)）]", "", text)
    text = re.sub(r";\s*S\d+(?=[)）])", "", text)  # a source number of the research notes
    return re.sub(r"\s{2,}", " ", text).strip()


def _split_bilingual(text: str) -> Pair:
    """``"中 / en"`` halves (also inside ``（…/…）``) and ``或/or`` into one text per language."""
    zh, en = text, text
    inner = re.compile(r"（([^（）]*?) / ([^（）]*?)）")
    zh = inner.sub(lambda m: f"（{m[1]}）", zh)
    en = inner.sub(lambda m: f" ({m[2]})", en)
    zh, en = zh.replace("或/or", "或"), en.replace("或/or", "or")
    if " / " in zh:
        zh = zh.partition(" / ")[0]
    if " / " in en:
        en = en.partition(" / ")[2]
    return zh.strip(), en.strip()


def _money_m(text: str) -> str:
    def whole(m: re.Match[str]) -> str:
        return f"¥{Decimal(m[1]) * 1_000_000:,.0f}"

    text = re.sub(r"¥(\d+)–(\d+(?:\.\d+)?)\s?m\b",
                  lambda m: f"¥{Decimal(m[1]) * 1_000_000:,.0f}–"
                            f"{Decimal(m[2]) * 1_000_000:,.0f}", text)  # fmt: skip
    return re.sub(r"¥(\d+(?:\.\d+)?)\s?m\b", whole, text)


def _numbers(text: str) -> str:
    text = _money_m(text)
    text = re.sub(r"(\d+(?:\.\d+)?)\s?%", lambda m: points_text(Decimal(m[1])), text)
    text = re.sub(r"([≥≤<>])\s?(?=[\d¥])", r"\1 ", text)
    return re.sub(r"(?<=[≥≤<>] )(\d{4,})(?![\d.,%])", lambda m: f"{int(m[1]):,}", text)


def _measures(text: str, side: int) -> str:
    def name(m: re.Match[str]) -> str:
        key = m[0]
        if key in MEASURES:
            return MEASURES[key][side]
        if key in CHOICES:
            return CHOICES[key][side]
        return key

    return re.sub(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)*\b(?=\s?[≥≤<>])|" + _KEY.pattern, name,
                  text)


def _points(text: str, zh: bool) -> str:
    unit = "分" if zh else " points"
    sep = "：" if zh else ": "
    text = re.sub(r"→\s?(\d+(?:–\d+)?)", lambda m: f"{sep}{m[1]}{unit}", text)
    return re.sub(r"(?<=[%\d]): (\d+(?:–\d+)?)(?=;|$|（| \()", lambda m: f"{sep}{m[1]}{unit}",
                  text)


def _phrases(text: str, table: Iterable[Pair]) -> str:
    for src, dst in table:
        if re.search(r"[A-Za-z]", src):
            text = re.sub(rf"(?<![A-Za-z]){re.escape(src)}(?![A-Za-z])", dst, text)
        else:
            text = text.replace(src, dst)
    return text


_FORMULA = re.compile(r"[⌊⌋]|\b(?:min|max)\(")


def _zh_clean(text: str) -> bool:
    return not _KEY.search(text) and not _FORMULA.search(text) and "→" not in text and all(
        w in _ZH_LATIN_OK for w in _WORD.findall(text))


def _en_clean(text: str) -> bool:
    return (not _KEY.search(text) and not _FORMULA.search(text) and "→" not in text
            and not _CJK.search(text))


def _title_fallback(title: str, zh: bool) -> str:
    if zh:
        return title
    stripped = re.sub(r"\s*[(（][^()（）]*[\u2e80-\u9fff][^()（）]*[)）]", "", title).strip()
    return stripped if not _CJK.search(stripped) else "—"


@lru_cache(maxsize=4096)
def requirement_texts(requirement: str, title_zh: str, title_en: str) -> Pair:
    """A rulebook requirement as one clean text per language (the title when it cannot be)."""
    if not requirement.strip():
        return title_zh, _title_fallback(title_en, False)
    if requirement in WHOLE:
        return WHOLE[requirement]
    zh, en = _split_bilingual(requirement)
    zh = _phrases(_points(_measures(_numbers(zh), 0), True), _ZH_OF_EN)
    zh = zh.replace("; ", "；").replace(" | ", "；或按").replace("…", "……")
    en = _phrases(_points(_measures(_numbers(en), 1), False), _EN_OF_ZH)
    en = en.replace("；", "; ").replace(" | ", "; or by ").replace("，", ", ")
    en = re.sub(r"/item\b", " per item", re.sub(r"(?<=[a-z])(?=\d)", " ", en))
    en = re.sub(r"(?<![\d.,])1 points", "1 point", en)
    zh = zh if _zh_clean(zh) else title_zh
    en = en if _en_clean(en) else _title_fallback(title_en, False)
    return zh, en
