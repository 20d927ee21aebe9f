"""Readiness order of a ranking: who is closest to a tier, as integer sort keys.

Pure code (no Flask, no Session). Rankings are read with keyset pagination, so every row gets
three ascending integer keys computed once, when its evaluation is stored:

* ``rank_group`` — 0 eligible, 1 near (every failing criterion closable within a fiscal year),
  2 unknown (a fact is missing: it may be eligible once supplied), 3 ineligible;
* eligible: ``rank_a`` = −score (mid-point, thousandths), ``rank_b`` = 0 — best score first;
* others: ``rank_a`` = number of failing criteria, ``rank_b`` = the *normalised shortfall*:
  the sum over failing criteria of ``min(1, (required − actual) / required)`` in millionths,
  1 (a whole criterion) when the gap is not a number (a missing certificate, a yes/no gate).
  So a firm missing one criterion by 2 % ranks before one missing it by 40 %, and both before
  a firm missing two. Unknown criteria count in ``rank_a`` of the unknown group, and so do
  review criteria (status ``review``: not computable from a profile, see
  ``scoring.domain.engine``);
* ``unknown`` only pending review (the engine names a ``route`` and lists ``pending_review``:
  every computable condition of that route is met): group 0 right after every eligible firm,
  ``rank_a`` = number of review items (≥ 1, while eligible keys are ≤ 0), ``rank_b`` = −score.
  Such a firm is closer to the tier than any near miss, but it is never reported eligible.

The numbers are Decimal throughout and only the final keys are integers (exact at band edges).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from scoring.domain.outcome import CriterionOutcome
from scoring.domain.outcome import TierOutcome

GROUPS: dict[str, int] = {"eligible": 0, "near": 1, "unknown": 2, "ineligible": 3}
_OPEN = frozenset({"unknown", "review"})
_MILLI = Decimal(1000)
_MICRO = Decimal(1_000_000)


@dataclass(frozen=True, slots=True)
class RankKey:
    """Sort keys and summary figures of one stored evaluation."""

    group: int
    a: int
    b: int
    score_milli: int | None
    failing: int


def decimal_text(value: Decimal) -> str:
    """A decimal as plain digits, never exponent notation (70, not 7E+1), trailing zeros cut."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def relative_shortfall(criterion: CriterionOutcome) -> Decimal:
    """How far a failing criterion is from its requirement, as a share in [0, 1]."""
    actual, required = criterion.actual, criterion.required
    if actual is None or required is None or required <= 0:
        return Decimal(1)
    return min(Decimal(1), max(Decimal(0), (required - actual) / required))


def rank_key(outcome: TierOutcome) -> RankKey:
    """The readiness keys of one tier's outcome."""
    failing = [c for c in outcome.criteria if c.status == "fail"]
    unknown = sum(1 for c in outcome.criteria if c.status in _OPEN)
    mid = outcome.score.mid if outcome.score is not None else None
    score_milli = int((mid * _MILLI).to_integral_value()) if mid is not None else None
    shortfall = int((sum((relative_shortfall(c) for c in failing), Decimal(0)) * _MICRO)
                    .to_integral_value())
    group = GROUPS.get(outcome.verdict, 3)
    if group == 2 and outcome.pending_review and outcome.route:
        return RankKey(0, len(outcome.pending_review), -(score_milli or 0), score_milli,
                       len(failing))
    if group == 0:
        return RankKey(group, -(score_milli or 0), 0, score_milli, 0)
    if group == 2:
        return RankKey(group, unknown + len(failing), shortfall, score_milli, len(failing))
    return RankKey(group, len(failing), shortfall, score_milli, len(failing))


def ranking_parts(answer: Mapping[str, Any] | None) -> dict[str, Any]:
    """What a ranking row shows of a stored answer: its score, the criteria it fails (``gaps``:
    id, title, gap), the criteria the profile cannot decide yet (``to_collect``: 信息不足, the
    data the bureau has to collect) and, for tiers with review criteria, ``pending_review``."""
    answer = answer or {}
    criteria = answer.get("criteria") or ()
    parts: dict[str, Any] = {
        "score": answer.get("score"),
        "gaps": [{"id": c.get("id"), "title": c.get("title"), "gap": c.get("gap")}
                 for c in criteria if c.get("status") == "fail"],
        "to_collect": [{"id": c.get("id"), "title": c.get("title")}
                       for c in criteria if c.get("status") in ("unknown", "review")],
    }
    if "pending_review" in answer:  # only tiers whose rulebook has review criteria
        parts["pending_review"] = answer["pending_review"]
    return parts
