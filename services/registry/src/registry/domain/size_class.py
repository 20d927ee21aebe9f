"""Enterprise size per 《统计上大中小微型企业划分办法（2017）》 (domain-data.md §5).

For each sector the table gives lower bounds for large / medium / small on one or two
measures. Large, medium and small must meet *every* listed lower bound, otherwise the firm
drops a class; micro needs only one measure below the small bound. That is
``min(class(X), class(Y))`` over the listed measures. Thresholds are in 万元 (10k yuan) as the
standard writes them; inputs are yuan. Unknown inputs give ``None``, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class SizeClass(IntEnum):
    MICRO = 0
    SMALL = 1
    MEDIUM = 2
    LARGE = 3

    @property
    def key(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Measure:
    """One measure's lower bounds (large, medium, small); employees in persons, money in 万元."""

    field: str
    bounds: tuple[int, int, int]


@dataclass(frozen=True)
class Rule:
    measures: tuple[Measure, ...]


def _emp(large: int, medium: int, small: int) -> Measure:
    return Measure("employees", (large, medium, small))


def _rev(large: int, medium: int, small: int) -> Measure:
    return Measure("operating_revenue", (large, medium, small))


def _assets(large: int, medium: int, small: int) -> Measure:
    return Measure("total_assets", (large, medium, small))


INDUSTRY = Rule((_emp(1000, 300, 20), _rev(40000, 2000, 300)))
AGRICULTURE = Rule((_rev(20000, 500, 50),))
CONSTRUCTION = Rule((_rev(80000, 6000, 300), _assets(80000, 5000, 300)))
WHOLESALE = Rule((_emp(200, 20, 5), _rev(40000, 5000, 1000)))
RETAIL = Rule((_emp(300, 50, 10), _rev(20000, 500, 100)))
TELECOM = Rule((_emp(2000, 100, 10), _rev(100000, 1000, 100)))
SOFTWARE = Rule((_emp(300, 100, 10), _rev(10000, 1000, 50)))
LEASING = Rule((_emp(300, 100, 10), _assets(120000, 8000, 100)))
OTHER = Rule((_emp(300, 100, 10),))


def rule_for(industry_code: str) -> Rule:
    """The size rule of a GB/T 4754 code such as ``C3451`` (section letter + digits)."""
    section, division = industry_code[0], industry_code[1:3]
    by_division = {"51": WHOLESALE, "52": RETAIL, "63": TELECOM, "64": TELECOM, "65": SOFTWARE}
    if division in by_division:
        return by_division[division]
    by_section = {"A": AGRICULTURE, "B": INDUSTRY, "C": INDUSTRY, "D": INDUSTRY,
                  "E": CONSTRUCTION, "L": LEASING}
    return by_section.get(section, OTHER)


def _class_of(value: int, bounds: tuple[int, int, int]) -> SizeClass:
    large, medium, small = bounds
    if value >= large:
        return SizeClass.LARGE
    if value >= medium:
        return SizeClass.MEDIUM
    if value >= small:
        return SizeClass.SMALL
    return SizeClass.MICRO


def classify(
    industry_code: str | None, figures: dict[str, int | None]
) -> SizeClass | None:
    """Size class from ``employees`` (persons), ``operating_revenue`` and ``total_assets`` (yuan).

    Returns None when the industry or any measure the rule needs is unknown.
    """
    if not industry_code:
        return None
    classes: list[SizeClass] = []
    for measure in rule_for(industry_code).measures:
        raw = figures.get(measure.field)
        if raw is None:
            return None
        value = raw if measure.field == "employees" else raw // 10_000
        classes.append(_class_of(value, measure.bounds))
    return min(classes)
