"""Monitoring against a plan's targets (plan item 129): what each indicator counts, and the maths
of completion. Pure code: the SQL that counts lives in ``adapters/sql/statistics.py``.

Each ``Measure`` is one counting rule, written out in words (zh-CN, English beside) so the
progress table (完成情况表) can print the rule next to the figure. A plan's indicator names a
measure; the bureau types the baseline and targets.

How a measure turns into a figure for year Y:

* ``stock``: held on the year's statistics date (31 December, Beijing date): a certificate
  counts when issued on or before that date and its expiry date is that date or later (the
  expiry date is the last valid day), or it has none. One enterprise counts once however many
  certificates it holds.
* ``flow``: events within the calendar year (Beijing time).
* ``cumulative``: the flows from the plan's first year up to Y, summed.
* ``growth``: this year's total over last year's, for the enterprises with both years known
  (like for like), in per cent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from decimal import ROUND_HALF_UP
from decimal import Decimal
from enum import StrEnum

from yumiao_common.clock import BEIJING


class Kind(StrEnum):
    STOCK = "stock"
    FLOW = "flow"
    CUMULATIVE = "cumulative"
    GROWTH = "growth"


@dataclass(frozen=True)
class Measure:
    """One counting rule: key, name, unit, how a year's figure is formed, the rule in words."""

    key: str
    name: str
    unit: str
    kind: Kind
    rule: str
    #: False when the registry records no dates for what is counted (the figure is the count
    #: at the moment it is computed; a frozen snapshot keeps it).
    dated: bool = True


MEASURES: dict[str, Measure] = {m.key: m for m in (
    Measure(
        "hnte_held", "高新技术企业数 / High-tech enterprises held", "家 / firms", Kind.STOCK,
        "统计日（当年12月31日）持有有效高新技术企业证书的企业数：发证日不晚于统计日，且有效期止日"
        "不早于统计日（止日当天仍有效）；同一企业多张证书只计1家 / Enterprises holding a "
        "high-tech certificate valid on the statistics date (31 December): issued on or before "
        "it and expiring on or after it (the expiry date is the last valid day); an enterprise "
        "with several certificates counts once."),
    Measure(
        "srdi_provincial_held", "省级以上专精特新企业数 / Provincial-or-above SRDI enterprises",
        "家 / firms", Kind.STOCK,
        "统计日持有有效的省级（含）以上专精特新中小企业证书或专精特新“小巨人”证书的企业数（未填"
        "级别的专精特新证书按省级计，市级不计）；同一企业只计1家 / Enterprises holding, on the "
        "statistics date, a valid provincial-or-above SRDI SME certificate (one without a level "
        "counts as provincial; municipal ones do not) or a little-giant certificate; each "
        "enterprise once."),
    Measure(
        "tech_sme_registered", "科技型中小企业数 / Tech-based SMEs registered", "家 / firms",
        Kind.STOCK,
        "统计日入库登记有效的科技型中小企业数（登记当年有效至12月31日）；同一企业只计1家 / "
        "Enterprises with a tech-based SME registration valid on the statistics date (valid "
        "to 31 December of its year); each enterprise once."),
    Measure(
        "agri_leader_new", "新增农业产业化龙头企业 / New agricultural leading enterprises",
        "家 / firms", Kind.CUMULATIVE,
        "计划期内首次获得任一级（区、市、省、国家）农业产业化龙头企业认定的企业数，按首张证书发证日"
        "所在年度计入，逐年累计；升级不重复计 / Enterprises first recognised as an agricultural "
        "leader at any level within the plan period, counted in the year of their first "
        "certificate and summed over the years; a promotion does not count again."),
    Measure(
        "reserve_admitted", "高企后备库当年入库数 / High-tech reserve admissions in the year",
        "家 / firms", Kind.FLOW,
        "当年（北京时间）在高企后备库中流转至“入库”阶段的企业数（同一企业一年内多次入库计1家）；"
        "提名不计 / Enterprises moved to the admitted stage of the high-tech reserve within the "
        "calendar year (Beijing time; several admissions of one enterprise in a year count "
        "once); nominations do not count."),
    Measure(
        "rd_growth", "研发费用增长率 / R&D expenditure growth", "%", Kind.GROWTH,
        "当年与上年均填报研发费用的企业，当年合计 ÷ 上年合计 - 1（同口径）/ For the "
        "enterprises that reported R&D expenditure for both this year and last: this year's "
        "total ÷ last year's total - 1 (like for like)."),
    Measure(
        "innovation_platforms", "市级以上创新平台数 / Innovation platforms (municipal or above)",
        "个 / platforms", Kind.STOCK,
        "登记的市级（含）以上研发机构（企业技术中心、工程实验室等）个数；登记库不记录认定日期，"
        "故为计算时点的数，冻结的年末快照保留当时数值 / Recognised R&D institutions of "
        "municipal level or above; the registry records no recognition date, so the figure is "
        "the count when computed and a frozen year-end snapshot keeps it.", dated=False),
)}


def statistics_date(year: int) -> date:
    """The statistics date of a year: 31 December."""
    return date(year, 12, 31)


def beijing_day_end(day: date) -> datetime:
    """The first UTC instant after ``day`` ends in Beijing (moves before it count as of day)."""
    return datetime(day.year, day.month, day.day, tzinfo=BEIJING).astimezone(UTC) + timedelta(
        days=1)


def beijing_year_bounds(year: int) -> tuple[datetime, datetime]:
    """[start, end) of a calendar year in Beijing time, as UTC instants."""
    start = datetime(year, 1, 1, tzinfo=BEIJING).astimezone(UTC)
    return start, datetime(year + 1, 1, 1, tzinfo=BEIJING).astimezone(UTC)


def growth_pct(current: int | None, previous: int | None) -> Decimal | None:
    """(current ÷ previous - 1) × 100, two places; None when either is unknown or previous 0."""
    if current is None or not previous:
        return None
    return ((Decimal(current) / Decimal(previous) - 1) * 100).quantize(
        Decimal("0.01"), ROUND_HALF_UP)


def completion_pct(actual: Decimal | None, target: Decimal | None) -> Decimal | None:
    """actual ÷ target × 100, two places; None without a target, an actual or with target 0.

    For a growth indicator this is the growth achieved against the growth targeted (15 %
    growth against a 15 % target is 100 %).
    """
    if actual is None or target is None or target == 0:
        return None
    return (actual / target * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)


def met(actual: Decimal | None, target: Decimal | None) -> bool | None:
    """Whether the target is reached; None when it cannot be told."""
    if actual is None or target is None:
        return None
    return actual >= target


def yuan(value: int | Decimal | None) -> str:
    """Money as people read it: ¥1,234,567 (— when unknown)."""
    return "—" if value is None else f"¥{int(value):,}"


def pct(value: Decimal | None) -> str:
    """A percentage as people read it: 12.50 % (— when unknown)."""
    return "—" if value is None else f"{value:,.2f} %"


def number(value: Decimal | int | None) -> str:
    """A count or figure: 1,234 (decimals kept to two places; — when unknown)."""
    if value is None:
        return "—"
    if isinstance(value, int) or value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def figure(value: Decimal | None, unit: str) -> str:
    """A figure with the measure's unit: percentages as 12.50 %, counts as 1,234."""
    return pct(value) if unit == "%" else number(value)
