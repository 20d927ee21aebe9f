"""The one table of certificate validity (issue 8 item 4; criteria.md §8 item 10): no
holding without an expiry is valid forever — HNTE and the MIIT titles three years from issue,
the tech-SME registration its calendar year, agricultural leaders two years then unknown,
titles without a known rule unknown — and the database bound agrees with it to the day."""

from __future__ import annotations

from datetime import date
from datetime import timedelta

import pytest

from yumiao_common.contracts.validity import VALIDITY
from yumiao_common.contracts.validity import definite_expiry
from yumiao_common.contracts.validity import earliest_issue_held
from yumiao_common.contracts.validity import holding_status


@pytest.mark.parametrize(("tier", "issued", "day", "held"), [
    ("hnte", date(2015, 1, 1), date(2025, 6, 30), False),  # no "valid forever"
    ("hnte", date(2023, 12, 1), date(2026, 11, 30), True),  # third year's last day
    ("hnte", date(2023, 12, 1), date(2026, 12, 1), False),
    ("tech_sme", date(2025, 5, 10), date(2025, 12, 31), True),  # 当年有效
    ("tech_sme", date(2025, 5, 10), date(2026, 1, 1), False),
    ("srdi_sme", date(2024, 2, 29), date(2027, 2, 27), True),
    ("srdi_sme", date(2024, 2, 29), date(2027, 2, 28), False),
    ("little_giant", date(2022, 7, 1), date(2025, 6, 30), True),
    ("agri_leader_provincial", date(2023, 1, 1), date(2024, 12, 31), True),
    ("agri_leader_provincial", date(2023, 1, 1), date(2025, 1, 1), None),  # not monitored
    ("single_champion", date(2024, 1, 1), date(2024, 6, 1), None),  # no known rule
    ("listed", date(2010, 1, 1), date(2024, 6, 1), None),
    ("hnte", date(2025, 7, 1), date(2025, 6, 30), False),  # not yet issued
])
def test_a_certificate_without_expiry_is_held_for_its_tiers_validity(tier: str, issued: date, day: date, held: bool | None) -> None:  # noqa: E501
    assert holding_status(tier, issued, None, day) is held


def test_an_expiry_date_given_decides() -> None:
    assert holding_status("hnte", date(2015, 1, 1), date(2030, 1, 1), date(2025, 1, 1)) is True
    assert holding_status("listed", date(2015, 1, 1), date(2020, 1, 1), date(2025, 1, 1)) is False


@pytest.mark.parametrize(("tier", "issued", "expires"), [
    ("hnte", date(2023, 12, 1), date(2026, 11, 30)),
    ("tech_sme", date(2025, 5, 10), date(2025, 12, 31)),
    ("srdi_sme", date(2024, 2, 29), date(2027, 2, 27)),
    ("agri_leader_provincial", date(2024, 1, 1), None),  # standing after 2 years unknown
    ("single_champion", date(2024, 1, 1), None),
])
def test_definite_expiry_is_given_only_where_the_rules_end_the_holding(tier: str, issued: date, expires: date | None) -> None:  # noqa: E501
    assert definite_expiry(tier, issued) == expires


@pytest.mark.parametrize("tier", [*VALIDITY, "single_champion"])
def test_the_database_bound_agrees_with_the_rule_on_every_day_of_leap_years(tier: str) -> None:
    one = timedelta(days=1)
    for day in (date(2027, 2, 27), date(2027, 2, 28), date(2028, 2, 29), date(2028, 3, 1),
                date(2026, 1, 1), date(2026, 12, 31)):
        bound = earliest_issue_held(tier, day)
        issued = date(day.year - 4, 1, 1)
        while issued <= day:
            held = holding_status(tier, issued, None, day) is True
            assert held == (bound is not None and issued >= bound), (tier, day, issued)
            issued += one
