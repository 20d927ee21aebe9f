"""What each derived fact means to a user: its unit, and how a shortfall becomes an amount.

A gap is only useful in the user's own units: "¥640,000 more R&D", "3 more science staff",
"1 more Class I IP item". This table says, per fact, how to turn "the ratio is 3.2 % but
4 % is required" into such an amount, and whether the gap could be closed within the next
fiscal year — the basis of the ``near`` verdict:

* money, people and IP items can be added within a year (closable);
* scale figures (revenue, assets, households) are closable only when the shortfall is at most
  ``max_rel`` of the requirement (default 20 %): a firm does not double its sales in a year;
* time (years in a niche, age), flags, titles and qualitative items are not closable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING
from decimal import Decimal
from typing import Any

from scoring.domain.facts import Facts

SCALE_MAX_REL = Decimal("0.2")


@dataclass(frozen=True, slots=True)
class FactInfo:
    unit: str  # unit of the fact's value
    gap_unit: str  # unit the gap is given in
    mode: str  # diff | money | hire | none
    num: str | None = None  # for money/hire: the numerator fact (what is added)
    den: str | None = None  # the denominator fact
    what_zh: str = ""
    what_en: str = ""
    closable: bool = True
    max_rel: Decimal | None = None


def _money(num: str, den: str, zh: str, en: str) -> FactInfo:
    return FactInfo("ratio", "yuan", "money", num, den, zh, en)


def _scale(unit: str, zh: str, en: str) -> FactInfo:
    return FactInfo(unit, unit, "diff", None, None, zh, en, True, SCALE_MAX_REL)


def _fixed(unit: str, zh: str, en: str) -> FactInfo:
    return FactInfo(unit, unit, "diff", None, None, zh, en, False)


_RD = ("研发费用", "R&D spending")
FACTS: dict[str, FactInfo] = {
    "staff_ratio": FactInfo(
        "ratio", "people", "hire", "science_staff", "employees", "科技人员", "science staff"
    ),
    "rd_staff_ratio": FactInfo(
        "ratio", "people", "hire", "rd_staff", "employees", "研发人员", "R&D staff"
    ),
    "rd_sales_ratio": _money("rd", "sales", *_RD),
    # R&D spending is part of total cost: solve (rd+x)/(cost+x) ≥ r (tech SME 第七条(二)).
    "rd_cost_ratio": FactInfo("ratio", "yuan", "hire", "rd", "total_cost", *_RD),
    "rd_op_ratio": _money("rd", "op_rev", *_RD),
    "rd_op_ratio_2y_min": FactInfo("ratio", "percentage_points", "diff", None, None, *_RD),
    "rd_3y_ratio": _money("rd_3y", "sales_3y", "近三年研发费用", "R&D over three years"),
    "domestic_share": FactInfo("ratio", "percentage_points", "diff", None, None,
                               "境内研发费用占比", "domestic share of R&D", False),
    # Added high-tech income also raises total income: solve (h+x)/(t+x) ≥ r, as for hires.
    "hightech_share": FactInfo("ratio", "yuan", "hire", "hightech_rev", "total_income",
                               "高新技术产品收入", "high-tech product revenue"),
    "rd": FactInfo("yuan", "yuan", "diff", None, None, *_RD),
    "rd_2y_sum": FactInfo("yuan", "yuan", "diff", None, None, "近两年研发费用", "2-year R&D"),
    "rd_2y_min": FactInfo("yuan", "yuan", "diff", None, None, *_RD),
    "ip_class1": FactInfo("ip_items", "ip_items", "diff", None, None, "Ⅰ类知识产权",
                          "Class I IP items"),
    "ip_class1_self": FactInfo("ip_items", "ip_items", "diff", None, None,
                               "自主研发Ⅰ类知识产权", "self-developed Class I IP items"),
    "ip_class1_high": FactInfo("ip_items", "ip_items", "diff", None, None,
                               "Ⅰ类高价值知识产权", "high-value Class I IP items"),
    "ip_class2": FactInfo("ip_items", "ip_items", "diff", None, None, "Ⅱ类知识产权",
                          "Class II IP items"),
    "ip_core": FactInfo("ip_items", "ip_items", "diff", None, None, "核心知识产权",
                        "core IP items"),
    "ip_hnte_core": FactInfo("ip_items", "ip_items", "diff", None, None,
                             "可用于高企认定的核心知识产权", "core IP items usable for HNTE"),
    "ip_hnte_core_self": FactInfo("ip_items", "ip_items", "diff", None, None,
                                  "自主研发的核心知识产权", "self-developed core IP items"),
    "ip_miit_class2": FactInfo("ip_items", "ip_items", "diff", None, None, "Ⅱ类知识产权",
                               "Class II IP items"),
    "conversions_avg": FactInfo("count", "count", "diff", None, None, "年均成果转化项数",
                                "average conversions a year"),
    "employees": _fixed("people", "职工人数", "employees"),
    "sales": _scale("yuan", "销售收入", "sales revenue"),
    "op_rev": _scale("yuan", "营业收入", "operating revenue"),
    "total_assets": _scale("yuan", "资产总额", "total assets"),
    "fixed_assets": _scale("yuan", "固定资产", "fixed assets"),
    "households": _scale("households", "带动农户", "farmer households"),
    "turnover": _scale("yuan", "交易额", "turnover"),
    "equity_2y": _scale("yuan", "新增股权融资", "new equity financing"),
    "equity_3y": _scale("yuan", "新增股权融资", "new equity financing"),
    "net_profit": _scale("yuan", "净利润", "net profit"),
    "main_share": FactInfo("ratio", "percentage_points", "diff", None, None,
                           "主营业务收入占比", "main-business share", False),
    "debt_ratio": FactInfo("ratio", "percentage_points", "diff", None, None, "资产负债率",
                           "debt ratio", False),
    "agri_share": FactInfo("ratio", "percentage_points", "diff", None, None,
                           "农产品销售占比", "agricultural share of sales", False),
    "sourced_share": FactInfo("ratio", "percentage_points", "diff", None, None,
                              "基地采购占比", "farm-sourced share", True),
    "roa": FactInfo("ratio", "percentage_points", "diff", None, None, "总资产报酬率",
                    "return on assets", False),
    "market_share": FactInfo("ratio", "percentage_points", "diff", None, None,
                             "细分市场占有率", "niche market share", False),
    # 小巨人 2026 条件2: revenue CAGR over two years (not closable within a year: it is history)
    "op_cagr": FactInfo("ratio", "percentage_points", "diff", None, None,
                        "近两年营业收入复合增长率", "2-year revenue CAGR", False),
    "niche_years": _fixed("years", "细分市场年限", "years in the niche"),
    "age_days": _fixed("days", "注册天数", "days since registration"),
    "srdi_dev_score": _fixed("points", "专精特新发展评价得分", "SRDI development score"),
    "rd_inst_best": FactInfo("level", "none", "none", closable=False),
}
NO_GAP = FactInfo("flag", "none", "none", closable=False)


def info(name: str) -> FactInfo:
    return FACTS.get(name, NO_GAP)


def shortfall(fi: FactInfo, f: Facts, actual: Any, required: Decimal) -> Decimal | None:
    """Amount (in ``fi.gap_unit``) that lifts ``actual`` to ``required``; None if not a number."""
    if fi.mode == "money" and fi.num and fi.den:
        num, den = getattr(f, fi.num, None), getattr(f, fi.den, None)
        if num is not None and den is not None:
            return _ceil(required * den - num)
        return None
    if fi.mode == "hire" and fi.num and fi.den:
        staff, total = getattr(f, fi.num), getattr(f, fi.den)
        if staff is None or total is None or required >= 1:
            return None
        need = (required * total - staff) / (1 - required)  # new hires count in both
        return Decimal(max(0, math.ceil(need)))
    if fi.mode == "diff" and isinstance(actual, Decimal | int):
        diff = Decimal(required) - Decimal(actual)
        if fi.unit == "ratio":
            return diff * 100  # percentage points
        if fi.unit in ("ip_items", "people", "households", "years", "count"):
            return diff.to_integral_value(ROUND_CEILING)
        return diff
    return None


def excess(fi: FactInfo, actual: Any, limit: Decimal) -> Decimal | None:
    """How far above a maximum ``actual`` lies (in the fact's unit, % points for ratios)."""
    if not isinstance(actual, Decimal | int):
        return None
    diff = Decimal(actual) - limit
    return diff * 100 if fi.unit == "ratio" else diff


def _ceil(amount: Decimal) -> Decimal:
    return max(Decimal(0), amount.to_integral_value(ROUND_CEILING))


def resolve_gap(row: Any, f: Facts) -> Any:
    """The row with its gap amount filled in (failing rows built on the hot path have none)."""
    spec = row[0]
    if row[1] != "fail" or row[6] is not None or not spec.fact:
        return row
    if row[8] and any(row[8] == note for note, _unit in spec.note_units):
        return row  # judged on another figure (小巨人 x_rd's small band): no gap in spec.fact
    fi = info(spec.fact)
    if fi.mode == "none":
        return row
    actual, required = row[2], row[3]
    if not isinstance(required, Decimal | int) or not isinstance(actual, Decimal | int):
        return row
    if actual > required:
        gap = excess(fi, actual, Decimal(required))
    else:
        gap = shortfall(fi, f, actual, Decimal(required))
    return (*row[:6], gap, *row[7:])
