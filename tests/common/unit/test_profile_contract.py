"""The Profile contract: the profile.md example shape parses; bad inputs name their field."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from tests.contracts.golden import example_profile
from yumiao_common.contracts.profile import TIER_KEYS
from yumiao_common.contracts.profile import Profile


def example() -> dict[str, Any]:
    """profile.md's example: the golden ``tests/contracts/profile.example.json``."""
    return example_profile()


def test_example_of_profile_md_parses_with_exact_money() -> None:
    profile = Profile.model_validate(example())
    assert profile.financials[0].rd_expense == Decimal("2600000")
    assert profile.enterprise.market_share_pct == Decimal("12.5")
    assert len(TIER_KEYS) == 8


def test_profile_is_frozen() -> None:
    profile = Profile.model_validate(example())
    with pytest.raises(ValidationError):
        profile.as_of = profile.as_of  # type: ignore[misc]


def test_negative_profit_is_allowed() -> None:
    data = example()
    data["financials"][0]["net_profit"] = -1200000
    assert Profile.model_validate(data).financials[0].net_profit == Decimal(-1200000)


def _set(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(data)
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


BAD_INPUTS = [
    ("bad credit code", ("enterprise", "uscc"), "91371500614071479T", ("enterprise", "uscc")),
    ("credit code with I", ("enterprise", "uscc"), "9I440300708461136T", ("enterprise", "uscc")),
    ("unknown field", ("enterprise", "revenue"), 5, ("enterprise", "revenue")),
    ("unknown top field", ("score",), 5, ("score",)),
    ("wrong type", ("financials", 0, "employees"), "many", ("financials", 0, "employees")),
    ("wrong enum", ("enterprise", "tax_method"), "flat", ("enterprise", "tax_method")),
    ("negative money", ("financials", 0, "rd_expense"), -1, ("financials", 0, "rd_expense")),
    (
        "negative revenue",
        ("financials", 0, "operating_revenue"),
        "-0.01",
        ("financials", 0, "operating_revenue"),
    ),
    ("negative assets", ("financials", 0, "total_assets"), -5, ("financials", 0, "total_assets")),
    ("negative employees", ("financials", 0, "employees"), -1, ("financials", 0, "employees")),
    (
        "science staff above employees",
        ("financials", 0, "science_staff"),
        121,
        ("financials", 0, "science_staff"),
    ),
    ("rd staff above employees", ("financials", 0, "rd_staff"), 121, ("financials", 0, "rd_staff")),
    ("future fiscal year", ("financials", 0, "year"), 2026, ("financials",)),
    ("not a number", ("financials", 0, "rd_expense"), "NaN", ("financials", 0, "rd_expense")),
    ("bad division", ("enterprise", "division_code"), "37150", ("enterprise", "division_code")),
    ("bad industry", ("enterprise", "industry_code"), "3451", ("enterprise", "industry_code")),
    ("unknown ip kind", ("ip", 0, "kind"), "trademark", ("ip", 0, "kind")),
]


@pytest.mark.parametrize(
    ("case", "path", "value", "loc"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS]
)
def test_bad_input_is_rejected_naming_the_field(
    case: str, path: tuple[Any, ...], value: Any, loc: tuple[Any, ...]
) -> None:
    with pytest.raises(ValidationError) as caught:
        Profile.model_validate(_set(example(), path, value))
    locs = [tuple(e["loc"]) for e in caught.value.errors()]
    assert loc in locs, (case, locs)


def test_duplicate_fiscal_years_are_rejected() -> None:
    data = example()
    data["financials"].append(dict(data["financials"][0]))
    with pytest.raises(ValidationError, match="duplicate fiscal year 2024"):
        Profile.model_validate(data)


def test_absent_figures_stay_unknown_not_zero() -> None:
    data = example()
    del data["financials"][0]["rd_expense"]
    assert Profile.model_validate(data).financials[0].rd_expense is None


# Issue 9 item 1: every number of the contract is bounded (the registry's MAX_MONEY is the
# model); Decimals refuse NaN, Infinity and absurd exponents.
UNBOUNDED = [
    ("money exponent", ("financials", 0, "sales_revenue"), "1E+999999"),
    ("money 1E+5000", ("financials", 0, "operating_revenue"), "1E+5000"),
    ("money tiny exponent", ("financials", 0, "rd_expense"), "1E-999999"),
    ("money infinity", ("financials", 0, "total_assets"), "Infinity"),
    ("money above a quadrillion", ("financials", 0, "total_assets"), 10**15 + 1),
    ("money five decimals", ("financials", 0, "rd_expense"), "1.00001"),
    ("signed money below", ("financials", 0, "net_profit"), -(10**15) - 1),
    ("count above ten million", ("financials", 0, "employees"), 10**7 + 1),
    ("percent above 100", ("enterprise", "market_share_pct"), "100.01"),
    ("niche years above 200", ("enterprise", "niche_market_years"), 201),
    ("rank above ten million", ("enterprise", "market_rank_national"), 10**7 + 1),
    ("platform score above 100", ("assessments", "srdi_dev_score"), "100.5"),
]


@pytest.mark.parametrize(("case", "path", "value"), UNBOUNDED, ids=[u[0] for u in UNBOUNDED])
def test_every_number_is_bounded(case: str, path: tuple[Any, ...], value: Any) -> None:
    data = example()
    data.setdefault("assessments", {})
    with pytest.raises(ValidationError) as caught:
        Profile.model_validate(_set(data, path, value))
    assert path in [tuple(e["loc"]) for e in caught.value.errors()], case


def test_the_bounds_themselves_are_accepted() -> None:
    data = _set(example(), ("financials", 0, "total_assets"), 10**15)
    data = _set(data, ("financials", 0, "net_profit"), "-1000000000000000.0000")
    data = _set(data, ("financials", 0, "employees"), 10**7)
    data["financials"][0].update(science_staff=0, rd_staff=0)
    profile = Profile.model_validate(data)
    assert profile.financials[0].total_assets == Decimal(10**15)


def test_flags_added_for_the_miit_general_conditions_are_optional() -> None:
    profile = Profile.model_validate(example())  # an old payload without them still parses
    assert profile.enterprise.flags.tax_evasion is None
    data = _set(example(), ("enterprise", "flags"), {"tax_evasion": True})
    assert Profile.model_validate(data).enterprise.flags.tax_evasion is True
