"""Derived facts: every figure a rule reads, computed once per profile.

All eight tiers read the same handful of derived numbers (last fiscal year, three-year sums,
ratios, IP class counts, growth rates). Computing them once here, in one pass, keeps rule
closures to a comparison and is what makes evaluating every tier cheap. ``None`` always means
"not known" (a year or a figure is missing), never zero; rules turn it into ``unknown``.

Missing is not empty (profile.md; issue 8 item 6): a list the profile leaves out is unknown
(``None``), a list given as ``[]`` is "none". Pydantic records which fields a payload set
(``model_fields_set``), so the contract keeps its tuple defaults for every reader while the
facts built here tell the two apart (``product_fields``, ``quality_items``, the IP counts).

Periods (criteria.md §8.2): ``fy`` is 上年度, the fiscal year before ``as_of``'s year;
近两年 = (fy−1, fy); 近三个会计年度 = (fy−2, fy−1, fy), or the actual operating years when
the firm was established later (HNTE 第十一条(五), "按实际经营时间计算").
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel

from scoring.domain.growth import RATIO_DENOMINATORS
from scoring.domain.growth import ZERO
from scoring.domain.growth import ZERO_BASE
from scoring.domain.growth import ZERO_DENOMINATOR
from scoring.domain.growth import avg_growth
from scoring.domain.growth import cagr
from scoring.domain.growth import hnte_growth
from scoring.domain.growth import ratio
from scoring.domain.growth import simple_growth
from scoring.domain.holdings import LEVEL_RANK
from scoring.domain.holdings import NO_CERTS
from scoring.domain.holdings import UNKNOWN_TITLES
from scoring.domain.holdings import AwardBest
from scoring.domain.holdings import award_best
from scoring.domain.holdings import ip_counts
from scoring.domain.holdings import titles_on
from yumiao_common.contracts.profile import Financials
from yumiao_common.contracts.profile import Flags
from yumiao_common.contracts.profile import HnteExpert
from yumiao_common.contracts.profile import Profile
from yumiao_common.contracts.profile import Review
from yumiao_common.contracts.profile import ShandongFeatures
from yumiao_common.contracts.sme_size import is_sme
from yumiao_common.contracts.sme_size import rule_for

_TECH_SME_FLAGS = (
    "major_safety_incident",
    "major_quality_incident",
    "serious_environmental_violation",
    "research_misconduct",
    "abnormal_operations_list",
    "serious_dishonesty_list",
)
_HNTE_FLAGS = ("major_safety_incident", "major_quality_incident", "serious_environmental_violation")
_CREDIT_FLAGS = ("abnormal_operations_list", "serious_dishonesty_list")
_AGRI_FLAGS = ("wage_or_insurance_arrears", "tax_violation", "bad_bank_credit_2y")


#: The IP counts ``holdings.ip_counts`` derives; unknown when the profile leaves ``ip`` out.
_IP_FACTS = ("ip_class1", "ip_class1_self", "ip_class1_high", "ip_class2", "ip_hnte_class2",
             "ip_core", "ip_core_self", "ip_any_self", "ip_hnte_core", "ip_hnte_core_self",
             "ip_miit_class2")


def _clear(flags: object, names: tuple[str, ...]) -> bool | None:
    """True when every flag is known False; False when any is True; None otherwise."""
    unknown = False
    for name in names:
        value = getattr(flags, name)
        if value:
            return False
        unknown = unknown or value is None
    return None if unknown else True


def _sum(years: list[Financials | None], field: str) -> Decimal | None:
    total = ZERO
    for row in years:
        value = None if row is None else getattr(row, field)
        if value is None:
            return None
        total += value
    return total


_EMPTY = Financials(year=1949)  # stands in for a missing year: every figure unknown


class Facts:
    """Plain attributes (slots) so closures read them at C speed."""

    __slots__ = (
        "as_of", "fy", "age_days", "tax_audited", "industry_code", "in_hightech_field",
        "niche_years", "product_fields", "market_share", "rank_national", "rank_provincial",
        "tech_sme_clear", "hnte_clear", "credit_clear", "agri_clear", "flags", "sme",
        "sme_sector",
        "employees", "science_staff", "rd_staff", "sales", "op_rev", "main_rev", "total_cost",
        "total_assets", "total_liabilities", "fixed_assets", "net_profit", "rd", "rd_prev",
        "op_rev_prev", "agri_sales", "households", "sourced_share", "turnover", "roa",
        "staff_ratio", "rd_staff_ratio", "rd_sales_ratio", "rd_cost_ratio", "rd_op_ratio",
        "rd_op_ratio_prev", "main_share", "debt_ratio", "net_margin", "main_growth",
        "main_avg_growth", "op_cagr", "rd_2y_sum", "rd_2y_min", "rd_op_ratio_2y_min",
        "equity_2y", "equity_3y", "agri_share",
        "hnte_years", "hightech_rev", "total_income", "rd_3y", "sales_3y", "rd_3y_ratio",
        "domestic_share", "hightech_share",
        "conversions_avg", "na_growth", "na_growth_case", "sales_growth", "sales_growth_case",
        "ip_class1", "ip_class1_self", "ip_class1_high", "ip_class2", "ip_hnte_class2",
        "ip_core", "ip_core_self", "ip_any_self", "ip_hnte_core", "ip_hnte_core_self",
        "ip_miit_class2", "ip_open", "certs", "certs_open", "award_best", "rd_inst_best",
        "standard_years", "maker_china_best",
        "digital_level", "quality_items", "hnte_expert", "srdi_dev_score", "shandong",
        "srdi_dev_score_prev",
        "reviews", "undefined",
    )  # fmt: skip

    as_of: date
    fy: int
    age_days: int | None
    tax_audited: bool | None
    industry_code: str | None
    in_hightech_field: bool
    niche_years: int | None
    product_fields: frozenset[str] | None
    market_share: Decimal | None
    rank_national: int | None
    rank_provincial: int | None
    tech_sme_clear: bool | None
    hnte_clear: bool | None
    credit_clear: bool | None
    agri_clear: bool | None
    #: Every compliance flag by name (``tax_evasion`` inferred, see ``_flags``).
    flags: dict[str, bool | None]
    #: SME under 工信部联企业〔2011〕300号 (shared table) and the sector row that decided it.
    sme: bool | None
    sme_sector: str | None
    employees: int | None
    science_staff: int | None
    rd_staff: int | None
    sales: Decimal | None
    op_rev: Decimal | None
    main_rev: Decimal | None
    total_cost: Decimal | None
    total_assets: Decimal | None
    total_liabilities: Decimal | None
    fixed_assets: Decimal | None
    net_profit: Decimal | None
    rd: Decimal | None
    rd_prev: Decimal | None
    op_rev_prev: Decimal | None
    agri_sales: Decimal | None
    households: int | None
    sourced_share: Decimal | None
    turnover: Decimal | None
    roa: Decimal | None
    staff_ratio: Decimal | None
    rd_staff_ratio: Decimal | None
    rd_sales_ratio: Decimal | None
    rd_cost_ratio: Decimal | None
    rd_op_ratio: Decimal | None
    rd_op_ratio_prev: Decimal | None
    main_share: Decimal | None
    debt_ratio: Decimal | None
    net_margin: Decimal | None
    main_growth: Decimal | None
    main_avg_growth: Decimal | None
    op_cagr: Decimal | None
    rd_2y_sum: Decimal | None
    rd_2y_min: Decimal | None
    rd_op_ratio_2y_min: Decimal | None
    equity_2y: Decimal | None
    equity_3y: Decimal | None
    agri_share: Decimal | None
    hnte_years: int
    hightech_rev: Decimal | None
    total_income: Decimal | None
    rd_3y: Decimal | None
    sales_3y: Decimal | None
    rd_3y_ratio: Decimal | None
    domestic_share: Decimal | None
    hightech_share: Decimal | None
    conversions_avg: Decimal | None
    na_growth: Decimal | None
    na_growth_case: str
    sales_growth: Decimal | None
    sales_growth_case: str
    ip_class1: int | None
    ip_class1_self: int | None
    ip_class1_high: int | None
    ip_class2: int | None
    ip_hnte_class2: int | None
    ip_core: int | None
    ip_core_self: int | None
    ip_any_self: bool | None
    #: HNTE: Class I items plus Class II items not used in an earlier recognition (2.3.1a).
    ip_hnte_core: int | None
    ip_hnte_core_self: int | None
    #: MIIT Class II: software copyrights, utility/design patents maintained > 2 years.
    ip_miit_class2: int | None
    #: Upper bounds of the IP counts above where items of unknown grant or HNTE use may add
    #: to them (fact -> count if every such item counted); None when every item is known.
    ip_open: dict[str, int] | None
    certs: frozenset[str]
    #: Titles held on record whose validity on ``as_of`` cannot be told (see ``holdings``).
    certs_open: frozenset[str]
    #: Holdings lists (awards, institutions, standards, contests): None when left out.
    #: (level, year) -> (best recorded rank or None, whether an unranked award is there).
    award_best: AwardBest | None
    rd_inst_best: int | None
    standard_years: tuple[tuple[str, int], ...] | None
    maker_china_best: dict[int, int] | None
    digital_level: int | None
    quality_items: frozenset[str] | None
    hnte_expert: HnteExpert | None
    srdi_dev_score: Decimal | None
    srdi_dev_score_prev: Decimal | None
    shandong: ShandongFeatures | None
    #: Recorded review outcomes by criterion id (read only by ``review`` criteria).
    reviews: dict[str, Review] | None
    #: Facts without a value although their figures are known, with the reason
    #: (zero denominator, zero base): their criteria are ``review`` (see ``growth``).
    undefined: dict[str, str]

    def __init__(self, profile: Profile) -> None:
        self.as_of = profile.as_of
        self.fy = fy = profile.as_of.year - 1
        _enterprise(self, profile)
        by_year = {row.year: row for row in profile.financials}
        _last_year(self, by_year.get(fy), by_year.get(fy - 1), by_year.get(fy - 2))
        _sme(self, by_year.get(fy))
        _hnte_window(self, profile, by_year)
        counts = ip_counts(profile)
        for name, count in counts.known.items():
            setattr(self, name, count)
        self.ip_open, self.ip_any_self = counts.open, counts.any_self
        if "ip" not in profile.model_fields_set:  # IP left out: every count unknown, not 0
            for name in _IP_FACTS:
                setattr(self, name, None)
            self.ip_open = None
        _honours(self, profile)
        a = profile.assessments
        self.digital_level = a.digital_level
        self.quality_items = given(a, "quality_items")
        self.hnte_expert = a.hnte_expert
        self.srdi_dev_score = a.srdi_dev_score
        self.srdi_dev_score_prev = a.srdi_dev_score_prev
        self.shandong = a.shandong
        self.reviews = a.reviews or None
        _undefined_facts(self, profile)


def given(model: BaseModel, name: str) -> frozenset[str] | None:
    """A list field of the profile as a set, or None when the payload left it out."""
    if name not in model.model_fields_set:
        return None
    return frozenset(getattr(model, name))


def _enterprise(f: Facts, profile: Profile) -> None:
    e = profile.enterprise
    est = e.established_on
    f.age_days = None if est is None else (profile.as_of - est).days
    f.tax_audited = None if e.tax_method is None else e.tax_method == "audited"
    f.industry_code = e.industry_code
    f.in_hightech_field = e.hightech_field is not None  # null = none of the 8 fields
    f.niche_years = e.niche_market_years
    f.product_fields = given(e, "main_product_fields")
    f.market_share = None if e.market_share_pct is None else e.market_share_pct / 100
    f.rank_national = e.market_rank_national
    f.rank_provincial = e.market_rank_provincial
    f.tech_sme_clear = _clear(e.flags, _TECH_SME_FLAGS)
    f.hnte_clear = _clear(e.flags, _HNTE_FLAGS)
    f.credit_clear = _clear(e.flags, _CREDIT_FLAGS)
    f.agri_clear = _clear(e.flags, _AGRI_FLAGS)
    f.flags = _flags(e.flags)


def _flags(flags: Flags) -> dict[str, bool | None]:
    """The flags by name. ``tax_evasion`` (偷税漏税) left out is False when no tax violation at
    all is on record (``tax_violation`` False), else unknown: evasion is a tax violation."""
    out: dict[str, bool | None] = dict(flags.__dict__)  # the fields, no dump cost
    if out["tax_evasion"] is None and out["tax_violation"] is False:
        out["tax_evasion"] = False
    return out


def _sme(f: Facts, last: Financials | None) -> None:
    """SME under 300号 from the last fiscal year's staff, operating revenue and assets."""
    y = last or _EMPTY
    figures = {"employees": y.employees, "operating_revenue": y.operating_revenue,
               "total_assets": y.total_assets}  # fmt: skip
    f.sme = is_sme(f.industry_code, figures)
    rule = rule_for(f.industry_code)
    f.sme_sector = None if rule is None else rule.key


def _last_year(
    f: Facts, last: Financials | None, prev: Financials | None, prev2: Financials | None
) -> None:
    """上年度 figures and the ratios and growth rates built on them (MIIT, tech SME, agri).

    A missing year reads as ``_EMPTY`` (every figure None), so plain attribute access works.
    """
    y = last or _EMPTY
    p = prev or _EMPTY
    f.employees = y.employees
    f.science_staff = y.science_staff
    f.rd_staff = y.rd_staff
    f.sales = y.sales_revenue
    f.op_rev = op_rev = y.operating_revenue
    f.main_rev = y.main_business_revenue
    f.total_cost = y.total_cost
    f.total_assets = y.total_assets
    f.total_liabilities = y.total_liabilities
    f.fixed_assets = y.fixed_assets
    f.net_profit = y.net_profit
    f.rd = rd = y.rd_expense
    f.rd_prev = rd_prev = p.rd_expense
    f.op_rev_prev = p.operating_revenue
    f.agri_sales = y.agri_sales
    f.households = y.farmer_households
    share = y.farm_sourced_share_pct
    f.sourced_share = None if share is None else share / 100
    f.turnover = y.market_turnover
    f.staff_ratio = ratio(f.science_staff, f.employees)
    f.rd_staff_ratio = ratio(f.rd_staff, f.employees)
    f.rd_sales_ratio = ratio(rd, f.sales)
    f.rd_cost_ratio = ratio(rd, f.total_cost)
    f.rd_op_ratio = ratio(rd, op_rev)
    f.rd_op_ratio_prev = ratio(rd_prev, f.op_rev_prev)
    f.main_share = ratio(f.main_rev, op_rev)
    f.debt_ratio = ratio(f.total_liabilities, f.total_assets)
    f.net_margin = ratio(f.net_profit, op_rev)
    f.agri_share = ratio(f.agri_sales, f.sales)
    p2 = prev2 or _EMPTY
    f.main_growth = simple_growth(p.main_business_revenue, f.main_rev)
    f.main_avg_growth = avg_growth(p2.main_business_revenue, p.main_business_revenue, f.main_rev)
    f.op_cagr = cagr(p2.operating_revenue, op_rev)
    if rd is None or rd_prev is None:
        f.rd_2y_sum = f.rd_2y_min = None
    else:
        f.rd_2y_sum, f.rd_2y_min = rd + rd_prev, min(rd, rd_prev)
    r1, r2 = f.rd_op_ratio, f.rd_op_ratio_prev
    f.rd_op_ratio_2y_min = None if r1 is None or r2 is None else min(r1, r2)
    f.equity_2y = _sum([prev, last], "new_equity_financing")
    f.equity_3y = _sum([prev2, prev, last], "new_equity_financing")
    f.roa = _roa(y, p)


def _roa(last: Financials, prev: Financials) -> Decimal | None:
    """(利润总额 + 利息支出) ÷ 平均资产总额; the average falls back to year-end if no prior year."""
    profit, interest = last.total_profit, last.interest_expense
    end, start = last.total_assets, prev.total_assets
    if profit is None or interest is None or end is None:
        return None
    average = end if start is None else (end + start) / 2
    return ratio(profit + interest, average)


def _hnte_window(f: Facts, profile: Profile, by_year: dict[int, Financials]) -> None:
    """近三个会计年度 for HNTE, shortened to the operating years of a younger firm.

    One pass over the window; any missing year or figure leaves the sum unknown (None).
    """
    est = profile.enterprise.established_on
    first = f.fy - 2 if est is None else max(f.fy - 2, est.year)
    years = [by_year.get(y) or _EMPTY for y in range(first, f.fy + 1)]
    f.hnte_years = n = len(years)
    rd: Decimal | None = ZERO
    sales: Decimal | None = ZERO
    domestic: Decimal | None = ZERO
    conv: int | None = 0
    assets: list[Decimal | None] = []
    sales_list: list[Decimal | None] = []
    for y in years:
        r, s, d, c = y.rd_expense, y.sales_revenue, y.rd_expense_domestic, y.tech_conversions
        rd = None if rd is None or r is None else rd + r
        sales = None if sales is None or s is None else sales + s
        domestic = None if domestic is None or d is None else domestic + d
        conv = None if conv is None or c is None else conv + c
        ta, tl = y.total_assets, y.total_liabilities
        assets.append(None if ta is None or tl is None else ta - tl)
        sales_list.append(s)
    f.rd_3y, f.sales_3y = rd, sales
    f.rd_3y_ratio = ratio(rd, sales)
    # A share above 100 % means the figures contradict each other (domestic R&D above all R&D,
    # high-tech income above total income): unknown, never a criterion met by bad data.
    f.domestic_share = _at_most_whole(ratio(domestic, rd))
    last = years[-1] if years else _EMPTY
    f.hightech_rev = last.hightech_revenue
    f.total_income = last.total_income
    f.hightech_share = _at_most_whole(ratio(f.hightech_rev, f.total_income))
    f.conversions_avg = None if conv is None or not n else Decimal(conv) / n
    f.na_growth, f.na_growth_case = hnte_growth(assets)
    f.sales_growth, f.sales_growth_case = hnte_growth(sales_list)


def _at_most_whole(share: Decimal | None) -> Decimal | None:
    """A part's share of its whole, or None when the part exceeds the whole (inconsistent)."""
    return None if share is not None and share > 1 else share


def _honours(f: Facts, profile: Profile) -> None:
    """Titles held, awards, institutions, standards and contest ranks.

    Missing is not empty (profile.md; issue 8 item 6): a list the payload left out
    (``model_fields_set``) makes its facts None (unknown) — certifications left out put every
    title in ``certs_open`` as ``UNKNOWN_TITLES`` — while a list given as ``[]`` is "none".
    """
    given = profile.model_fields_set
    as_of = profile.as_of
    if "certifications" in given:
        f.certs, f.certs_open = titles_on(profile.certifications, as_of)
    else:
        f.certs, f.certs_open = NO_CERTS, UNKNOWN_TITLES
    f.award_best = award_best(profile.awards) if "awards" in given else None
    insts = profile.rd_institutions
    f.rd_inst_best = (
        max((LEVEL_RANK[r.level] for r in insts), default=0) if "rd_institutions" in given else None
    )
    f.standard_years = (
        tuple((s.level, s.year) for s in profile.standards_led)
        if "standards_led" in given
        else None
    )
    f.maker_china_best = (
        {c.year: c.national_rank for c in profile.competitions}
        if "competitions" in given
        else None
    )


_EMPTY = Financials(year=1949)


def _undefined_facts(f: Facts, profile: Profile) -> None:
    """Record in ``f.undefined`` every fact that has no value although its figures are known:
    ratios over a zero denominator and growth from a zero base (criteria.md §8; the official
    texts are silent on them, so the criteria reading them become ``review``)."""
    out: dict[str, str] = {}
    for fact, den in RATIO_DENOMINATORS.items():
        if getattr(f, fact) is None and getattr(f, den) == 0:
            out[fact] = ZERO_DENOMINATOR
    by_year = {row.year: row for row in profile.financials}
    fy = f.fy
    last, prev, prev2 = (by_year.get(y) or _EMPTY for y in (fy, fy - 1, fy - 2))
    if prev.operating_revenue == 0 and f.rd_op_ratio_prev is None:
        out["rd_op_ratio_prev"] = ZERO_DENOMINATOR
    if f.rd_op_ratio_2y_min is None and (
        "rd_op_ratio" in out or "rd_op_ratio_prev" in out
    ) and None not in (last.rd_expense, prev.rd_expense):
        out["rd_op_ratio_2y_min"] = ZERO_DENOMINATOR
    if f.roa is None and last.total_profit is not None and last.interest_expense is not None:
        start, end = prev.total_assets, last.total_assets
        if end == 0 and (start is None or start == 0):
            out["roa"] = ZERO_DENOMINATOR
    mains = (prev2.main_business_revenue, prev.main_business_revenue, last.main_business_revenue)
    if f.main_growth is None and mains[1] == 0 and mains[2] is not None:
        out["main_growth"] = ZERO_BASE
    if f.main_avg_growth is None and None not in mains and 0 in mains[:2]:
        out["main_avg_growth"] = ZERO_BASE
    if f.op_cagr is None and prev2.operating_revenue == 0 and last.operating_revenue is not None:
        out["op_cagr"] = ZERO_BASE
    f.undefined = out
