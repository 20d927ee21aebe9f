"""Profile builders for the rule tests: one strong baseline firm, changed one figure at a time.

Fixtures: ``make({("fin", 2024, "rd_expense"): 799_999})`` returns a validated ``Profile``;
``crit(results, id)`` finds one criterion's result; ``delete`` removes a field.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from scoring.domain import CriterionResult
from scoring.domain import TierResult
from yumiao_common.contracts.profile import Profile


def _year(year: int, revenue: int, main: int, assets: int, liabilities: int) -> dict[str, Any]:
    return {
        "year": year, "employees": 100, "science_staff": 30, "rd_staff": 20,
        "operating_revenue": revenue, "sales_revenue": revenue, "main_business_revenue": main,
        "total_income": revenue, "hightech_revenue": revenue * 3 // 4,
        "rd_expense": revenue * 6 // 100, "rd_expense_domestic": revenue * 6 // 100,
        "total_cost": revenue * 3 // 4, "total_assets": assets, "total_liabilities": liabilities,
        "fixed_assets": assets * 3 // 10, "net_profit": revenue // 10,
        "total_profit": revenue * 12 // 100, "interest_expense": 200_000,
        "new_equity_financing": 0, "tech_conversions": 3, "agri_sales": 0,
        "farmer_households": 0, "farm_sourced_share_pct": None,
    }  # fmt: skip


BASE: dict[str, Any] = {
    "as_of": "2025-06-30",
    "enterprise": {
        "uscc": "91371502MA3DHUQR57", "name": "聊城测试轴承有限公司",
        "established_on": "2015-03-12", "division_code": "371502", "industry_code": "C3451",
        "hightech_field": "advanced_manufacturing", "tax_method": "audited",
        "niche_market_years": 6, "main_product_fields": ["six_foundations", "key_chain_gap"],
        "market_share_pct": "12", "market_rank_national": 3,
        "flags": {k: False for k in (
            "major_safety_incident", "major_quality_incident", "serious_environmental_violation",
            "research_misconduct", "abnormal_operations_list", "serious_dishonesty_list",
            "wage_or_insurance_arrears", "tax_violation", "bad_bank_credit_2y",
            "restricted_products")},
    },
    "financials": [
        _year(2024, 40_000_000, 36_000_000, 50_000_000, 20_000_000),
        _year(2023, 35_000_000, 32_000_000, 44_000_000, 18_000_000),
        _year(2022, 30_000_000, 29_000_000, 40_000_000, 17_000_000),
    ],
    "ip": [
        {"kind": "invention_patent", "number": "ZL1", "granted_on": "2022-05-01",
         "acquired_by": "self_developed", "related_to_main_product": True},
        *[{"kind": "utility_model", "number": f"ZL2{i}", "granted_on": "2021-05-01",
           "acquired_by": "self_developed", "related_to_main_product": True} for i in range(5)],
    ],
    # the holdings lists given as none ([]); a list left out would be unknown (profile.md)
    "awards": [], "rd_institutions": [], "standards_led": [], "certifications": [],
    "competitions": [],
    "assessments": {"digital_level": 2, "quality_items": ["iso9001", "own_brand"]},
}  # fmt: skip


def build(changes: dict[tuple[Any, ...], Any] | None = None, **top: Any) -> Profile:
    """The baseline with ``changes`` applied; ``("fin", year, field)`` addresses a year."""
    data = copy.deepcopy(BASE)
    data.update(top)
    for path, value in (changes or {}).items():
        target: Any = data
        keys = list(path)
        if keys[0] == "fin":
            target = next(y for y in data["financials"] if y["year"] == keys[1])
            keys = keys[2:]
        for key in keys[:-1]:
            target = target[key]
        if value is _DELETE:
            del target[keys[-1]]
        else:
            target[keys[-1]] = value
    return Profile.model_validate(data)


_DELETE = object()


def find(results: dict[str, TierResult] | TierResult, cid: str) -> CriterionResult:
    result = results if isinstance(results, TierResult) else results[cid.split(".")[0]]
    return next(c for c in result.criteria if c.id == cid)


@pytest.fixture
def make() -> Callable[..., Profile]:
    """Build a validated profile from the baseline and a change table."""
    return build


@pytest.fixture
def crit() -> Callable[..., CriterionResult]:
    """Find one criterion's result by id in ``evaluate()`` output."""
    return find


@pytest.fixture
def delete() -> object:
    """Sentinel for ``make``: remove the field (the figure becomes unknown)."""
    return _DELETE
