"""Use cases of reserve rounds: open a round, move firms in batches, publish the 入库名单,
end admissions whose period has passed (issue 12 item 4).

A batch is all or nothing: every firm is checked against the state machine (and the quota)
before the transaction commits, and one refusal refuses the whole batch with every firm's
reason listed, so a curator never has to work out which half of a list went through. Each
firm's move is an ordinary pipeline move (history, audit, ``registry.pipeline.moved`` with
``round_id``), with the batch's one reason.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.domain.pipeline import CLOSED_STAGES
from registry.domain.pipeline import Stage
from registry.domain.rounds import BATCH_ACTIONS
from registry.domain.rounds import DEFAULT_QUOTAS
from registry.domain.rounds import exit_reason_on_lapse
from registry.domain.rounds import quota_left
from registry.domain.rounds import valid_until
from registry.handlers.common import check_version
from registry.handlers.common import get_enterprise
from registry.handlers.journal import Who
from registry.handlers.journal import audit
from registry.handlers.journal import emit
from registry.handlers.pipeline import apply_move
from registry.handlers.pipeline import checked_target
from registry.handlers.pipeline import get_pool
from registry.handlers.pipeline import nominate
from registry.models import Enterprise
from registry.models import PoolMembership
from registry.models import ReserveRound
from yumiao_common.clock import beijing_today
from yumiao_common.clock import utcnow
from yumiao_common.contracts.registry import RoundChanged
from yumiao_common.contracts.registry import RoundChangedPayload
from yumiao_common.web.errors import Conflict
from yumiao_common.web.errors import NotFound
from yumiao_common.web.errors import ValidationFailed


def _round_event(session: Session, found: ReserveRound, action: str, who: Who) -> None:
    """``registry.round.changed``: the round as it now stands, who changed it and why."""
    emit(session, RoundChanged(correlation_id=who.request_id, payload=RoundChangedPayload(
        round_id=found.id, pool=found.pool, year=found.year, quota=found.quota,
        status=found.status, action=action,  # type: ignore[arg-type]
        admitted=admitted_count(session, found), actor=who.actor, reason=who.reason,
        at=utcnow())))


def round_not_found(round_id: int) -> NotFound:
    return NotFound("遴选批次不存在 / Round not found", details={"round_id": round_id},
                    code="round_not_found")


def get_round(session: Session, round_id: int, *, lock: bool = False) -> ReserveRound:
    if not 0 < round_id <= 2**31 - 1:
        raise round_not_found(round_id)
    stmt = select(ReserveRound).where(ReserveRound.id == round_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    found = session.scalars(stmt).one_or_none()
    if found is None:
        raise round_not_found(round_id)
    return found


def create_round(
    session: Session, *, pool: str, year: int, quota: int | None, opens_on: date,
    closes_on: date, valid_months: int, who: Who,
) -> ReserveRound:
    """Open the round of ``pool`` for ``year``; a second round of the same pool and year is
    a 409 naming the first."""
    get_pool(pool)
    if closes_on < opens_on:
        raise ValidationFailed(fields={"closes_on": ["截止日期须不早于开始日期 / must not be "
                                                      "before opens_on"]})
    quota = quota if quota is not None else DEFAULT_QUOTAS.get(pool)
    if quota is None:
        raise ValidationFailed(fields={"quota": ["此培育库须填写名额 / this pool needs a "
                                                  "quota"]})
    existing = session.scalars(select(ReserveRound).where(
        ReserveRound.pool == pool, ReserveRound.year == year)).one_or_none()
    if existing is not None:
        raise Conflict("该培育库本年度已有遴选批次 / This pool already has a round that year",
                       code="round_exists", details={"round_id": existing.id})
    found = ReserveRound(pool=pool, year=year, quota=quota, opens_on=opens_on,
                         closes_on=closes_on, valid_months=valid_months, status="open",
                         created_by=who.actor)
    session.add(found)
    session.flush()
    _round_event(session, found, "opened", who)
    return found


def update_round(
    session: Session, *, round_id: int, changes: dict[str, Any], version: int | None, who: Who
) -> ReserveRound:
    """Change the quota, dates or validity of an open round (stale version: 409)."""
    found = get_round(session, round_id, lock=True)
    check_version(found.version, version)
    _require_open(found)
    for key in ("quota", "opens_on", "closes_on", "valid_months"):
        if changes.get(key) is not None:
            setattr(found, key, changes[key])
    if found.closes_on < found.opens_on:
        raise ValidationFailed(fields={"closes_on": ["截止日期须不早于开始日期 / must not be "
                                                      "before opens_on"]})
    if found.quota < admitted_count(session, found):
        raise Conflict("名额不能少于已入库企业数 / The quota cannot go below those admitted",
                       code="quota_below_admitted",
                       details={"admitted": admitted_count(session, found)})
    session.flush()
    _round_event(session, found, "updated", who)
    return found


def _require_open(found: ReserveRound) -> None:
    if found.status != "open":
        raise Conflict("该遴选批次已公布，名单不可再变 / The round is published; its list is "
                       "final", code="round_published", details={"round_id": found.id})


def admitted_count(session: Session, found: ReserveRound) -> int:
    """Firms the round has admitted (they keep counting after they move on or leave)."""
    return int(session.scalar(select(func.count()).select_from(PoolMembership).where(
        PoolMembership.round_id == found.id, PoolMembership.valid_until.is_not(None))) or 0)


def _failure(code: str, message: str, **details: Any) -> dict[str, Any]:
    return {"code": code, "message": message, **details}


def run_batch(
    session: Session, *, round_id: int, action: str, usccs: list[str], who: Who,
    exit_reason: str | None = None, today: date | None = None,
) -> list[PoolMembership]:
    """Apply one batch action to every firm of ``usccs`` with one reason, or to none."""
    today = today or beijing_today()
    step = BATCH_ACTIONS[action]
    found = get_round(session, round_id, lock=True)
    if step.needs_open_round:
        _require_open(found)
    if action == "exit" and exit_reason is None:
        raise ValidationFailed(fields={"exit_reason": ["退库须注明原因类别 / an exit needs "
                                                        "its reason"]})
    if action == "admit":
        left = quota_left(found.quota, admitted_count(session, found))
        if len(usccs) > left:
            raise Conflict("超出本批次名额 / The batch exceeds the round's quota",
                           code="quota_exceeded",
                           details={"quota": found.quota, "left": left, "batch": len(usccs)})
    failures: dict[str, dict[str, Any]] = {}
    moved: list[PoolMembership] = []
    for uscc in usccs:
        try:
            moved.append(_one(session, found, action, uscc, who, exit_reason, today))
        except (Conflict, NotFound) as exc:
            failures[uscc] = _failure(exc.code, exc.message, **(exc.details or {}))
    if failures:
        raise Conflict("批量操作未执行：部分企业不符合条件 / Batch refused: some firms cannot "
                       "take this step (nothing was changed)", code="batch_refused",
                       details={"action": action, "failures": failures})
    return moved


def _one(
    session: Session, found: ReserveRound, action: str, uscc: str, who: Who,
    exit_reason: str | None, today: date,
) -> PoolMembership:
    enterprise = get_enterprise(session, uscc, lock=True)
    membership = session.scalars(
        select(PoolMembership).where(PoolMembership.enterprise_id == enterprise.id,
                                     PoolMembership.pool == found.pool)
        .with_for_update().execution_options(populate_existing=True)).one_or_none()
    if action == "nominate":
        if membership is None:
            return nominate(session, pool=found.pool, uscc=uscc, cohort_year=found.year,
                            who=who, round_id=found.id)
        checked_target(membership, Stage.NOMINATED)
        membership.round_id, membership.cohort_year = found.id, found.year
        membership.valid_until = None
        apply_move(session, enterprise, membership, Stage.NOMINATED, who)
        return membership
    if membership is None or membership.round_id != found.id:
        raise NotFound("该企业不在本遴选批次中 / The firm is not in this round",
                       code="not_in_round", details={"round_id": found.id})
    target = checked_target(membership, BATCH_ACTIONS[action].target)
    if target == Stage.ADMITTED:
        membership.valid_until = valid_until(today, found.valid_months)
    apply_move(session, enterprise, membership, target, who, exit_reason=exit_reason)
    return membership


def publish_round(session: Session, *, round_id: int, version: int | None,
                  who: Who) -> ReserveRound:
    """Publish the 入库名单: the round's list becomes final; each listed firm's audit log
    records the publication."""
    found = get_round(session, round_id, lock=True)
    check_version(found.version, version)
    _require_open(found)
    found.status, found.published_by, found.published_at = "published", who.actor, utcnow()
    session.flush()
    for membership in roster_query(session, found, after=0, limit=None):
        audit(session, enterprise=membership.enterprise, entity="reserve_round",
              entity_id=found.id, action="publish",
              changes={"round": {"from": None, "to": f"{found.pool}/{found.year}"},
                       "status": {"from": "open", "to": "published"}}, who=who)
    session.flush()
    _round_event(session, found, "published", who)
    return found


def roster_query(
    session: Session, found: ReserveRound, *, after: int, limit: int | None
) -> list[PoolMembership]:
    """The round's admitted firms (入库名单) by membership id."""
    stmt = (select(PoolMembership)
            .where(PoolMembership.round_id == found.id, PoolMembership.valid_until.is_not(None),
                   PoolMembership.id > after)
            .order_by(PoolMembership.id))
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def end_lapsed_admissions(session: Session, *, today: date, who: Who) -> int:
    """The daily run: members whose admission period ended before ``today`` leave (退库),
    certified ones with reason ``certified``, the others ``lapsed``; one event each."""
    rows = session.scalars(
        select(PoolMembership)
        .where(PoolMembership.valid_until.is_not(None), PoolMembership.valid_until < today,
               PoolMembership.stage.not_in([s.value for s in CLOSED_STAGES]))
        .order_by(PoolMembership.id)).all()
    for membership in rows:
        enterprise = session.get(Enterprise, membership.enterprise_id, with_for_update=True)
        assert enterprise is not None
        reason = exit_reason_on_lapse(membership.stage)
        apply_move(session, enterprise, membership, Stage.WITHDRAWN,
                   Who(actor=who.actor, request_id=who.request_id,
                       reason=f"入库有效期至 {membership.valid_until} 届满，自动退库 / Admission "
                              f"valid until {membership.valid_until} ended: automatic exit"),
                   exit_reason=reason)
    return len(rows)
