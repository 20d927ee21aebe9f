"""``scoring.eligibility.changed``: what moved, by how much, and why — into the outbox.

The payload says before/after verdicts, the score, which criteria were newly met or lost
(ids, and the met ones' titles in both languages) and the rulebook version with its official
documents (so a notice names 国科发政〔2017〕115号, not ``tech_sme@2017-05-03``); ``before``
is None on a first evaluation.
It is written with the shared ``add_event`` in the caller's transaction; ``scoring.relay``
publishes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from scoring.domain.outcome import criteria_moves
from scoring.domain.outcome import criterion_titles
from scoring.domain.rulebook import documents_of
from scoring.models import outbox
from yumiao_common.contracts.scoring import EligibilityChanged
from yumiao_common.contracts.scoring import EligibilityChangedPayload
from yumiao_common.contracts.scoring import Score
from yumiao_common.messaging.outbox import add_event


def emit_eligibility_changed(
    session: Session,
    *,
    row: Mapping[str, Any],
    before: Mapping[str, Any] | None,
    enterprise_name: str,
    as_of: date,
    correlation_id: str | None,
) -> None:
    """Write one EligibilityChanged for a stored row whose verdict moved (or first news)."""
    after = row["result"]
    met, lost = criteria_moves(before, after)
    payload = EligibilityChangedPayload(
        uscc=row["uscc"],
        enterprise_name=enterprise_name,
        tier=row["tier"],
        before=before.get("verdict") if before else None,
        after=row["verdict"],
        score=_score(after.get("score")),
        criteria_gained=tuple(met),
        criteria_lost=tuple(lost),
        rulebook_version=row["rulebook_version"],
        as_of=as_of,
        criteria_gained_titles=criterion_titles(after, met),
        rulebook_documents=documents_of(str(row["rulebook_version"])),
    )
    event = EligibilityChanged(correlation_id=correlation_id, payload=payload)
    add_event(session, outbox, event)


def _score(score: Mapping[str, Any] | None) -> Score | None:
    if not score or score.get("min") is None or score.get("max") is None:
        return None
    return Score.model_validate(score)
