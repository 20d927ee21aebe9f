"""How long a certification is held when it gives no expiry date: one table for all services.

No holding is valid forever (issue 8 item 4; criteria.md §8 item 10). A certificate with an
expiry date is held through that day. One without it is held for the validity its tier's rules
give: HNTE three years from the certificate date (国科发火〔2016〕32号 第九条), the tech-SME
registration for its calendar year only ("登记编号当年有效", 国科火字〔2019〕87号), the MIIT
titles three years. Agricultural leaders are monitored every two years (农经发〔2018〕1号;
鲁农产业字〔2018〕28号): within two years of recognition the title is held, later its standing
depends on a monitoring result the record does not carry, so it is *unknown*. Titles with no
known rule (honours such as 单项冠军, a stock listing) are unknown without an expiry.

Scoring reads it for every profile (registry data, what-if and anonymous alike); the registry
for its current-holder filters, pipeline prerequisites, exports, the expiry it fills in when a
curator leaves it empty, and its expiry reminders — so both services agree to the day.
"""

from __future__ import annotations

from datetime import date
from datetime import timedelta
from typing import Literal

Kind = Literal["years", "year", "monitored"]

#: Validity of a title without an expiry date: ("years", n) from the issue date, ("year", 0)
#: the calendar year of issue, ("monitored", n) held n years then unknown. Titles not listed
#: have no known rule: without an expiry they are unknown.
VALIDITY: dict[str, tuple[Kind, int]] = {
    "hnte": ("years", 3),  # 国科发火〔2016〕32号 第九条
    "tech_sme": ("year", 0),  # 国科火字〔2019〕87号: 登记编号当年有效
    "innovative_sme": ("years", 3),  # criteria.md §8 item 10
    "srdi_sme": ("years", 3),
    "little_giant": ("years", 3),
    "agri_leader_national": ("monitored", 2),  # 农经发〔2018〕1号: 每两年监测一次
    "agri_leader_provincial": ("monitored", 2),  # 鲁农产业字〔2018〕28号
    "agri_leader_municipal": ("monitored", 2),  # relays the provincial cycle (local)
    "agri_leader_district": ("monitored", 2),  # registry only; relays the same cycle (local)
}

_DAY = timedelta(days=1)


def add_years(day: date, years: int) -> date:
    """``day`` moved by ``years`` years; 29 February becomes the 28th in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def valid_through(tier: str, issued_on: date) -> date | None:
    """The last day a certificate of ``tier`` issued on ``issued_on`` without an expiry is
    known to be held; None when no rule is known (then it is never known to be held)."""
    rule = VALIDITY.get(tier)
    if rule is None:
        return None
    kind, years = rule
    if kind == "year":
        return date(issued_on.year, 12, 31)
    return add_years(issued_on, years) - _DAY


def definite_expiry(tier: str, issued_on: date) -> date | None:
    """The expiry the tier's rules give (``years``/``year`` rules), None where the rules end
    in an unknown standing (monitored titles) or give nothing: the expiry a curator may leave
    out and the day an expiry reminder counts down to."""
    rule = VALIDITY.get(tier)
    if rule is None or rule[0] == "monitored":
        return None
    return valid_through(tier, issued_on)


def holding_status(
    tier: str, issued_on: date, expires_on: date | None, as_of: date
) -> bool | None:
    """Whether the certificate is held on ``as_of``: True, False (not yet or expired) or None
    (no expiry and the rules cannot tell: no rule, or a monitored title past its window)."""
    if issued_on > as_of:
        return False
    if expires_on is not None:
        return expires_on >= as_of
    last = valid_through(tier, issued_on)
    if last is None:
        return None
    if as_of <= last:
        return True
    return None if VALIDITY[tier][0] == "monitored" else False


def earliest_issue_held(tier: str, as_of: date) -> date | None:
    """The earliest issue date at which a certificate of ``tier`` without an expiry is still
    known held on ``as_of`` (a bound for database filters); None when no rule is known.

    Certificates issued on that day up to ``as_of`` are held; earlier ones are not (or are
    unknown, for monitored titles)."""
    rule = VALIDITY.get(tier)
    if rule is None:
        return None
    kind, years = rule
    if kind == "year":
        return date(as_of.year, 1, 1)
    first = add_years(as_of, -years)
    while valid_through(tier, first - _DAY) is not None and _held(tier, first - _DAY, as_of):
        first -= _DAY
    while not _held(tier, first, as_of):
        first += _DAY
    return first


def _held(tier: str, issued_on: date, as_of: date) -> bool:
    last = valid_through(tier, issued_on)
    return last is not None and as_of <= last
