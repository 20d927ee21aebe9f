"""Certificates and the pipeline kept consistent (issue 12 item 3).

A certificate recorded (or corrected) so that the enterprise holds a pool's title carries an
admitted member of that pool on to ``certified`` along the state machine's legal moves; a
title that stops being held (the certificate expired, was revoked — deleted — or corrected
away) reopens a ``certified`` member to ``cultivating``. Every step is an ordinary pipeline
move: history, audit row and ``registry.pipeline.moved`` event, with the reason saying which
certificate caused it. The certificate handlers call this after every change; the daily
lifecycle command calls it for expiries, which happen without anyone writing.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.domain.pipeline import POOLS
from registry.domain.pipeline import certificate_effect
from registry.handlers.journal import Who
from registry.handlers.pipeline import apply_move
from registry.handlers.pipeline import holds_title
from registry.models import Certification
from registry.models import Enterprise
from registry.models import PoolMembership
from yumiao_common.clock import beijing_today


def _reason(holds: bool, certificate: Certification | None) -> str:
    number = f" {certificate.number}" if certificate is not None and certificate.number else ""
    if holds:
        return f"登记认定证书{number}，自动流转至认定 / Certificate{number} recorded: certified"
    return ("认定证书已失效（到期或撤销），重新进入培育 / The certificate is no longer valid "
            "(expired or revoked): back to cultivating")


def reconcile_titles(
    session: Session, *, enterprise: Enterprise, who: Who, today: date | None = None,
    certificate: Certification | None = None,
) -> list[PoolMembership]:
    """Move the enterprise's members whose stage disagrees with the titles it holds; returns
    the memberships moved. ``certificate`` (the one just changed) names the cause."""
    today = today or beijing_today()
    memberships = session.scalars(
        select(PoolMembership).where(PoolMembership.enterprise_id == enterprise.id)
        .order_by(PoolMembership.id).with_for_update()
    ).all()
    moved = []
    for membership in memberships:
        tier = POOLS[membership.pool].tier if membership.pool in POOLS else None
        if tier is None:
            continue
        holds = holds_title(session, enterprise, tier, today)
        steps = certificate_effect(membership.stage, holds)
        for step in steps:
            apply_move(session, enterprise, membership, step,
                       Who(actor=who.actor, reason=_reason(holds, certificate),
                           request_id=who.request_id))
        if steps:
            moved.append(membership)
    return moved


def reconcile_certified_members(session: Session, *, who: Who, today: date) -> int:
    """The daily run: every enterprise with a member whose stage may disagree with its titles
    (certified members whose title may have lapsed, admitted members that may hold it)."""
    ids = session.scalars(
        select(PoolMembership.enterprise_id)
        .where(PoolMembership.stage.in_(("admitted", "cultivating", "applied", "certified")),
               PoolMembership.pool.in_([k for k, p in POOLS.items() if p.tier]))
        .distinct().order_by(PoolMembership.enterprise_id)
    ).all()
    moved = 0
    for enterprise_id in ids:
        enterprise = session.get(Enterprise, enterprise_id, with_for_update=True)
        if enterprise is not None:
            moved += len(reconcile_titles(session, enterprise=enterprise, who=who, today=today))
    return moved
