"""A tier's outcome, typed: what the service reads of a result once it has been evaluated.

Two sources give the same ``TierOutcome``: a fresh ``TierResult`` (``TierResult.outcome()``,
built from its rows) and a stored answer (``TierOutcome.from_json``, the one place the JSON
column is read back). Everything downstream — rank keys, the eligibility event, the impact of
a re-evaluation, the export — reads these fields, never the answer's keys. Figures are the
ones the answer shows (a ratio in percent, rounded as displayed), so a stored and a fresh
outcome of the same result are equal and rank alike.

Also here, the comparisons of two outcomes of one tier: which criteria were newly met or lost
(``criteria_moves``) and their titles (``criterion_titles``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

from yumiao_common.contracts.scoring import CriterionTitle


def to_decimal(value: Any) -> Decimal | None:
    """A Decimal from an answer's figure (number, decimal string, or {"value": ...}); else None."""
    kind = type(value)
    if kind is str or kind is int:  # most figures: Decimal(value) == Decimal(str(value))
        try:
            return Decimal(value)
        except (InvalidOperation, ValueError):
            return None
    if isinstance(value, Mapping):
        value = value.get("value", value.get("amount"))
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@dataclass(frozen=True, slots=True)
class Title:
    """A criterion's title in both languages."""

    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class CriterionOutcome:
    """One criterion of an outcome: its status, its figures as shown, its gap in words."""

    id: str
    status: str
    title: Title | None
    #: The figure and the requirement as the answer shows them (percent for ratios); None
    #: when either is not one number (yes/no, a range, missing).
    actual: Decimal | None
    required: Decimal | None
    #: The gap in Chinese words ("" when the criterion has no gap amount).
    gap_text_zh: str = ""

    @property
    def title_zh(self) -> str:
        """The Chinese title, or the id when there is none."""
        return self.title.zh if self.title is not None and self.title.zh else self.id

    @classmethod
    def from_json(cls, criterion: Mapping[str, Any]) -> CriterionOutcome:
        title = criterion.get("title")
        gap = criterion.get("gap")
        text = ""
        if isinstance(gap, Mapping):
            text = str(gap.get("text_zh") or gap.get("text") or "")
        return cls(
            id=str(criterion.get("id") or ""),
            status=str(criterion.get("status")),
            title=Title(str(title.get("zh") or ""), str(title.get("en") or ""))
            if isinstance(title, Mapping) else None,
            actual=to_decimal(criterion.get("actual")),
            required=to_decimal(criterion.get("required")),
            gap_text_zh=text,
        )


@dataclass(frozen=True, slots=True)
class ScoreRange:
    """A scored tier's points: the range (an estimate when expert-graded items are open)."""

    min: Decimal | None
    max: Decimal | None
    pass_mark: Decimal | None = None
    out_of: Decimal | None = None

    @property
    def mid(self) -> Decimal | None:
        """Mid-point of the range (ranking uses the mid of an expert-graded estimate)."""
        low, high = self.min, self.max
        if low is None or high is None:
            return low if high is None else high
        return (low + high) / 2

    @classmethod
    def from_json(cls, score: Mapping[str, Any] | None) -> ScoreRange | None:
        if not score:
            return None
        return cls(to_decimal(score.get("min")), to_decimal(score.get("max")),
                   to_decimal(score.get("pass_mark")), to_decimal(score.get("out_of")))


@dataclass(frozen=True, slots=True)
class TierOutcome:
    """The outcome of one tier for one enterprise (see the module docstring)."""

    tier: str
    verdict: str
    route: str | None
    score: ScoreRange | None
    criteria: tuple[CriterionOutcome, ...]
    #: Review criteria the verdict waits for; None when the rulebook has none (see ``engine``).
    pending_review: tuple[str, ...] | None
    rulebook_version: str
    uses_local_parameter: bool

    @property
    def pending_review_only(self) -> bool:
        """``unknown`` only because review items are open (the engine names the route)."""
        return self.verdict == "unknown" and bool(self.pending_review) and bool(self.route)

    def statuses(self) -> dict[str, str]:
        """Criterion id → status."""
        return {c.id: c.status for c in self.criteria}

    @classmethod
    def from_json(cls, answer: Mapping[str, Any]) -> TierOutcome:
        """The outcome of a stored answer (``TierResult.to_dict()`` as kept in the database)."""
        pending = answer.get("pending_review")
        return cls(
            tier=str(answer.get("tier") or ""),
            verdict=str(answer.get("verdict", "unknown")),
            route=answer.get("route"),
            score=ScoreRange.from_json(answer.get("score")),
            criteria=tuple(CriterionOutcome.from_json(c) for c in answer.get("criteria") or ()),
            pending_review=None if pending is None else tuple(str(p) for p in pending),
            rulebook_version=str(answer.get("rulebook_version") or answer.get("rulebook") or ""),
            uses_local_parameter=bool(answer.get("uses_local_parameter")),
        )


def criteria_moves(
    before: TierOutcome | None, after: TierOutcome
) -> tuple[list[str], list[str]]:
    """(newly met, newly lost) criterion ids between two outcomes of one tier."""
    old, new = before.statuses() if before else {}, after.statuses()
    met = [cid for cid, status in new.items() if status == "pass" and old.get(cid) != "pass"]
    lost = [cid for cid, status in old.items() if status == "pass" and new.get(cid) != "pass"]
    return met, lost


def criterion_titles(outcome: TierOutcome, ids: list[str]) -> tuple[CriterionTitle, ...]:
    """The titles of these criteria in both languages (those that have both)."""
    wanted = set(ids)
    return tuple(
        CriterionTitle(id=c.id, zh=c.title.zh, en=c.title.en)
        for c in outcome.criteria
        if c.id in wanted and c.title is not None and c.title.zh and c.title.en
    )
