"""The daily SMS caps, counted in notify's database: reserve before a send, atomically.

A send the provider refused (it answered: nothing went out) gives its reservation back
(``release``); a send without an answer keeps it (it may have gone out). A reservation is two
conditional increments (``UPDATE … SET count = count + 1 WHERE count <
cap``) of the day's total row (``*``) and the number's row, in one transaction: PostgreSQL's
row lock (SQLite's single writer) orders concurrent senders, so two senders can never both
take the last slot. A refused reservation rolls both back. The day is China Standard Time's.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime

from sqlalchemy import Table
from sqlalchemy import update
from sqlalchemy.orm import Session

from notify.adapters.sql.bulk import insert_ignore
from notify.models.contact import SmsUsage
from yumiao_common.clock import BEIJING

TOTAL = "*"
USAGE: Table = SmsUsage.__table__  # type: ignore[assignment]


def cst_day(now: datetime) -> date:
    return now.astimezone(BEIJING).date()


def reserve(session: Session, *, mobile: str, now: datetime, daily_cap: int,
            per_number_cap: int) -> str | None:
    """Count one SMS to ``mobile`` today; None when taken, else which cap refused it.

    The caller commits on success and rolls back on refusal (nothing was counted then).
    """
    day = cst_day(now)
    insert_ignore(session, USAGE, [{"day": day, "key": TOTAL, "count": 0},
                                   {"day": day, "key": mobile, "count": 0}],
                  conflict=["day", "key"], returning="key")
    for key, cap, name in ((TOTAL, daily_cap, "daily"), (mobile, per_number_cap, "per_number")):
        taken = session.execute(
            update(USAGE).where(USAGE.c.day == day, USAGE.c.key == key, USAGE.c.count < cap)
            .values(count=USAGE.c.count + 1))
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            return name
    return None


def release(session: Session, *, mobile: str, now: datetime) -> None:
    """Give back a reservation for a message the provider refused (caller commits)."""
    day = cst_day(now)
    session.execute(update(USAGE).where(USAGE.c.day == day, USAGE.c.key.in_((TOTAL, mobile)),
                                        USAGE.c.count > 0)
                    .values(count=USAGE.c.count - 1))
