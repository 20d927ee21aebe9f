"""``scoring.eligibility.changed``: what moved, by how much, and why — into the outbox.

The payload says before/after verdicts, the score, which criteria were newly met or lost
(ids, and the met ones' titles in both languages) and the rulebook version with its official
documents (so a notice names 国科发政〔2017〕115号, not ``tech_sme@2017-05-03``); ``before``
is None on a first evaluation.
The caller writes a batch's events with the shared ``add_events`` (one executemany, not one
INSERT per moved verdict) in its transaction; ``scoring.relay`` publishes them.
"""

from __future__ import annotations

from datetime import date

from scoring.domain.outcome import ScoreRange
from scoring.domain.outcome import TierOutcome
from scoring.domain.outcome import criteria_moves
from scoring.domain.outcome import criterion_titles
from scoring.domain.rulebook import documents_of
from yumiao_common.contracts.scoring import EligibilityChanged
from yumiao_common.contracts.scoring import EligibilityChangedPayload
from yumiao_common.contracts.scoring import Score


def eligibility_changed(
    *,
    uscc: str,
    tier: str,
    after: TierOutcome,
    before: TierOutcome | None,
    enterprise_name: str,
    as_of: date,
    correlation_id: str | None,
) -> EligibilityChanged:
    """The EligibilityChanged of an outcome whose verdict moved (or first news)."""
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
    return EligibilityChanged(correlation_id=correlation_id, payload=payload)


def _score(score: ScoreRange | None) -> Score | None:
    if score is None or score.min is None or score.max is None:
        return None
    return Score(min=score.min, max=score.max, pass_mark=score.pass_mark, out_of=score.out_of)
