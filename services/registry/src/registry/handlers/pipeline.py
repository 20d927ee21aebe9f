"""Use cases of the cultivation pipeline: nominate an enterprise to a pool, move a member.

A move locks the enterprise row and then the membership row (``SELECT … FOR UPDATE`` on
PostgreSQL) and checks the version the client read, so of two concurrent moves of one member
exactly one wins and the other gets a 409 naming the current version. Every move appends a
``StageMove`` (actor, reason, time), an audit row and a ``registry.pipeline.moved`` event.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.adapters.sql.enterprise_list import held_on
from registry.domain.pipeline import POOLS
from registry.domain.pipeline import IllegalMove
from registry.domain.pipeline import Pool
from registry.domain.pipeline import Stage
from registry.domain.pipeline import allowed_moves
from registry.domain.pipeline import check_move
from registry.domain.tiers import default_expiry
from registry.handlers.common import check_version
from registry.handlers.common import get_enterprise
from registry.handlers.common import profile_changed
from registry.handlers.cultivation import curator_on_admission
from registry.handlers.journal import Who
from registry.handlers.journal import audit
from registry.handlers.journal import diff
from registry.handlers.journal import emit
from registry.handlers.journal import snapshot
from registry.models import Certification
from registry.models import Enterprise
from registry.models import PoolMembership
from registry.models import StageMove
from yumiao_common.clock import beijing_today
from yumiao_common.clock import utcnow
from yumiao_common.contracts.registry import PipelineMoved
from yumiao_common.contracts.registry import PipelineMovedPayload
from yumiao_common.web.errors import Conflict
from yumiao_common.web.errors import NotFound
from yumiao_common.web.errors import ValidationFailed

CERTIFICATE_FIELDS = ("tier", "level", "number", "issuer", "issued_on", "expires_on")


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
    changes: dict[str, Any] = {
        "pool": {"from": None if from_stage is None else membership.pool, "to": membership.pool},
        "stage": {"from": from_stage, "to": membership.stage}}
    if membership.exit_reason is not None:
        changes["exit_reason"] = {"from": None, "to": membership.exit_reason}
    audit(session, enterprise=enterprise, entity="pool_membership", entity_id=membership.id,
          action="nominate" if from_stage is None else "move", changes=changes, who=who)
    emit(session, PipelineMoved(
        correlation_id=who.request_id,
        payload=PipelineMovedPayload(
            uscc=enterprise.uscc, enterprise_name=enterprise.name, pool=membership.pool,
            from_stage=from_stage, to_stage=membership.stage,  # type: ignore[arg-type]
            actor=who.actor, reason=reason, moved_at=moved_at,
            exit_reason=membership.exit_reason,  # type: ignore[arg-type]
            round_id=membership.round_id,
        ),
    ))
    # Pool membership is part of the snapshot scoring ranks by (its pool filter).
    profile_changed(session, enterprise, change="pipeline", who=who)


def apply_move(
    session: Session, enterprise: Enterprise, membership: PoolMembership, target: Stage,
    who: Who, *, exit_reason: str | None = None,
) -> None:
    """Set the member's stage (already checked legal) and record the move: history, audit,
    event. ``exit_reason`` is kept with a move to ``withdrawn`` and cleared by any other; an
    admitted firm nobody is responsible for gets the admitting bureau user as its curator."""
    from_stage, now = membership.stage, utcnow()
    membership.stage = target
    membership.stage_changed_at = now
    membership.exit_reason = exit_reason if target == Stage.WITHDRAWN else None
    session.flush()
    _record_move(session, enterprise, membership, from_stage, who, now)
    if target == Stage.ADMITTED:
        curator_on_admission(session, enterprise, who)


def nominate(
    session: Session, *, pool: str, uscc: str, cohort_year: int | None, who: Who,
    round_id: int | None = None,
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
                                nominated_at=now, stage_changed_at=now, round_id=round_id)
    session.add(membership)
    session.flush()
    _record_move(session, enterprise, membership, None, who, now)
    return membership


def holds_title(session: Session, enterprise: Enterprise, tier: str, today: date) -> bool:
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
    if holds_title(session, enterprise, pool.requires_tier, beijing_today()):
        return
    raise Conflict(
        "申报此层级须先持有下一层级的有效认定 / Applying for this rung needs a valid title "
        "of the rung below",
        code="prerequisite_missing",
        details={"requires_tier": pool.requires_tier, "from_stage": membership.stage,
                 "to_stage": to.value,
                 "allowed_moves": [s for s in allowed_moves(membership.stage) if s != to.value]},
    )


def _record_certificate(
    session: Session, enterprise: Enterprise, tier: str, data: dict[str, Any], who: Who
) -> Certification:
    """The certificate given with a move to ``certified``, recorded in the same transaction."""
    issued = data["issued_on"]
    expires = data.get("expires_on") or default_expiry(tier, issued)
    if issued > beijing_today():
        raise ValidationFailed(fields={"certificate.issued_on": [
            "发证日期不能晚于今天 / issue date cannot be in the future"]})
    if expires is not None and expires <= issued:
        raise ValidationFailed(fields={"certificate.expires_on": [
            "有效期须晚于发证日期 / must be after the issue date"]})
    cert = Certification(enterprise_id=enterprise.id, tier=tier, level=data.get("level"),
                         number=data.get("number"), issuer=data.get("issuer"),
                         issued_on=issued, expires_on=expires)
    session.add(cert)
    session.flush()
    audit(session, enterprise=enterprise, entity="certification", entity_id=cert.id,
          action="create", changes=diff({}, snapshot(cert, CERTIFICATE_FIELDS)), who=who)
    return cert


def _check_certificate(
    session: Session, enterprise: Enterprise, pool: Pool, membership: PoolMembership,
    certificate: dict[str, Any] | None, who: Who,
) -> None:
    """认定 means the title is held: record the certificate given, or require a valid one."""
    if pool.tier is None:
        return
    if certificate is not None:
        _record_certificate(session, enterprise, pool.tier, certificate, who)
    if holds_title(session, enterprise, pool.tier, beijing_today()):
        return
    raise Conflict(
        "流转至“认定”须先登记有效的认定证书（或随本次流转提交证书）/ Moving to certified needs a "
        "valid certificate of the title on record (or one given with this move)",
        code="certificate_required",
        details={"tier": pool.tier, "from_stage": membership.stage, "to_stage": "certified"},
    )


def move(
    session: Session, *, pool: str, uscc: str, to_stage: str, version: int | None, who: Who,
    exit_reason: str | None = None, certificate: dict[str, Any] | None = None,
) -> PoolMembership:
    """Move a member along the pipeline; illegal or stale moves are 409s and change nothing.

    A move to ``certified`` records ``certificate`` when given and otherwise needs a valid
    certificate of the pool's title on record (409 ``certificate_required``); a move to
    ``withdrawn`` may carry a structured ``exit_reason``.
    """
    pool_def = get_pool(pool)
    enterprise = get_enterprise(session, uscc, lock=True)
    membership = _membership(session, enterprise, pool, lock=True)
    if membership is None:
        raise NotFound("该企业不在此培育库中 / The enterprise is not a member of this pool",
                       details={"pool": pool, "uscc": uscc})
    check_version(membership.version, version)
    target = checked_target(membership, to_stage)
    if certificate is not None and target != Stage.CERTIFIED:
        raise ValidationFailed(fields={"certificate": [
            "证书仅随流转至“认定”提交 / a certificate goes only with a move to certified"]})
    if exit_reason is not None and target != Stage.WITHDRAWN:
        raise ValidationFailed(fields={"exit_reason": [
            "退库原因仅随流转至“退库”提交 / an exit reason goes only with a move to withdrawn"]})
    _check_prerequisite(session, enterprise, pool_def, membership, target)
    if target == Stage.CERTIFIED:
        _check_certificate(session, enterprise, pool_def, membership, certificate, who)
    apply_move(session, enterprise, membership, target, who, exit_reason=exit_reason)
    return membership


def checked_target(membership: PoolMembership, to_stage: str) -> Stage:
    """The target stage if the state machine allows it from the member's stage, else 409."""
    try:
        return check_move(membership.stage, to_stage)
    except IllegalMove as exc:
        raise Conflict(
            f"不允许从“{exc.from_stage.value}”流转到“{to_stage}” / "
            f"Illegal move from {exc.from_stage.value} to {to_stage}",
            code="illegal_move",
            details={"from_stage": exc.from_stage.value, "to_stage": to_stage,
                     "allowed_moves": exc.allowed},
        ) from None
