"""Announce every stored verdict again, unchanged: ``scoring.eligibility.changed`` with
``before == after``.

Why: a consumer that starts keeping verdicts after firms were evaluated (notify's tier
standings for the policy-window reminders, issue 14 item 5) has never heard the verdicts that
did not move since. An unchanged verdict is news to nobody else: notify sends a notice only
when a verdict *becomes* eligible, and the registry's readiness copy fills a missing row from
it but leaves a row already holding that verdict alone (its "changed since" stays the real
move). Events go to the outbox page by page (keyset on uscc, tier), each page in its own
transaction, so a run over every firm holds no long lock and a rerun only repeats harmless
news. ``scoring.relay`` publishes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy import tuple_
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from scoring.domain.rulebook import documents_of
from scoring.models import EnterpriseProfile
from scoring.models import Evaluation
from scoring.models import outbox
from yumiao_common.contracts.scoring import EligibilityChanged
from yumiao_common.contracts.scoring import EligibilityChangedPayload
from yumiao_common.contracts.scoring import Score
from yumiao_common.messaging.outbox import add_event


def _pages(factory: sessionmaker[Session], size: int) -> Iterator[int]:
    after: tuple[str, str] | None = None
    while True:
        with factory.begin() as session:
            stmt = (select(Evaluation, EnterpriseProfile.name)
                    .join(EnterpriseProfile, EnterpriseProfile.uscc == Evaluation.uscc)
                    .order_by(Evaluation.uscc, Evaluation.tier).limit(size))
            if after is not None:
                stmt = stmt.where(tuple_(Evaluation.uscc, Evaluation.tier) > after)
            rows = session.execute(stmt).all()
            for evaluation, name in rows:
                _announce(session, evaluation, name)
        if not rows:
            return
        after = (rows[-1][0].uscc, rows[-1][0].tier)
        yield len(rows)


def _score(result: dict[str, Any]) -> Score | None:
    try:
        return Score.model_validate(result.get("score"))
    except ValidationError:
        return None


def _announce(session: Session, evaluation: Evaluation, name: str) -> None:
    """The news as of the evaluation (``occurred_at`` = when it was made, not now), so a
    reader that keeps the newest never lets it overtake a later real move."""
    add_event(session, outbox, EligibilityChanged(
        occurred_at=evaluation.evaluated_at, payload=EligibilityChangedPayload(
            uscc=evaluation.uscc, enterprise_name=name or evaluation.uscc, tier=evaluation.tier,
            before=evaluation.verdict, after=evaluation.verdict,  # type: ignore[arg-type]
            score=_score(evaluation.result or {}), rulebook_version=evaluation.rulebook_version,
            as_of=evaluation.evaluated_at.date(),
            rulebook_documents=documents_of(evaluation.rulebook_version),
        )))


def announce_verdicts(factory: sessionmaker[Session], *, page_size: int = 1000) -> int:
    """Write one unchanged-verdict event per stored evaluation; returns how many."""
    return sum(_pages(factory, page_size))
