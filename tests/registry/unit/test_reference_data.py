"""Towns, tiers and the reminder schedule: pure data and date arithmetic."""

from __future__ import annotations

from datetime import date

import pytest

from registry.domain.tiers import default_expiry
from registry.domain.towns import CURRENT_TOWNS
from registry.domain.towns import TOWNS_BY_CODE
from registry.domain.towns import is_town_code
from registry.handlers.reminders import due_offset


def test_dongchangfu_has_ten_subdistricts_thirteen_towns_and_one_centre() -> None:
    kinds = [t.kind for t in CURRENT_TOWNS]
    assert (kinds.count("subdistrict"), kinds.count("town"), kinds.count("other")) == (10, 13, 1)
    assert all(t.code.startswith("371502") and len(t.code) == 9 for t in CURRENT_TOWNS)


def test_retired_codes_still_validate_but_are_marked() -> None:
    assert is_town_code("371502007") and TOWNS_BY_CODE["371502007"].retired_in == 2018
    assert not is_town_code("371503001")


@pytest.mark.parametrize(("tier", "issued", "expires"), [
    ("hnte", date(2023, 12, 1), date(2026, 11, 30)),
    ("tech_sme", date(2025, 5, 10), date(2025, 12, 31)),  # 当年有效: its calendar year
    ("srdi_sme", date(2024, 2, 29), date(2027, 2, 27)),
    ("agri_leader_provincial", date(2024, 1, 1), None),
])
def test_default_expiry(tier: str, issued: date, expires: date | None) -> None:
    assert default_expiry(tier, issued) == expires


@pytest.mark.parametrize(("days_left", "due"), [
    (120, None), (91, None), (90, 90), (45, 90), (31, 90), (30, 30), (8, 30), (7, 7),
    (0, 7), (-1, None),
])
def test_due_offset_is_the_window_the_certificate_is_in(
    days_left: int, due: int | None
) -> None:
    assert due_offset(days_left, (90, 30, 7)) == due
