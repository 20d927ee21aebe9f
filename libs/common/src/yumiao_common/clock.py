"""The one clock every service reads: timezone-aware UTC now, and the bureau's calendar day.

Row timestamps (a callable column default, so every row gets its own instant), event times,
token and session expiry all come from here. Aware UTC compares alike on PostgreSQL
(``timestamptz``) and SQLite, and one definition is one place to read when a change or a test
has to reason about "now".

Calendar days ("today", "this year", "overdue", "valid on") are the bureau's: China Standard
Time. A server's local date is UTC in every deployment, eight hours behind Beijing, so between
00:00 and 08:00 Beijing time ``date.today()`` names yesterday: a certificate issued today would
be refused as future-dated, and a reserve admission moved just now would fall outside "as of
today". Code that needs today asks ``beijing_today()``; tests ask the same function.
"""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from datetime import timezone

#: China Standard Time (UTC+8, no daylight saving): the bureau's calendar.
BEIJING = timezone(timedelta(hours=8), "CST")


def utcnow() -> datetime:
    """Timezone-aware now in UTC."""
    return datetime.now(UTC)


def beijing_day(instant: datetime) -> date:
    """The calendar day in Beijing at ``instant`` (an aware datetime)."""
    return instant.astimezone(BEIJING).date()


def beijing_today() -> date:
    """Today in Beijing: the bureau's calendar day."""
    return beijing_day(utcnow())
