"""Size classes per the 2017 statistical standard: every bound must be met, micro needs one."""

from __future__ import annotations

import pytest

from registry.domain.size_class import SizeClass
from registry.domain.size_class import classify

WAN = 10_000  # yuan per 万元

CASES = [
    # industry: employees and revenue must both reach a class's lower bounds
    ("C3451", 1000, 40000 * WAN, None, SizeClass.LARGE),
    ("C3451", 1000, 39999 * WAN, None, SizeClass.MEDIUM),
    ("C3451", 999, 40000 * WAN, None, SizeClass.MEDIUM),
    ("C3451", 300, 2000 * WAN, None, SizeClass.MEDIUM),
    ("C3451", 120, 4800 * WAN, None, SizeClass.SMALL),
    ("C3451", 20, 300 * WAN, None, SizeClass.SMALL),
    ("C3451", 19, 30000 * WAN, None, SizeClass.MICRO),
    ("C3451", 500, 299 * WAN, None, SizeClass.MICRO),
    ("B0610", 1500, 50000 * WAN, None, SizeClass.LARGE),
    ("D4411", 10, 100 * WAN, None, SizeClass.MICRO),
    # agriculture: revenue only
    ("A0111", 5, 20000 * WAN, None, SizeClass.LARGE),
    ("A0111", 5000, 49 * WAN, None, SizeClass.MICRO),
    ("A0111", None, 500 * WAN, None, SizeClass.MEDIUM),
    # construction: revenue and assets
    ("E4710", 10, 6000 * WAN, 5000 * WAN, SizeClass.MEDIUM),
    ("E4710", 10, 6000 * WAN, 4999 * WAN, SizeClass.SMALL),
    # wholesale / retail / software / leasing / other
    ("F5171", 20, 5000 * WAN, None, SizeClass.MEDIUM),
    ("F5211", 50, 500 * WAN, None, SizeClass.MEDIUM),
    ("I6511", 100, 1000 * WAN, None, SizeClass.MEDIUM),
    ("I6311", 2000, 100000 * WAN, None, SizeClass.LARGE),
    ("L7212", 100, None, 8000 * WAN, SizeClass.MEDIUM),
    ("M7320", 300, None, None, SizeClass.LARGE),
    ("M7320", 9, None, None, SizeClass.MICRO),
]


@pytest.mark.parametrize(("industry", "employees", "revenue", "assets", "expected"), CASES)
def test_size_class(industry: str, employees: int | None, revenue: int | None,
                    assets: int | None, expected: SizeClass) -> None:
    figures = {"employees": employees, "operating_revenue": revenue, "total_assets": assets}
    assert classify(industry, figures) is expected


@pytest.mark.parametrize(("industry", "figures"), [
    (None, {"employees": 10, "operating_revenue": 1}),
    ("C3451", {"employees": 10, "operating_revenue": None}),
    ("C3451", {"employees": None, "operating_revenue": 10}),
    ("E4710", {"operating_revenue": 10, "total_assets": None}),
])
def test_unknown_input_gives_unknown_size(industry: str | None,
                                          figures: dict[str, int | None]) -> None:
    assert classify(industry, figures) is None


@pytest.mark.parametrize(("industry", "employees", "revenue", "assets", "expected"), [
    # sectors the registry lacked before the shared table (300号 第四条)
    ("G5411", 1000, 30000 * WAN, None, SizeClass.LARGE),  # road transport
    ("G5920", 200, 30000 * WAN, None, SizeClass.LARGE),  # warehousing
    ("G6010", 999, 30000 * WAN, None, SizeClass.MEDIUM),  # postal
    ("H6110", 300, 10000 * WAN, None, SizeClass.LARGE),  # accommodation
    ("H6210", 299, 10000 * WAN, None, SizeClass.MEDIUM),  # catering
    ("K7010", None, 200000 * WAN, 10000 * WAN, SizeClass.LARGE),  # real-estate development
    ("K7020", 1000, 5000 * WAN, None, SizeClass.LARGE),  # property management
    ("K7030", 300, None, None, SizeClass.LARGE),  # other real estate: staff only
])
def test_size_class_of_every_sector(industry: str, employees: int | None, revenue: int | None,
                                    assets: int | None, expected: SizeClass) -> None:
    figures = {"employees": employees, "operating_revenue": revenue, "total_assets": assets}
    assert classify(industry, figures) is expected


def test_registry_reads_the_one_shared_table() -> None:
    from yumiao_common.contracts import sme_size

    assert classify is sme_size.classify and SizeClass is sme_size.SizeClass


def test_a_code_too_coarse_for_the_table_gives_unknown_size() -> None:
    # K70 is split into development (K701) and property management (K702)
    assert classify("K70", {"employees": 5000, "operating_revenue": 10**12,
                            "total_assets": 10**12}) is None
