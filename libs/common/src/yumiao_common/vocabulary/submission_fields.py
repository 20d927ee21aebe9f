"""The fields of a firm's yearly report (企业自报, issue 15) in words, zh-CN and English.

A submission's content is addressed by field paths: ``financials.<figure>``, ``flags.<flag>``,
``<list>.<index>`` for a new item (``ip.0``, ``awards.1``, ``institutions.0``,
``standards.2``) and ``general`` for evidence about the whole report. The bureau's review
screen, the registry's differences and notify's review notices name a path with
``field_label``, so all three read alike and none keeps a second copy.
"""

from __future__ import annotations

from typing import Final

from yumiao_common.vocabulary.choices import FLAGS

#: The profile's yearly figures (profile.md ``financials``): words and the unit (zh, en).
FIGURES: Final[dict[str, tuple[str, str, tuple[str, str]]]] = {
    "employees": ("职工总数", "Employees", ("人", "people")),
    "science_staff": ("科技人员数", "Science staff", ("人", "people")),
    "rd_staff": ("研发人员数", "R&D staff", ("人", "people")),
    "operating_revenue": ("营业收入", "Operating revenue", ("元", "yuan")),
    "sales_revenue": ("销售收入", "Sales revenue", ("元", "yuan")),
    "main_business_revenue": ("主营业务收入", "Main business revenue", ("元", "yuan")),
    "total_income": ("收入总额", "Total income", ("元", "yuan")),
    "hightech_revenue": ("高新技术产品（服务）收入", "High-tech product revenue", ("元", "yuan")),
    "rd_expense": ("研发费用", "R&D expense", ("元", "yuan")),
    "rd_expense_domestic": ("境内研发费用", "Domestic R&D expense", ("元", "yuan")),
    "total_cost": ("成本费用总额", "Total costs", ("元", "yuan")),
    "total_assets": ("资产总额", "Total assets", ("元", "yuan")),
    "total_liabilities": ("负债总额", "Total liabilities", ("元", "yuan")),
    "fixed_assets": ("固定资产", "Fixed assets", ("元", "yuan")),
    "net_profit": ("净利润", "Net profit", ("元", "yuan")),
    "total_profit": ("利润总额", "Total profit", ("元", "yuan")),
    "interest_expense": ("利息支出", "Interest expense", ("元", "yuan")),
    "new_equity_financing": ("新增股权融资", "New equity financing", ("元", "yuan")),
    "tech_conversions": ("科技成果转化数", "Technology conversions", ("项", "items")),
    "agri_sales": ("农产品销售收入", "Agricultural sales", ("元", "yuan")),
    "farmer_households": ("带动农户数", "Farm households served", ("户", "households")),
    "farm_sourced_share_pct": ("农户直采原料占比", "Farm-sourced share", ("%", "%")),
    "market_turnover": ("市场交易额", "Market turnover", ("元", "yuan")),
}  # fmt: skip

#: The lists of new items a report may add, by the content key (zh, en of one item).
ITEM_LISTS: Final[dict[str, tuple[str, str]]] = {
    "ip": ("新增知识产权", "New intellectual property"),
    "awards": ("获奖", "Award"),
    "institutions": ("研发机构", "R&D institution"),
    "standards": ("主导制定标准", "Standard led"),
}  # fmt: skip

#: The kinds of evidence file a firm attaches (the registry's ``kind``), in words.
EVIDENCE_KINDS: Final[dict[str, tuple[str, str]]] = {
    "audit_report": ("审计报告", "Audit report"),
    "rd_account": ("研发费用辅助账", "R&D expense account"),
    "ip_certificate": ("知识产权证书", "IP certificate"),
    "tax_return": ("纳税申报表", "Tax return"),
    "other": ("其他", "Other"),
}  # fmt: skip

GENERAL: Final = ("整份自报", "The whole report")
SECTIONS: Final[dict[str, tuple[str, str]]] = {
    "financials": ("年度财务数据", "Yearly figures"), "flags": ("合规情况", "Compliance flags"),
    **ITEM_LISTS,
}  # fmt: skip


def field_label(path: str) -> tuple[str, str]:
    """``(zh, en)`` words for a content field path; an unknown path reads as itself.

    >>> field_label("financials.rd_expense")
    ('研发费用', 'R&D expense')
    >>> field_label("ip.0")
    ('新增知识产权 第 1 项', 'New intellectual property, item 1')
    """
    if path == "general":
        return GENERAL
    section, _, rest = path.partition(".")
    if section == "financials" and rest in FIGURES:
        zh, en, _unit = FIGURES[rest]
        return zh, en
    if section == "flags" and rest in FLAGS:
        return FLAGS[rest]
    if section in ITEM_LISTS and rest.isdigit() and len(rest) <= 4:
        zh, en = ITEM_LISTS[section]
        return f"{zh} 第 {int(rest) + 1} 项", f"{en}, item {int(rest) + 1}"
    if section in SECTIONS and not rest:
        return SECTIONS[section]
    return path, path


def field_unit(path: str) -> tuple[str, str] | None:
    """``(zh, en)`` unit of a yearly figure's path; None for anything else."""
    section, _, rest = path.partition(".")
    if section == "financials" and rest in FIGURES:
        return FIGURES[rest][2]
    return None
