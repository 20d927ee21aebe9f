"""Load the active policy catalogue as detached ``PolicyView``s for the decision rules.

A policy with application batches is judged by the batch open today or next (else its last
one), so a notice quotes the live deadline however long ago the batches were saved; one
without batches keeps its single legacy window.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from notify.domain.decisions import PolicyView
from notify.domain.windows import current_or_next
from notify.models.policy import Policy
from yumiao_common.clock import beijing_day
from yumiao_common.clock import utcnow


def _window(p: Policy) -> tuple[date | None, date | None]:
    if not p.windows:
        return p.window_opens, p.window_closes
    live = current_or_next(p.windows, beijing_day(utcnow())) or p.windows[-1]
    return live.opens_on, live.closes_on


def view_of(p: Policy) -> PolicyView:
    """A detached view of ``p``, judged by its batch open today or next."""
    opens, closes = _window(p)
    return PolicyView(
        code=p.code, trigger=p.trigger, tier=p.tier, pool=p.pool, name_zh=p.name_zh,
        name_en=p.name_en, benefit_zh=p.benefit_zh, benefit_en=p.benefit_en,
        amount_yuan=p.amount_yuan, amount_note=p.amount_note, window_opens=opens,
        window_closes=closes, contact=p.contact, source_document=p.source_document,
    )


def active_policies(session: Session) -> list[PolicyView]:
    rows = session.scalars(select(Policy).where(Policy.status == "active").order_by(Policy.code))
    return [view_of(p) for p in rows]
