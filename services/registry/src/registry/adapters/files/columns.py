"""The import template's columns: one sheet, one row per enterprise × fiscal year (long form).

Enterprise columns repeat on every row of the same credit code (blank repeats are allowed);
the figure columns are profile.md's ``financials`` fields. The compliance flags (profile.md
``flags``, in the ``Flags`` contract's order, named as ``vocabulary.choices.FLAGS`` names them)
are optional enterprise columns after the figures: 是/否 from the bureau's credit checks, a
blank cell keeps what is on file. They come last so files laid out by position before them
(the benches' generators) still line up. Headers read ``中文 / English``; an uploaded file may
use the full header, either half, or the field key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from registry.models.enterprise import FLAG_FIELDS
from registry.models.financials import COUNT_FIELDS
from registry.models.financials import MONEY_FIELDS
from registry.models.financials import OTHER_COUNT_FIELDS
from registry.models.financials import SIGNED_MONEY_FIELDS
from yumiao_common.vocabulary.choices import FLAGS


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    key: str
    zh: str
    en: str
    kind: str  # uscc | text | date | town | industry | enum:<name> | fields | year | count …
    scope: str  # "enterprise" or "year"
    required: bool = False
    example: str = ""

    @property
    def header(self) -> str:
        return f"{self.zh} / {self.en}"


def _e(key: str, zh: str, en: str, kind: str, example: str, required: bool = False) -> ColumnSpec:
    return ColumnSpec(key, zh, en, kind, "enterprise", required, example)


def _y(key: str, zh: str, en: str, kind: str, example: str) -> ColumnSpec:
    return ColumnSpec(key, zh, en, kind, "year", False, example)


ENTERPRISE_COLUMNS: Final = (
    _e("uscc", "统一社会信用代码", "USCC", "uscc", "91371502MA3DHUQR57", True),
    _e("name", "企业名称", "Name", "text", "聊城某某轴承有限公司", True),
    _e("established_on", "成立日期", "Established on", "date", "2014-03-12"),
    _e("town_code", "所属镇街代码", "Town code", "town", "371502010"),
    _e("industry_code", "国民经济行业代码", "Industry code (GB/T 4754)", "industry", "C3451"),
    _e("hightech_field", "高新技术领域", "High-tech field", "enum:hightech_field",
       "先进制造与自动化"),
    _e("tax_method", "企业所得税征收方式", "Tax method", "enum:tax_method", "查账征收"),
    _e("niche_market_years", "从事细分市场年限", "Years in niche market", "count", "6"),
    _e("main_product_fields", "主导产品所属领域", "Main product fields", "fields",
       "工业“六基”;战略性新兴产业"),
)
YEAR_COLUMN: Final = ColumnSpec(
    "year", "会计年度", "Fiscal year", "year", "year", True, "2025"
)

_FIGURE_LABELS: Final = {
    "employees": ("职工总数", "Employees", "120"),
    "science_staff": ("科技人员数", "Science staff", "30"),
    "rd_staff": ("研发人员数", "R&D staff", "20"),
    "operating_revenue": ("营业收入（元）", "Operating revenue (yuan)", "48000000"),
    "sales_revenue": ("销售收入（元）", "Sales revenue (yuan)", "47000000"),
    "main_business_revenue": ("主营业务收入（元）", "Main business revenue (yuan)", "45000000"),
    "total_income": ("总收入（元）", "Total income (yuan)", "48500000"),
    "hightech_revenue": ("高新技术产品（服务）收入（元）", "High-tech revenue (yuan)",
                         "35000000"),
    "rd_expense": ("研发费用（元）", "R&D expense (yuan)", "2600000"),
    "rd_expense_domestic": ("境内研发费用（元）", "Domestic R&D expense (yuan)", "2600000"),
    "total_cost": ("成本费用支出总额（元）", "Total cost and expense (yuan)", "40000000"),
    "total_assets": ("资产总额（元）", "Total assets (yuan)", "60000000"),
    "total_liabilities": ("负债总额（元）", "Total liabilities (yuan)", "30000000"),
    "fixed_assets": ("固定资产（元）", "Fixed assets (yuan)", "20000000"),
    "net_profit": ("净利润（元）", "Net profit (yuan)", "4000000"),
    "total_profit": ("利润总额（元）", "Total profit (yuan)", "4700000"),
    "interest_expense": ("利息支出（元）", "Interest expense (yuan)", "300000"),
    "new_equity_financing": ("新增股权融资（元）", "New equity financing (yuan)", "0"),
    "tech_conversions": ("科技成果转化数", "Technology conversions", "3"),
    "agri_sales": ("农产品销售收入（元）", "Agricultural sales (yuan)", "0"),
    "farmer_households": ("带动农户数", "Farmer households", "0"),
    "farm_sourced_share_pct": ("农户直采原料占比（%）", "Farm-sourced share (%)", ""),
    "market_turnover": ("市场交易额（元）", "Market turnover (yuan)", ""),
}


def _figure_kind(key: str) -> str:
    if key in COUNT_FIELDS or key in OTHER_COUNT_FIELDS:
        return "count"
    if key in MONEY_FIELDS:
        return "money"
    if key in SIGNED_MONEY_FIELDS:
        return "signed_money"
    return "percent"


FIGURE_COLUMNS: Final = tuple(
    _y(key, zh, en, _figure_kind(key), example)
    for key, (zh, en, example) in _FIGURE_LABELS.items()
)
#: 是 = the firm has the incident or listing; the example is the usual answer, 否 (none).
FLAG_COLUMNS: Final = tuple(_e(key, *FLAGS[key], "flag", "否") for key in FLAG_FIELDS)
COLUMNS: Final = ENTERPRISE_COLUMNS + (YEAR_COLUMN,) + FIGURE_COLUMNS + FLAG_COLUMNS
BY_KEY: Final = {c.key: c for c in COLUMNS}
ENTERPRISE_KEYS: Final = tuple(c.key for c in ENTERPRISE_COLUMNS)
FIGURE_KEYS: Final = tuple(c.key for c in FIGURE_COLUMNS)
FLAG_KEYS: Final = tuple(c.key for c in FLAG_COLUMNS)
#: every column an enterprise has once, whatever its fiscal year (the row's enterprise part)
ENTERPRISE_SCOPE_KEYS: Final = ENTERPRISE_KEYS + FLAG_KEYS

_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub("", text).replace("／", "/").casefold()


#: every accepted spelling of every header → key
_ALIASES: Final = {
    alias: c.key
    for c in COLUMNS
    for alias in (_norm(c.header), _norm(c.zh), _norm(c.en), _norm(c.key))
}


def key_of_header(header: object) -> str | None:
    """The field key an uploaded header names, or None when it names none of ours."""
    if header is None:
        return None
    return _ALIASES.get(_norm(str(header)))
assert ENTERPRISE_KEYS[-1] == "main_product_fields"  # the writer relies on this order
