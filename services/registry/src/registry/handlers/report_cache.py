"""The progress report as JSON, kept per process while nothing it is computed from changes.

A report is computed from the plan (and its indicators), the year-end snapshots with their
corrections, the live figures of the years not frozen, and today's date. The dashboard reads
the same report again and again, and between two changes building and serializing it again
(about 50 KB: every indicator per year and per town) cost more than everything else the read
does. So the JSON is kept, with:

* the monitoring stamp: counts and newest ids (and the plans' versions) of plans, indicators,
  snapshots, corrections and the monitoring journal — one statement over small tables; any
  accepted change to a plan, a freeze or a correction moves it (a row still committing when
  another was counted moves the count when it lands);
* the live figures it read (``YearSource.live``), brought up to date on every read exactly as
  the report itself would (``live_year_figures``: the enterprises audited since the last read
  are counted again) and compared: equal figures, the same report.

Each read therefore answers with figures as exact as a report built from scratch, and an ETag
naming its content; a client that sends it back in ``If-None-Match`` gets a 304 instead of the
same 50 KB (``api/reports/routes.py``).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from threading import Lock
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from registry.handlers.reports import live_year_figures
from registry.handlers.reports import progress_report
from registry.models import MonitoringAuditEntry
from registry.models import Plan
from registry.models import PlanIndicator
from registry.models import SnapshotCorrection
from registry.models import YearSnapshot

#: Reports kept per process: the dashboard's, and the few plans and years a report page reads.
SIZE = 8

LiveReads = dict[tuple[int, bool], dict[str, Any]]


@dataclass(frozen=True)
class Kept:
    """One report's JSON, its ETag and the live figures it was computed from."""

    body: bytes
    etag: str
    plan_start: int
    live: LiveReads


_KEPT: OrderedDict[tuple[Any, ...], Kept] = OrderedDict()
_LOCK = Lock()


#: One statement, built once (a read runs it every time: no statement to build and key).
STAMP = text(" UNION ALL ".join(
    f"SELECT {i}, count(*), max(id), {extra} FROM {model.__tablename__}"
    for i, (model, extra) in enumerate(((Plan, "sum(version)"), (PlanIndicator, "0"),
                                        (YearSnapshot, "0"), (SnapshotCorrection, "0"),
                                        (MonitoringAuditEntry, "0")))))


def monitoring_stamp(session: Session) -> tuple[Any, ...]:
    """What changes whenever a plan, an indicator, a snapshot or a correction does."""
    return tuple(tuple(row) for row in sorted(session.execute(STAMP).all()))


def progress_json(session: Session, *, plan_id: int | None, year: int | None, today: date,
                  render: Callable[[dict[str, Any]], bytes], details: bool = True
                  ) -> tuple[str, bytes]:
    """(ETag, JSON) of the progress report of ``plan_id`` and ``year`` (None: the plan in force,
    its latest year), rendered by ``render`` when it is not kept or its figures moved;
    ``details``: with the funnel and cohorts (not the dashboard's view)."""
    key = (str(getattr(session.get_bind(), "url", "")), plan_id, year, today, details,
           monitoring_stamp(session))
    with _LOCK:
        kept = _KEPT.get(key)
        if kept is not None:
            _KEPT.move_to_end(key)
    if kept is not None and all(
            live_year_figures(session, y, today, kept.plan_start, details) == figures
            for (y, details), figures in kept.live.items()):
        return kept.etag, kept.body
    live: LiveReads = {}
    report = progress_report(session, plan_id=plan_id, year=year, today=today, live=live,
                             details=details)
    body = render(report)
    kept = Kept(body, hashlib.blake2b(body, digest_size=16).hexdigest(),
                int(report["plan"]["start_year"]), live)
    with _LOCK:
        _KEPT[key] = kept
        _KEPT.move_to_end(key)
        while len(_KEPT) > SIZE:
            _KEPT.popitem(last=False)
    return kept.etag, kept.body
