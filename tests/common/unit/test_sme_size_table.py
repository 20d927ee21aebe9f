"""SME by industry (工信部联企业〔2011〕300号 第四条; criteria.md §8 item 8): below the large
bound on either listed measure; large only when every bound is reached; unknown otherwise."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yumiao_common.contracts.sme_size import is_sme
from yumiao_common.contracts.sme_size import rule_for

WAN = 10_000


def figures(staff: int | None = None, revenue: int | None = None,
            assets: int | None = None) -> dict[str, int | Decimal | None]:
    return {"employees": staff, "operating_revenue": revenue, "total_assets": assets}


@pytest.mark.parametrize(("code", "at_bound", "below_bound"), [
    # (code, figures exactly at the large bound (not SME), one measure just below (SME))
    ("A0111", figures(revenue=20000 * WAN), figures(revenue=20000 * WAN - 1)),
    ("C3451", figures(1000, 40000 * WAN), figures(999, 40000 * WAN)),
    ("C3451", figures(1000, 40000 * WAN), figures(1000, 40000 * WAN - 1)),
    ("E4710", figures(revenue=80000 * WAN, assets=80000 * WAN),
     figures(revenue=80000 * WAN, assets=80000 * WAN - 1)),
    ("F5171", figures(200, 40000 * WAN), figures(199, 40000 * WAN)),
    ("F5211", figures(300, 20000 * WAN), figures(299, 20000 * WAN)),
    ("G5411", figures(1000, 30000 * WAN), figures(999, 30000 * WAN)),
    ("G5920", figures(200, 30000 * WAN), figures(199, 30000 * WAN)),
    ("G6010", figures(1000, 30000 * WAN), figures(1000, 30000 * WAN - 1)),
    ("H6110", figures(300, 10000 * WAN), figures(299, 10000 * WAN)),
    ("H6210", figures(300, 10000 * WAN), figures(300, 10000 * WAN - 1)),
    ("I6311", figures(2000, 100000 * WAN), figures(1999, 100000 * WAN)),
    ("I6421", figures(2000, 100000 * WAN), figures(2000, 100000 * WAN - 1)),
    ("I6511", figures(300, 10000 * WAN), figures(299, 10000 * WAN)),
    ("K7010", figures(revenue=200000 * WAN, assets=10000 * WAN),
     figures(revenue=200000 * WAN, assets=10000 * WAN - 1)),
    ("K7020", figures(1000, 5000 * WAN), figures(999, 5000 * WAN)),
    ("L7212", figures(300, assets=120000 * WAN), figures(300, assets=120000 * WAN - 1)),
    ("M7320", figures(300), figures(299)),
])  # fmt: skip
def test_sme_is_below_the_large_bound_on_either_measure(code, at_bound, below_bound) -> None:  # type: ignore[no-untyped-def]
    assert is_sme(code, at_bound) is False
    assert is_sme(code, below_bound) is True


def test_a_600_person_software_firm_with_300_million_revenue_is_not_an_sme() -> None:
    # 软件和信息技术服务业: 从业人员<300人 或 营业收入<1亿元; the industrial bounds would say SME
    assert is_sme("I6513", figures(600, 300_000_000)) is False
    assert is_sme("C3451", figures(600, 300_000_000)) is True


@pytest.mark.parametrize(("code", "given"), [
    (None, figures(10, 1)),  # no industry code
    ("K70", figures(10, 1, 1)),  # too coarse: development or property management?
    ("C3451", figures(1000, None)),  # staff at the bound, revenue unknown
    ("C3451", figures(None, None)),
    ("E4710", figures(revenue=90000 * WAN)),  # assets unknown
])
def test_sme_is_unknown_without_the_industry_or_the_deciding_measures(code, given) -> None:  # type: ignore[no-untyped-def]
    assert is_sme(code, given) is None


def test_one_known_measure_below_the_bound_decides_sme() -> None:
    assert is_sme("C3451", figures(50, None)) is True


def test_money_is_compared_exactly_in_yuan() -> None:
    assert is_sme("I6511", figures(300, Decimal("99999999.99"))) is True
    assert is_sme("I6511", figures(300, Decimal("100000000.00"))) is False


def test_the_condition_reads_in_words() -> None:
    rule = rule_for("I6511")
    assert rule is not None
    zh, en = rule.sme_text()
    assert zh == "从业人员<300人或营业收入<1亿元"
    assert en == "staff < 300 or revenue < ¥100,000,000"
