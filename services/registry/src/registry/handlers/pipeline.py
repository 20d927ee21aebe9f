"""Use cases of the cultivation pipeline: nominate an enterprise to a pool, move a member.

A move locks the enterprise row and then the membership row (``SELECT … FOR UPDATE`` on
PostgreSQL) and checks the version the client read, so of two concurrent moves of one member
exactly one wins and the other gets a 409 naming the current version. Every move appends a
``StageMove`` (actor, reason, time), an audit row and a ``registry.pipeline.moved`` event.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.adapters.sql.enterprise_list import held_on
from registry.domain.pipeline import POOLS
from registry.domain.pipeline import IllegalMove
from registry.domain.pipeline import Pool
from registry.domain.pipeline import Stage
from registry.domain.pipeline import allowed_moves
from registry.domain.pipeline import check_move
from registry.handlers.common import check_version
from registry.handlers.common import get_enterprise
from registry.handlers.common import profile_changed
from registry.handlers.journal import Who
from registry.handlers.journal import audit
from registry.handlers.journal import emit
from registry.models import Certification
from registry.models import Enterprise
from registry.models import PoolMembership
from registry.models import StageMove
from yumiao_common.clock import utcnow
from yumiao_common.contracts.registry import PipelineMoved
from yumiao_common.contracts.registry import PipelineMovedPayload
from yumiao_common.web.errors import Conflict
from yumiao_common.web.errors import NotFound


def get_pool(pool: str) -> Pool:
    if pool not in POOLS:
        raise NotFound("培育库不存在 / Pool not found", details={"pool": pool[:40],
                                                            "pools": sorted(POOLS)})
    return POOLS[pool]


def _membership(
    session: Session, enterprise: Enterprise, pool: str, *, lock: bool = False
) -> PoolMembership | None:
    stmt = select(PoolMembership).where(PoolMembership.enterprise_id == enterprise.id,
                                        PoolMembership.pool == pool)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return session.scalars(stmt).one_or_none()


def get_membership(session: Session, *, pool: str, uscc: str) -> PoolMembership:
    get_pool(pool)
    membership = _membership(session, get_enterprise(session, uscc), pool)
    if membership is None:
        raise NotFound("该企业不在此培育库中 / The enterprise is not a member of this pool",
                       details={"pool": pool, "uscc": uscc})
    return membership


def _record_move(
    session: Session, enterprise: Enterprise, membership: PoolMembership,
    from_stage: str | None, who: Who, moved_at: datetime,
) -> None:
    reason = who.reason or ""
    session.add(StageMove(membership_id=membership.id, from_stage=from_stage,
                          to_stage=membership.stage, actor=who.actor, reason=reason,
                          moved_at=moved_at))
    audit(session, enterprise=enterprise, entity="pool_membership", entity_id=membership.id,
          action="nominate" if from_stage is None else "move",
          changes={"pool": {"from": None if from_stage is None else membership.pool,
                            "to": membership.pool},
                   "stage": {"from": from_stage, "to": membership.stage}},
          who=who)
    emit(session, PipelineMoved(
        correlation_id=who.request_id,
        payload=PipelineMovedPayload(
            uscc=enterprise.uscc, enterprise_name=enterprise.name, pool=membership.pool,
            from_stage=from_stage, to_stage=membership.stage,  # type: ignore[arg-type]
            actor=who.actor, reason=reason, moved_at=moved_at,
        ),
    ))
    # Pool membership is part of the snapshot scoring ranks by (its pool filter).
    profile_changed(session, enterprise, change="pipeline", who=who)


def nominate(
    session: Session, *, pool: str, uscc: str, cohort_year: int | None, who: Who
) -> PoolMembership:
    """Put an enterprise into a pool at ``nominated``; a second membership is refused."""
    get_pool(pool)
    enterprise = get_enterprise(session, uscc, lock=True)
    existing = _membership(session, enterprise, pool)
    if existing is not None:
        raise Conflict(
            "该企业已在此培育库中；已退库或未通过的企业请通过流转重新提名 / Already a member; "
            "re-nominate a rejected or withdrawn member with a move to nominated",
            code="already_member",
            details={"stage": existing.stage, "version": existing.version,
                     "allowed_moves": allowed_moves(existing.stage)},
        )
    now = utcnow()
    membership = PoolMembership(enterprise_id=enterprise.id, pool=pool, stage=Stage.NOMINATED,
                                cohort_year=cohort_year, nominated_by=who.actor,
                                nominated_at=now, stage_changed_at=now)
    session.add(membership)
    session.flush()
    _record_move(session, enterprise, membership, None, who, now)
    return membership


def _holds(session: Session, enterprise: Enterprise, tier: str, today: date) -> bool:
    """Whether the enterprise holds a certification of ``tier`` valid on ``today`` (without
    an expiry: within its tier's validity, ``registry.adapters.sql.enterprise_list.held_on``)."""
    stmt = select(Certification.id).where(
        Certification.enterprise_id == enterprise.id, Certification.tier == tier,
        held_on(today),
    )
    return session.scalars(stmt.limit(1)).first() is not None


def _check_prerequisite(
    session: Session, enterprise: Enterprise, pool: Pool, membership: PoolMembership, to: Stage
) -> None:
    """A ladder rung can only be applied for while holding the title of the rung below."""
    if to != Stage.APPLIED or pool.requires_tier is None:
        return
    if _holds(session, enterprise, pool.requires_tier, date.today()):
        return
    raise Conflict(
        "申报此层级须先持有下一层级的有效认定 / Applying for this rung needs a valid title "
        "of the rung below",
        code="prerequisite_missing",
        details={"requires_tier": pool.requires_tier, "from_stage": membership.stage,
                 "to_stage": to.value,
                 "allowed_moves": [s for s in allowed_moves(membership.stage) if s != to.value]},
    )


def move(
    session: Session, *, pool: str, uscc: str, to_stage: str, version: int | None, who: Who
) -> PoolMembership:
    """Move a member along the pipeline; illegal or stale moves are 409s and change nothing."""
    pool_def = get_pool(pool)
    enterprise = get_enterprise(session, uscc, lock=True)
    membership = _membership(session, enterprise, pool, lock=True)
    if membership is None:
        raise NotFound("该企业不在此培育库中 / The enterprise is not a member of this pool",
                       details={"pool": pool, "uscc": uscc})
    check_version(membership.version, version)
    try:
        target = check_move(membership.stage, to_stage)
    except IllegalMove as exc:
        raise Conflict(
            f"不允许从“{exc.from_stage.value}”流转到“{to_stage}” / "
            f"Illegal move from {exc.from_stage.value} to {to_stage}",
            code="illegal_move",
            details={"from_stage": exc.from_stage.value, "to_stage": to_stage,
                     "allowed_moves": exc.allowed},
        ) from None
    _check_prerequisite(session, enterprise, pool_def, membership, target)
    from_stage, now = membership.stage, utcnow()
    membership.stage = target
    membership.stage_changed_at = now
    session.flush()
    _record_move(session, enterprise, membership, from_stage, who, now)
    return membership
