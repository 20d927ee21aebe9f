"""``scoring.eligibility.changed``: what moved, by how much, and why — into the outbox.

The payload says before/after verdicts, the score, which criteria were newly met or lost
(ids, and the met ones' titles in both languages) and the rulebook version with its official
documents (so a notice names 国科发政〔2017〕115号, not ``tech_sme@2017-05-03``); ``before``
is None on a first evaluation.
It is written with the shared ``add_event`` in the caller's transaction; ``scoring.relay``
publishes it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from scoring.domain.outcome import ScoreRange
from scoring.domain.outcome import TierOutcome
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
    uscc: str,
    tier: str,
    after: TierOutcome,
    before: TierOutcome | None,
    enterprise_name: str,
    as_of: date,
    correlation_id: str | None,
) -> None:
    """Write one EligibilityChanged for an outcome whose verdict moved (or first news)."""
    met, lost = criteria_moves(before, after)
    payload = EligibilityChangedPayload(
        uscc=uscc,
        enterprise_name=enterprise_name,
        tier=tier,
        before=before.verdict if before else None,
        after=after.verdict,
        score=_score(after.score),
        criteria_gained=tuple(met),
        criteria_lost=tuple(lost),
        rulebook_version=after.rulebook_version,
        as_of=as_of,
        criteria_gained_titles=criterion_titles(after, met),
        rulebook_documents=documents_of(after.rulebook_version),
    )
    event = EligibilityChanged(correlation_id=correlation_id, payload=payload)
    add_event(session, outbox, event)


def _score(score: ScoreRange | None) -> Score | None:
    if score is None or score.min is None or score.max is None:
        return None
    return Score(min=score.min, max=score.max, pass_mark=score.pass_mark, out_of=score.out_of)
