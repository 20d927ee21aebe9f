"""Lookups, version checks and the profile-changed event every write handler shares.

Every write locks its enterprise row first (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite
serialises writers itself). That orders concurrent changes of one enterprise, so
``profile_version`` grows by exactly one per change and snapshots never share a number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.handlers.journal import Who
from registry.handlers.journal import emit
from registry.handlers.profile import build_profile
from registry.handlers.profile import prefetch_rows
from registry.models import Enterprise
from registry.models import PoolMembership
from registry.models.base import outbox_table
from yumiao_common.contracts.registry import EnterpriseChanged
from yumiao_common.contracts.registry import EnterpriseChangedPayload
from yumiao_common.messaging.outbox import add_events
from yumiao_common.web.concurrency import check_version as check_version  # the one policy
from yumiao_common.web.errors import NotFound

_USCC_SHAPE = re.compile(r"[0-9A-Z]{18}")
MAX_ID = 2**31 - 1
BULK_PROFILES = 2000  # enterprises whose child rows are held in memory at once


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


def profiles_changed(session: Session, enterprises: Sequence[Enterprise], *, change: str,
                     who: Who) -> None:
    """``profile_changed`` for many enterprises at once (a bulk import of records): the same
    version bump and the same snapshot event each, but the snapshots are built from rows read
    with one query per table and the events written with one executemany, instead of about
    ten round trips per firm."""
    for start in range(0, len(enterprises), BULK_PROFILES):
        chunk = enterprises[start:start + BULK_PROFILES]
        for enterprise in chunk:
            enterprise.profile_version = (enterprise.profile_version or 0) + 1
        session.flush()
        ids = [e.id for e in chunk]
        rows, pools = prefetch_rows(session, ids), _active_pools_of(session, ids)
        add_events(session, outbox_table, (EnterpriseChanged(
            correlation_id=who.request_id,
            payload=EnterpriseChangedPayload(
                profile=build_profile(session, enterprise, rows=rows), change=change,
                version=enterprise.profile_version, town_code=enterprise.town_code,
                pools=pools.get(enterprise.id, ()),
            ),
        ) for enterprise in chunk))


def _active_pools_of(session: Session, ids: list[int]) -> dict[int, tuple[str, ...]]:
    """``active_pools`` of many enterprises with one query."""
    found: dict[int, list[str]] = {}
    stmt = (select(PoolMembership.enterprise_id, PoolMembership.pool)
            .where(PoolMembership.enterprise_id.in_(ids),
                   PoolMembership.stage.not_in(("rejected", "withdrawn")))
            .order_by(PoolMembership.enterprise_id, PoolMembership.pool))
    for enterprise_id, pool in session.execute(stmt):
        found.setdefault(enterprise_id, []).append(pool)
    return {k: tuple(v) for k, v in found.items()}


def active_pools(session: Session, enterprise: Enterprise) -> tuple[str, ...]:
    """Pools the enterprise is a live member of (a rejected or withdrawn member is not)."""
    stmt = (
        select(PoolMembership.pool)
        .where(PoolMembership.enterprise_id == enterprise.id,
               PoolMembership.stage.not_in(("rejected", "withdrawn")))
        .order_by(PoolMembership.pool)
    )
    return tuple(session.scalars(stmt))
