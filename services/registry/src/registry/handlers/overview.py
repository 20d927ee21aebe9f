"""One firm's whole record as the bureau's enterprise page shows it, in one read (issue 16).

The page used to ask for each part on its own (the enterprise, its profile, its memberships and
each one's stage history, the audit trail, service records, problems, curator, yearly
reports): a dozen requests, each paying the framework, the internal token, a session and
serialisation. ``enterprise_overview`` reads them all in the caller's one session, each part
bounded as the page shows it, so the page needs one registry request.

Each part is read as its own endpoint reads its first page (same order, same limit, one row
more to tell whether more follow), so the route answers each in that endpoint's shape; the
stage histories of every membership come in one query, not one per membership. No part
carries contacts (their personal data is masked for viewers by the gateway, per path).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.handlers.common import get_enterprise
from registry.handlers.profile import build_profile
from registry.models import AuditEntry
from registry.models import Curatorship
from registry.models import Enterprise
from registry.models import PoolMembership
from registry.models import Problem
from registry.models import ServiceRecord
from registry.models import StageMove
from registry.models import Submission

#: The parts' bounds, as the page reads them: the shared dialect's largest page for the audit
#: trail, service records and problems (years of a firm's cultivation), 50 yearly reports
#: (one a year). Memberships (one per pool at most) and their stage histories come whole.
AUDIT_LIMIT = 200
RECORDS_LIMIT = 200
SUBMISSIONS_LIMIT = 50


@dataclass(frozen=True)
class Overview:
    """The parts' rows; a list bounded by a limit holds up to one row more than it (the sign
    that more follow: the route turns that into the endpoint's ``next_cursor``)."""

    enterprise: Enterprise
    profile: dict[str, Any]
    memberships: list[PoolMembership]
    history: dict[int, list[StageMove]]  # membership id -> its moves, oldest first
    audit: list[AuditEntry]  # the newest AUDIT_LIMIT, oldest first
    services: list[ServiceRecord]
    problems: list[Problem]
    curator: Curatorship | None
    submissions: list[Submission]  # newest first
    submissions_total: int


def enterprise_overview(session: Session, *, uscc: str) -> Overview:
    """Every part of the firm's page (404 ``enterprise_not_found`` for an unknown credit code)."""
    enterprise = get_enterprise(session, uscc)
    eid = enterprise.id
    memberships = list(session.scalars(
        select(PoolMembership).where(PoolMembership.enterprise_id == eid)
        .order_by(PoolMembership.id)))
    history: dict[int, list[StageMove]] = {m.id: [] for m in memberships}
    if history:
        for move in session.scalars(select(StageMove).where(
                StageMove.membership_id.in_(list(history))).order_by(StageMove.id)):
            history[move.membership_id].append(move)
    return Overview(
        enterprise=enterprise,
        profile=build_profile(session, enterprise),
        memberships=memberships,
        history=history,
        audit=_newest(session, AuditEntry, eid, AUDIT_LIMIT),
        services=_first(session, ServiceRecord, eid, RECORDS_LIMIT),
        problems=_first(session, Problem, eid, RECORDS_LIMIT),
        curator=session.scalars(select(Curatorship).where(
            Curatorship.enterprise_id == eid)).one_or_none(),
        submissions=list(session.scalars(
            select(Submission).where(Submission.enterprise_id == eid)
            .order_by(Submission.id.desc()).limit(SUBMISSIONS_LIMIT + 1))),
        submissions_total=int(session.scalar(select(func.count()).where(
            Submission.enterprise_id == eid)) or 0),
    )


def _newest(session: Session, model: Any, enterprise_id: int, limit: int) -> list[Any]:
    """The firm's newest ``limit`` rows of ``model``, oldest first: the page shows the latest
    changes, and a firm with a long history must not show only its first ones."""
    newest = list(session.scalars(select(model).where(model.enterprise_id == enterprise_id)
                                  .order_by(model.id.desc()).limit(limit)))
    return newest[::-1]


def _first(session: Session, model: Any, enterprise_id: int, limit: int) -> list[Any]:
    """The firm's first ``limit`` rows of ``model`` by id, and one more if there is one."""
    return list(session.scalars(select(model).where(model.enterprise_id == enterprise_id)
                                .order_by(model.id).limit(limit + 1)))
