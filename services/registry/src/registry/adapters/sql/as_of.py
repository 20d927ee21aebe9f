"""An enterprise's town, industry and size class as they were at the end of a date: the rules,
and the town as a column correlated to ``Enterprise`` (per-firm figures read it; grouped counts
join the same rules set-wise, ``adapters/sql/grouping.py``):

* town and industry come from the audit log, where every change of them is recorded (edits
  and imports alike, ``changes = {"town_code": {"from": …, "to": …}}``): the value it was
  changed to last by the end of the date, else the value it was changed from first after the
  date, else the value it has now (never changed). A value that was empty then is empty
  (NULL), not today's.
* the size class is read from the firm's figures of the last fiscal year ended by the date
  (a year ends on 31 December: as of 2024-12-31 the 2024 figures count, as of 2024-12-30 the
  2023 ones): employees, operating revenue and total assets of that year under the 300号 table
  (``adapters/sql/size_class.py``), with the industry as of the date. A firm with no figures
  for that year is of unknown class (NULL).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy import and_
from sqlalchemy import func
from sqlalchemy import select

from registry.domain.monitoring import beijing_day_end
from registry.models import AuditEntry
from registry.models import Enterprise

SIZE_FIGURES: tuple[str, ...] = ("employees", "operating_revenue", "total_assets")


def recorded_on(column: Any, name: str, as_of: date, today: date) -> ColumnElement[Any]:
    """The enterprise's audited field ``name`` (stored in ``column``) at the end of ``as_of``."""
    if as_of >= today:
        return column  # type: ignore[no-any-return]
    cut = beijing_day_end(as_of)
    changed_from = AuditEntry.changes[(name, "from")].as_string()
    changed_to = AuditEntry.changes[(name, "to")].as_string()
    # Not the creation: a firm registered after the date and never changed has the value it
    # has now; one changed since has its registered value as the "from" of its first change.
    changed = and_(
        AuditEntry.enterprise_id == Enterprise.id,
        AuditEntry.entity == "enterprise",
        AuditEntry.action != "create",
        func.coalesce(changed_from, changed_to).is_not(None),
    )
    # '' stands for "was empty" so that it is not mistaken for "no change recorded"
    before = (
        select(func.coalesce(changed_to, ""))
        .where(changed, AuditEntry.at < cut)
        .order_by(AuditEntry.id.desc())
        .limit(1)
        .correlate(Enterprise)
        .scalar_subquery()
    )
    after = (
        select(func.coalesce(changed_from, ""))
        .where(changed, AuditEntry.at >= cut)
        .order_by(AuditEntry.id)
        .limit(1)
        .correlate(Enterprise)
        .scalar_subquery()
    )
    return func.nullif(func.coalesce(before, after, column), "")


def town_on(as_of: date, today: date) -> ColumnElement[Any]:
    """The enterprise's town code at the end of ``as_of``."""
    return recorded_on(Enterprise.town_code, "town_code", as_of, today)


def figures_year(as_of: date) -> int:
    """The last fiscal year ended by the end of ``as_of``."""
    return as_of.year if (as_of.month, as_of.day) == (12, 31) else as_of.year - 1
