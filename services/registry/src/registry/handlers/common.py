"""Lookups, version checks and the profile-changed event every write handler shares.

Every write locks its enterprise row first (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite
serialises writers itself). That orders concurrent changes of one enterprise, so
``profile_version`` grows by exactly one per change and snapshots never share a number.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.handlers.journal import Who
from registry.handlers.journal import emit
from registry.handlers.profile import build_profile
from registry.models import Enterprise
from registry.models import PoolMembership
from yumiao_common.contracts.registry import EnterpriseChanged
from yumiao_common.contracts.registry import EnterpriseChangedPayload
from yumiao_common.web.concurrency import check_version as check_version  # the one policy
from yumiao_common.web.errors import NotFound

_USCC_SHAPE = re.compile(r"[0-9A-Z]{18}")
MAX_ID = 2**31 - 1


def enterprise_not_found(uscc: str) -> NotFound:
    return NotFound(
        "企业不存在 / Enterprise not found", details={"uscc": uscc[:40]},
        code="enterprise_not_found",
    )


def get_enterprise(session: Session, uscc: str, *, lock: bool = False) -> Enterprise:
    """The enterprise with credit code ``uscc`` (locked for the transaction when ``lock``)."""
    if not _USCC_SHAPE.fullmatch(uscc):
        raise enterprise_not_found(uscc)
    stmt = select(Enterprise).where(Enterprise.uscc == uscc)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    enterprise = session.scalars(stmt).one_or_none()
    if enterprise is None:
        raise enterprise_not_found(uscc)
    return enterprise


def profile_changed(session: Session, enterprise: Enterprise, *, change: str, who: Who) -> None:
    """Bump ``profile_version`` and write the full profile snapshot to the outbox."""
    enterprise.profile_version = (enterprise.profile_version or 0) + 1
    session.flush()
    event = EnterpriseChanged(
        correlation_id=who.request_id,
        payload=EnterpriseChangedPayload(
            profile=build_profile(session, enterprise),
            change=change,
            version=enterprise.profile_version,
            town_code=enterprise.town_code,
            pools=active_pools(session, enterprise),
        ),
    )
    emit(session, event)


def active_pools(session: Session, enterprise: Enterprise) -> tuple[str, ...]:
    """Pools the enterprise is a live member of (a rejected or withdrawn member is not)."""
    stmt = (
        select(PoolMembership.pool)
        .where(PoolMembership.enterprise_id == enterprise.id,
               PoolMembership.stage.not_in(("rejected", "withdrawn")))
        .order_by(PoolMembership.pool)
    )
    return tuple(session.scalars(stmt))
