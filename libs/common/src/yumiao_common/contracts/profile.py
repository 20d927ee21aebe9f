"""The enterprise profile: the one input vocabulary of registry, events, scoring and what-if.

Shape and field names follow ``shared/reference/profile.md`` exactly; fields were only added,
never renamed. Every model is frozen and ``extra="forbid"`` so a misspelt field is an error
naming it rather than a silently ignored figure. Absent values are ``None`` (unknown), never
zero: the scoring engine turns them into ``unknown`` criteria.

Validation is deliberately cheap (it is the baseline of the scoring benchmark): constraints
are declarative (pydantic-core, in Rust) and the few cross-field checks read already
validated values. Money is ``Decimal`` (ints and decimal strings accepted), counts are ints.

Lists (``ip``, ``awards``, ``main_product_fields``, ``quality_items`` …) keep ``()`` as their
default so every reader can iterate them, but a list the payload leaves out is *unknown* and
one given as ``[]`` is "none" (profile.md): tell them apart with ``model_fields_set`` (scoring's
facts do). Producers that know a list is empty must send ``[]``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated
from typing import Any
from typing import Literal
from typing import get_args

from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import Field
from pydantic import ValidationInfo
from pydantic import field_validator

from yumiao_common.clock import beijing_today
from yumiao_common.identifiers import DIVISION_PATTERN
from yumiao_common.identifiers import INDUSTRY_PATTERN
from yumiao_common.identifiers import uscc_problems

TierKey = Literal[
    "tech_sme",
    "innovative_sme",
    "srdi_sme",
    "little_giant",
    "hnte",
    "agri_leader_national",
    "agri_leader_provincial",
    "agri_leader_municipal",
]
TIER_KEYS: tuple[TierKey, ...] = get_args(TierKey)

# Titles that are not tiers of this registry but open direct-qualification routes.
HonourKey = Literal[
    "tech_innovation_demo_national",  # 国家级技术创新示范企业
    "ip_advantage",  # 知识产权优势企业
    "ip_demonstration",  # 知识产权示范企业
    "single_champion",  # 制造业单项冠军
]
HightechField = Literal[
    "electronic_information",
    "biomedicine",
    "aerospace",
    "new_materials",
    "hightech_services",
    "new_energy",
    "resources_environment",
    "advanced_manufacturing",
]
ProductField = Literal[
    "key_chain_gap",
    "six_foundations",
    "strategic_emerging",
    "manufacturing_power_key",
    "network_power",
    "time_honoured_brand",
]
IpKind = Literal[
    "invention_patent",
    "defense_patent",
    "plant_variety",
    "national_crop_variety",
    "national_new_drug",
    "tcm_protected_grade1",
    "ic_layout",
    "utility_model",
    "design_patent",
    "software_copyright",
]
CLASS_I_KINDS: frozenset[str] = frozenset(get_args(IpKind)[:7])
Level = Literal["national", "provincial", "municipal", "below"]
StandardLevel = Literal["international", "national", "industry", "local", "group"]
QualityItem = Literal[
    "provincial_quality_award", "iso9001", "own_brand", "standards", "foreign_product_cert"
]
Grade = Literal["A", "B", "C", "D", "E"]

#: Bounds of every number (issue 9 item 1; the registry's ``MAX_MONEY`` is the model): a
#: quadrillion yuan, ten million people or items, four decimal places. Decimals refuse NaN and
#: Infinity, and a bounded value with at most four decimals cannot carry an absurd exponent
#: ("1E+999999", "1E-999999"), so no evaluation can stall on one.
MAX_MONEY = 10**15
MAX_COUNT = 10**7
MAX_YEARS = 200
PLACES = 4


def _decimal(low: int, high: int) -> Any:
    return Field(ge=low, le=high, decimal_places=PLACES, allow_inf_nan=False)


Money = Annotated[Decimal, _decimal(0, MAX_MONEY)]  # cannot be negative (revenue, R&D…)
SignedMoney = Annotated[Decimal, _decimal(-MAX_MONEY, MAX_MONEY)]  # profits may be negative
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
Rank = Annotated[int, Field(ge=1, le=MAX_COUNT)]
Years = Annotated[int, Field(ge=0, le=MAX_YEARS)]
Percent = Annotated[Decimal, _decimal(0, 100)]
Year = Annotated[int, Field(ge=1949, le=2100)]
#: A row id of a service's table (the database's INTEGER).
RowId = Annotated[int, Field(ge=1, le=2**31 - 1)]

_STRICT = ConfigDict(frozen=True, extra="forbid")


class Flags(BaseModel):
    """Compliance flags from credit data; ``None`` means not known (the gate is unknown).

    Each flag is read over the window the tier's rule names (HNTE: the year before the
    application; MIIT tiers: the last three years, 63号 第五条). ``major_safety_incident``
    covers network- and data-security incidents too (63号: 重大安全（含网络安全、数据安全）事故).
    ``tax_evasion`` (偷税漏税, MIIT) is narrower than ``tax_violation`` (涉税违法, agricultural
    leaders): left out, it reads as False when ``tax_violation`` is False, else unknown.
    ``restricted_products`` (MIIT, 63号 第五条): the firm's products are of a prohibited,
    restricted or obsolete category (国家禁止、限制或淘汰类, e.g. 《产业结构调整指导目录》
    限制类/淘汰类); a fact a curator can look up, so a flag rather than a review item.
    """

    model_config = _STRICT
    major_safety_incident: bool | None = None
    major_quality_incident: bool | None = None
    serious_environmental_violation: bool | None = None
    research_misconduct: bool | None = None
    abnormal_operations_list: bool | None = None
    serious_dishonesty_list: bool | None = None
    # added: agricultural-leader conditions (农经发〔2018〕1号 N5/N6)
    wage_or_insurance_arrears: bool | None = None
    tax_violation: bool | None = None
    bad_bank_credit_2y: bool | None = None
    # added: MIIT general conditions (63号 第五条)
    tax_evasion: bool | None = None
    restricted_products: bool | None = None


class Enterprise(BaseModel):
    model_config = _STRICT
    uscc: str
    name: str = Field(min_length=1, max_length=200)
    established_on: date | None = None
    division_code: Annotated[str, Field(pattern=DIVISION_PATTERN)] | None = None
    industry_code: Annotated[str, Field(pattern=INDUSTRY_PATTERN)] | None = None
    hightech_field: HightechField | None = None
    tax_method: Literal["audited", "deemed"] | None = None
    niche_market_years: Years | None = None
    main_product_fields: tuple[ProductField, ...] = ()
    market_share_pct: Percent | None = None
    market_rank_national: Rank | None = None
    market_rank_provincial: Rank | None = None  # added: Shandong item 11
    flags: Flags = Flags()

    @field_validator("uscc")
    @classmethod
    def _valid_uscc(cls, value: str) -> str:
        problems = uscc_problems(value)
        if problems:
            zh = "；".join(p[0] for p in problems)
            en = "; ".join(p[1] for p in problems)
            raise ValueError(f"统一社会信用代码无效：{zh} / invalid credit code: {en}")
        return value


class Financials(BaseModel):
    """One fiscal year. ``employees`` comes first so the staff checks can read it."""

    model_config = _STRICT
    year: Year
    employees: Count | None = None
    science_staff: Count | None = None
    rd_staff: Count | None = None
    operating_revenue: Money | None = None
    sales_revenue: Money | None = None
    main_business_revenue: Money | None = None
    total_income: Money | None = None
    hightech_revenue: Money | None = None
    rd_expense: Money | None = None
    rd_expense_domestic: Money | None = None
    total_cost: Money | None = None
    total_assets: Money | None = None
    total_liabilities: Money | None = None
    fixed_assets: Money | None = None
    net_profit: SignedMoney | None = None
    total_profit: SignedMoney | None = None
    interest_expense: Money | None = None
    new_equity_financing: Money | None = None
    tech_conversions: Count | None = None
    agri_sales: Money | None = None
    farmer_households: Count | None = None
    farm_sourced_share_pct: Percent | None = None
    market_turnover: Money | None = None  # added: wholesale-market turnover (N4)

    @field_validator("science_staff", "rd_staff")
    @classmethod
    def _not_above_employees(cls, value: int | None, info: ValidationInfo) -> int | None:
        employees = info.data.get("employees")
        if value is not None and employees is not None and value > employees:
            raise ValueError(
                f"不能超过职工总数 {employees} / must not exceed employees ({employees})"
            )
        return value


class IpItem(BaseModel):
    model_config = _STRICT
    kind: IpKind
    number: str = Field(min_length=1, max_length=64)
    #: None = the grant is not known: a criterion needing granted IP never counts it as granted.
    granted_on: date | None = Field(default=None, description=(
        "授权日期；不填 = 未知，不按已授权计 / grant date; left out = not known, never "
        "counted as granted"))
    acquired_by: Literal["self_developed", "transferred", "donated", "acquired", "other"]
    related_to_main_product: bool
    high_value: bool = False
    in_force: bool = True
    #: Whether a Class II item was already used in an HNTE recognition (criteria.md §2.3.1a);
    #: None (or left out) = not known, which never counts the item as unused.
    used_in_hnte: bool | None = Field(default=None, description=(
        "Ⅱ类知识产权是否已用于以往高企认定；不填 = 未知，不按未使用计 / whether a Class II "
        "item was already used in an HNTE recognition; left out = not known, never counted "
        "as unused"))
    in_dispute: bool = False  # added: tech SME counts only IP free of dispute


class Award(BaseModel):
    model_config = _STRICT
    level: Level
    year: Year
    rank: Rank | None = None


class RdInstitution(BaseModel):
    model_config = _STRICT
    level: Level
    name: str = Field(min_length=1, max_length=200)


class StandardLed(BaseModel):
    model_config = _STRICT
    level: StandardLevel
    year: Year


class Certification(BaseModel):
    model_config = _STRICT
    tier: TierKey | HonourKey
    issued_on: date
    expires_on: date | None = None
    number: str | None = None


class Competition(BaseModel):
    """Added: 创客中国 results, a direct route of 专精特新 (500强) and 小巨人 (50强)."""

    model_config = _STRICT
    name: Literal["maker_china"]
    year: Year
    national_rank: Rank


class HnteExpert(BaseModel):
    """Expert-graded HNTE items; any item left out is scored as the range it could take."""

    model_config = _STRICT
    tech_advancement: Grade | None = None
    core_support: Grade | None = None
    rd_management_points: Annotated[Decimal, _decimal(0, 20)] | None = None
    standards_bonus: Annotated[Decimal, _decimal(0, 2)] | None = None
    ip_quantity_points: Annotated[Decimal, _decimal(0, 8)] | None = None  # added
    acquisition_points: Annotated[Decimal, _decimal(0, 6)] | None = None  # added
    conversion_points: Annotated[Decimal, _decimal(0, 30)] | None = None  # added
    growth_points: Annotated[Decimal, _decimal(0, 20)] | None = None  # added


class ShandongFeatures(BaseModel):
    """Added: Shandong 特色化 items 9–12 of the provincial 专精特新 score (S31)."""

    model_config = _STRICT
    key_industry: Literal["A", "B", "C", "D"] | None = None
    innovative_operations: tuple[Literal["A", "B", "C", "D", "E", "F"], ...] = ()
    listing: Literal["A", "B", "C"] | None = None


#: The shape of a criterion id (``<tier>.<item>``, e.g. ``little_giant.c5_reputation``).
CRITERION_ID_PATTERN = r"^[a-z_]+\.[a-z0-9_]+$"
CriterionId = Annotated[str, Field(pattern=CRITERION_ID_PATTERN, max_length=100)]


class ReviewEvidence(BaseModel):
    """Added (issue 15 item 4): the evidence file a reviewer cited when settling a criterion,
    one of the firm's own yearly-report files (the registry checks it is the firm's)."""

    model_config = _STRICT
    id: RowId
    submission_id: RowId
    filename: Annotated[str, Field(min_length=1, max_length=200)]
    kind: Annotated[str, Field(min_length=1, max_length=20)]


class Review(BaseModel):
    """Added: the recorded outcome of an expert's or the bureau's review of one criterion.

    Only criteria the engine cannot compute (status ``review``) take it; an outcome recorded
    for a computable criterion is ignored — figures are never overridden by hand.
    ``evidence`` (optional, added within the contract) names the file the reviewer cited.
    """

    model_config = _STRICT
    outcome: Literal["pass", "fail"]
    reviewed_on: date
    by: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    note: Annotated[str, Field(max_length=2000)] | None = None
    evidence: ReviewEvidence | None = None


class Assessments(BaseModel):
    model_config = _STRICT
    digital_level: Annotated[int, Field(ge=0, le=4)] | None = None
    quality_items: tuple[QualityItem, ...] = ()
    hnte_expert: HnteExpert | None = None
    srdi_dev_score: Annotated[Decimal, _decimal(0, 100)] | None = None  # added: platform
    #: Added: the previous year's platform score; a firm under re-review (复核) passes the
    #: 2026 score condition with either year's score (〔2026〕2号 附件1 条件6, 附件2 条件7).
    srdi_dev_score_prev: Annotated[Decimal, _decimal(0, 100)] | None = None
    shandong: ShandongFeatures | None = None  # added
    #: Added: review outcomes by criterion id (see ``Review``); None when none is recorded.
    reviews: dict[CriterionId, Review] | None = None


class Profile(BaseModel):
    model_config = _STRICT
    as_of: date = Field(default_factory=beijing_today)
    enterprise: Enterprise
    financials: tuple[Financials, ...] = ()
    ip: tuple[IpItem, ...] = ()
    awards: tuple[Award, ...] = ()
    rd_institutions: tuple[RdInstitution, ...] = ()
    standards_led: tuple[StandardLed, ...] = ()
    certifications: tuple[Certification, ...] = ()
    competitions: tuple[Competition, ...] = ()  # added
    assessments: Assessments = Assessments()

    @field_validator("financials")
    @classmethod
    def _years_unique_and_past(
        cls, value: tuple[Financials, ...], info: ValidationInfo
    ) -> tuple[Financials, ...]:
        as_of = info.data.get("as_of")
        seen: set[int] = set()
        for item in value:
            if item.year in seen:
                raise ValueError(f"会计年度 {item.year} 重复 / duplicate fiscal year {item.year}")
            if as_of is not None and item.year > as_of.year:
                raise ValueError(
                    f"会计年度 {item.year} 晚于评价日期 / fiscal year {item.year} is after as_of"
                )
            seen.add(item.year)
        return value
