"""Load the active policy catalogue as detached ``PolicyView``s for the decision rules."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from notify.domain.decisions import PolicyView
from notify.models.policy import Policy


def active_policies(session: Session) -> list[PolicyView]:
    rows = session.scalars(select(Policy).where(Policy.status == "active").order_by(Policy.code))
    return [
        PolicyView(
            code=p.code, trigger=p.trigger, tier=p.tier, pool=p.pool, name_zh=p.name_zh,
            name_en=p.name_en, benefit_zh=p.benefit_zh, benefit_en=p.benefit_en,
            amount_yuan=p.amount_yuan, amount_note=p.amount_note, window_opens=p.window_opens,
            window_closes=p.window_closes, contact=p.contact, source_document=p.source_document,
        )
        for p in rows
    ]
