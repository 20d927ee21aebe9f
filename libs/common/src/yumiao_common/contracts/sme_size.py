"""Enterprise size by industry: the one table of 工信部联企业〔2011〕300号 for every service.

Why it lives in the shared contracts: "SME" is part of the profile vocabulary (profile.md) —
the registry derives a firm's size class from it, and scoring gates the three MIIT tiers on it
(63号 第五条: 符合《中小企业划型标准规定》). One table, one owner, no second copy.

The table (300号 第四条, mapped to GB/T 4754-2017 by 国统字〔2017〕213号) gives, per sector,
the lower bounds of large / medium / small on one or two measures: 从业人员 (employees,
persons), 营业收入 (operating revenue) and 资产总额 (total assets), money in 万元 as the
standard writes it (inputs are yuan). Large, medium and small must meet *every* listed lower
bound, otherwise the firm drops a class; micro needs only one measure below the small bound.
So a firm is an SME (中小微型) when it is below the large bound on **either** listed measure
("从业人员1000人以下或营业收入40000万元以下的为中小微型企业"), and large only when it reaches
every large bound ("大型企业须同时满足所列指标的下限"; the large bound itself is large).

Sources (criteria.md §8 item 8; domain-data.md §5): the large (SME) bounds of every sector are
[3P; MEM] in criteria.md; the medium and small bounds of industry, agriculture, construction,
wholesale, retail, telecoms, software, leasing and other sectors are from domain-data.md §5
[confirmed there against a public copy of the 2017 table]; those of transport, warehousing,
postal, accommodation, catering, real-estate development and property management are from
memory of the same table [MEM, unconfirmed] — only their SME bound decides the MIIT gate.

Sector by GB/T 4754 code: section letter, then the 2-digit division, then the 3-digit group
where the table splits a division (K701 real-estate development / K702 property management).
A code too coarse to pick the row (``K70``) has no rule: the size is unknown, never a guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum
from typing import Literal

WAN = 10_000  # yuan per 万元
MeasureField = Literal["employees", "operating_revenue", "total_assets"]
Figure = int | Decimal | None


class SizeClass(IntEnum):
    MICRO = 0
    SMALL = 1
    MEDIUM = 2
    LARGE = 3

    @property
    def key(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Measure:
    """One measure's lower bounds (large, medium, small); persons, or 万元 for money."""

    field: MeasureField
    bounds: tuple[int, int, int]

    def threshold(self, index: int) -> int:
        """The bound in the input's unit (persons or yuan)."""
        bound = self.bounds[index]
        return bound if self.field == "employees" else bound * WAN


@dataclass(frozen=True, slots=True)
class SizeRule:
    """One row of the table: the sector's names and its measures."""

    key: str
    name_zh: str
    name_en: str
    measures: tuple[Measure, ...]

    def sme_text(self) -> tuple[str, str]:
        """The SME condition in words, e.g. "从业人员<300人或营业收入<1亿元"."""
        zh = "或".join(_words_zh(m) for m in self.measures)
        en = " or ".join(_words_en(m) for m in self.measures)
        return zh, en


_ZH_NAMES = {"employees": "从业人员", "operating_revenue": "营业收入", "total_assets": "资产总额"}
_EN_NAMES = {"employees": "staff", "operating_revenue": "revenue", "total_assets": "assets"}


def _words_zh(m: Measure) -> str:
    large = m.bounds[0]
    if m.field == "employees":
        return f"{_ZH_NAMES[m.field]}<{large:,}人"
    amount = f"{large // WAN:g}亿元" if large % WAN == 0 else f"{large:,}万元"
    return f"{_ZH_NAMES[m.field]}<{amount}"


def _words_en(m: Measure) -> str:
    large = m.bounds[0]
    if m.field == "employees":
        return f"{_EN_NAMES[m.field]} < {large:,}"
    return f"{_EN_NAMES[m.field]} < ¥{large * WAN:,}"


def _emp(large: int, medium: int, small: int) -> Measure:
    return Measure("employees", (large, medium, small))


def _rev(large: int, medium: int, small: int) -> Measure:
    return Measure("operating_revenue", (large, medium, small))


def _assets(large: int, medium: int, small: int) -> Measure:
    return Measure("total_assets", (large, medium, small))


def _rule(key: str, zh: str, en: str, *measures: Measure) -> SizeRule:
    return SizeRule(key, zh, en, measures)


AGRICULTURE = _rule("agriculture", "农、林、牧、渔业", "agriculture, forestry, fishing",
                    _rev(20000, 500, 50))
INDUSTRY = _rule("industry", "工业", "industry", _emp(1000, 300, 20), _rev(40000, 2000, 300))
CONSTRUCTION = _rule("construction", "建筑业", "construction",
                     _rev(80000, 6000, 300), _assets(80000, 5000, 300))
WHOLESALE = _rule("wholesale", "批发业", "wholesale", _emp(200, 20, 5), _rev(40000, 5000, 1000))
RETAIL = _rule("retail", "零售业", "retail", _emp(300, 50, 10), _rev(20000, 500, 100))
TRANSPORT = _rule("transport", "交通运输业", "transport",
                  _emp(1000, 300, 20), _rev(30000, 3000, 200))
WAREHOUSING = _rule("warehousing", "仓储业", "warehousing",
                    _emp(200, 100, 20), _rev(30000, 1000, 100))
POSTAL = _rule("postal", "邮政业", "postal services", _emp(1000, 300, 20), _rev(30000, 2000, 100))
ACCOMMODATION = _rule("accommodation", "住宿业", "accommodation",
                      _emp(300, 100, 10), _rev(10000, 2000, 100))
CATERING = _rule("catering", "餐饮业", "catering", _emp(300, 100, 10), _rev(10000, 2000, 100))
TELECOM = _rule("telecom", "信息传输业", "information transmission",
                _emp(2000, 100, 10), _rev(100000, 1000, 100))
SOFTWARE = _rule("software", "软件和信息技术服务业", "software and IT services",
                 _emp(300, 100, 10), _rev(10000, 1000, 50))
REAL_ESTATE = _rule("real_estate", "房地产开发经营", "real-estate development",
                    _rev(200000, 1000, 100), _assets(10000, 5000, 2000))
PROPERTY = _rule("property_management", "物业管理", "property management",
                 _emp(1000, 300, 100), _rev(5000, 1000, 500))
LEASING = _rule("leasing_business", "租赁和商务服务业", "leasing and business services",
                _emp(300, 100, 10), _assets(120000, 8000, 100))
OTHER = _rule("other", "其他未列明行业", "other sectors", _emp(300, 100, 10))

RULES: tuple[SizeRule, ...] = (
    AGRICULTURE, INDUSTRY, CONSTRUCTION, WHOLESALE, RETAIL, TRANSPORT, WAREHOUSING, POSTAL,
    ACCOMMODATION, CATERING, TELECOM, SOFTWARE, REAL_ESTATE, PROPERTY, LEASING, OTHER,
)  # fmt: skip
_BY_SECTION = {"A": AGRICULTURE, "B": INDUSTRY, "C": INDUSTRY, "D": INDUSTRY,
               "E": CONSTRUCTION, "G": TRANSPORT, "L": LEASING}  # fmt: skip
_BY_DIVISION = {"51": WHOLESALE, "52": RETAIL, "59": WAREHOUSING, "60": POSTAL,
                "61": ACCOMMODATION, "62": CATERING, "63": TELECOM, "64": TELECOM,
                "65": SOFTWARE}  # fmt: skip
_BY_GROUP = {"701": REAL_ESTATE, "702": PROPERTY}


def rule_for(industry_code: str | None) -> SizeRule | None:
    """The row of a GB/T 4754 code such as ``C3451``; None when the code cannot pick one.

    Divisions are unique across sections (51 is always wholesale), so they are read first;
    real estate (K70) splits by group, so ``K70`` alone is undecided.
    """
    if not industry_code or len(industry_code) < 3:
        return None
    section, division = industry_code[0], industry_code[1:3]
    if section == "K" and division == "70":
        if len(industry_code) < 4:
            return None
        return _BY_GROUP.get(industry_code[1:4], OTHER)
    return _BY_DIVISION.get(division) or _BY_SECTION.get(section, OTHER)


def _class_of(value: int | Decimal, measure: Measure) -> SizeClass:
    for index, size in enumerate((SizeClass.LARGE, SizeClass.MEDIUM, SizeClass.SMALL)):
        if value >= measure.threshold(index):
            return size
    return SizeClass.MICRO


def classify(industry_code: str | None, figures: Mapping[str, Figure]) -> SizeClass | None:
    """Size class from ``employees`` (persons), ``operating_revenue`` and ``total_assets``
    (yuan). None when the industry or any measure its row lists is unknown."""
    rule = rule_for(industry_code)
    if rule is None:
        return None
    classes: list[SizeClass] = []
    for measure in rule.measures:
        value = figures.get(measure.field)
        if value is None:
            return None
        classes.append(_class_of(value, measure))
    return min(classes)


def is_sme(industry_code: str | None, figures: Mapping[str, Figure]) -> bool | None:
    """SME (中小微型) under 300号: below the large bound on **either** listed measure.

    Three-valued: True as soon as one known measure is below its large bound (the others
    cannot change that); False when every listed measure is known and reaches it; None when
    the industry code cannot pick a row or the deciding measures are unknown.
    """
    rule = rule_for(industry_code)
    if rule is None:
        return None
    unknown = False
    for measure in rule.measures:
        value = figures.get(measure.field)
        if value is None:
            unknown = True
        elif value < measure.threshold(0):
            return True
    return None if unknown else False
