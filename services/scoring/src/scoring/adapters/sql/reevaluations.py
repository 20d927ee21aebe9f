"""Re-evaluation jobs in SQL: streaming stored profiles, recording progress, writing the impact.

Profiles are streamed in chunks with Core (no ORM objects); progress is committed in its own
short transaction so a client polling the job sees it move; impact rows are one executemany.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from scoring.models import EnterpriseProfile
from scoring.models import Reevaluation
from scoring.models import ReevaluationImpact

CHUNK = 500


def stream_profiles(
    session: Session, usccs: list[str] | None = None
) -> Iterator[list[tuple[str, dict[str, Any], str]]]:
    """(uscc, snapshot, hash) in chunks, in key order, with Core (no ORM objects)."""
    stmt = select(EnterpriseProfile.uscc, EnterpriseProfile.profile, EnterpriseProfile.profile_hash)
    if usccs is not None:
        stmt = stmt.where(EnterpriseProfile.uscc.in_(usccs))
    result = session.execute(stmt.order_by(EnterpriseProfile.uscc).execution_options(
        yield_per=CHUNK))
    for part in result.partitions(CHUNK):
        yield [(u, p, h) for u, p, h in part]


def record_progress(factory: sessionmaker[Session], job_id: uuid.UUID, **values: Any) -> None:
    """Write a job's progress (or status) in its own short transaction, seen while it runs."""
    with factory.begin() as session:
        session.execute(update(Reevaluation).where(Reevaluation.id == job_id).values(**values))


def write_impact(
    session: Session, job_id: uuid.UUID, impacts: Sequence[dict[str, Any]], evaluated: int
) -> dict[str, int]:
    """Store the impact rows (bulk) and return the summary counts for the job."""
    if impacts:
        session.execute(insert(ReevaluationImpact), list(impacts))
    plural = {"gain": "gains", "loss": "losses", "change": "changes"}
    summary = dict.fromkeys(plural.values(), 0)
    for item in impacts:
        summary[plural[item["kind"]]] += 1
    summary["evaluated"] = evaluated
    summary["unchanged"] = evaluated - len(impacts)
    return summary
