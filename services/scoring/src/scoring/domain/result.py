"""The result of one tier for one profile (``TierResult``) and the JSON answers built from it.

``TierResult`` is what the engine produces: typed, lazy (its rows are plain tuples; gap
amounts, texts and next steps are computed only when read). It stays typed while the service
works with it (rank keys, stored columns, eligibility events) and becomes JSON only where it
leaves: ``to_dict()`` — the full answer, also the stored ``evaluation.result`` — and
``to_summary()`` — the compact what-if view. Answers are assembled here from the criterion
views of ``gaps`` and the steps of ``next_steps``; neither of them imports this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from typing import Any

from scoring.domain.factinfo import resolve_gap
from scoring.domain.facts import Facts
from scoring.domain.gaps import Texts
from scoring.domain.gaps import criterion_dict
from scoring.domain.gaps import criterion_summary
from scoring.domain.gaps import gap_texts
from scoring.domain.gaps import show
from scoring.domain.gaps import shown_figures
from scoring.domain.next_steps import next_steps
from scoring.domain.outcome import CriterionOutcome
from scoring.domain.outcome import ScoreRange
from scoring.domain.outcome import TierOutcome
from scoring.domain.outcome import Title
from scoring.domain.outcome import to_decimal
from scoring.domain.verdict import NEAR
from scoring.domain.verdict import CriterionResult
from scoring.domain.verdict import Row
from scoring.domain.verdict import Step
from scoring.domain.verdict import Verdict


@dataclass(slots=True)
class TierResult:
    """Outcome of one tier for one profile; ``to_dict()`` is the JSON the API returns."""

    tier: str
    rulebook_version: str
    verdict: Verdict
    route: str | None
    score_min: Decimal | None
    score_max: Decimal | None
    pass_mark: Decimal | None
    out_of: Decimal | None
    rows: list[Row]
    facts: Facts = field(repr=False)
    title_zh: str = ""
    title_en: str = ""
    #: Ids of the review criteria the verdict waits for (see ``engine``); None when the
    #: rulebook has no review criterion (its answers then carry no ``pending_review`` key).
    pending_review: list[str] | None = None
    #: Why a rulebook other than the one in force on ``as_of`` applied (a 2026 re-review
    #: judged on the 2022 standard): ``{zh, en, citation}``; None when the one in force did.
    rulebook_basis: dict[str, str] | None = None

    _resolved: list[Row] | None = field(default=None, init=False, repr=False, compare=False)

    def resolved(self) -> list[Row]:
        """Rows with every gap amount computed (they are left out on the hot path).

        Computed once per result: ``to_dict()`` and ``next_steps`` both need them.
        """
        if self._resolved is None:
            facts = self.facts
            self._resolved = [resolve_gap(row, facts) for row in self.rows]
        return self._resolved

    @property
    def criteria(self) -> list[CriterionResult]:
        return [CriterionResult(*row) for row in self.resolved()]

    @property
    def uses_local_parameter(self) -> bool:
        return any(row[0].local_params for row in self.rows)

    @property
    def next_steps(self) -> list[Step]:
        return next_steps(self)

    def outcome(self) -> TierOutcome:
        """The typed outcome the service works with (equal to the stored answer's, see
        ``scoring.domain.outcome``): figures as the answer shows them, gaps in words."""
        criteria = []
        for row in self.resolved():
            spec = row[0]
            actual, required = shown_figures(row)
            criteria.append(CriterionOutcome(
                spec.id, row[1], Title(spec.title_zh, spec.title_en), to_decimal(actual),
                to_decimal(required), gap_texts(row)[0] if row[6] is not None else ""))
        return self._outcome(tuple(criteria))

    def answer_and_outcome(self) -> tuple[dict[str, Any], TierOutcome]:
        """``to_dict()`` and ``outcome()`` at once, what storing an evaluation needs.

        The outcome's figures and gap texts are read off the answer's criteria, which show
        exactly them (``gaps._fill`` and ``gaps.shown_figures`` format a row alike), instead
        of formatting every row a second time (issue 16: a third of the outcome's cost)."""
        answer = self.to_dict()
        criteria = tuple(
            _criterion_outcome(row, shown)
            for row, shown in zip(self.resolved(), answer["criteria"], strict=True))
        return answer, self._outcome(criteria)

    def _outcome(self, criteria: tuple[CriterionOutcome, ...]) -> TierOutcome:
        score = None
        if self.pass_mark is not None:
            score = ScoreRange(*(to_decimal(show(v, "points")) for v in (
                self.score_min, self.score_max, self.pass_mark, self.out_of)))
        return TierOutcome(
            self.tier, self.verdict, self.route, score, criteria,
            None if self.pending_review is None else tuple(self.pending_review),
            self.rulebook_version, self.uses_local_parameter,
        )

    def to_dict(self) -> dict[str, Any]:
        """The full answer: every criterion of the tier (stored, and the default API view).

        A ``near`` answer also states the rule that made it near (``near_rule``).
        """
        return _with_basis(_with_near_rule(result_to_dict(self), self.verdict), self)

    def to_summary(self) -> dict[str, Any]:
        """The compact answer (``?view=summary``): only criteria not passed; see ``gaps``."""
        return _with_basis(_with_near_rule(result_to_summary(self), self.verdict), self)


def _criterion_outcome(row: Row, shown: dict[str, Any]) -> CriterionOutcome:
    """A row's outcome from its criterion in the full answer (figures as shown there)."""
    spec, gap = row[0], shown["gap"]
    return CriterionOutcome(
        spec.id, row[1], Title(spec.title_zh, spec.title_en), to_decimal(shown["actual"]),
        to_decimal(shown["required"]), gap["text_zh"] if gap is not None else "")


def _with_basis(answer: dict[str, Any], result: TierResult) -> dict[str, Any]:
    """``answer`` with ``rulebook_basis`` when a rulebook other than the one in force on
    ``as_of`` applied (see ``scoring.domain.rereview``)."""
    if result.rulebook_basis is not None:
        answer["rulebook_basis"] = dict(result.rulebook_basis)
    return answer


def _with_near_rule(answer: dict[str, Any], verdict: Verdict) -> dict[str, Any]:
    """``answer`` with ``near_rule`` right after ``verdict`` when the verdict is ``near``."""
    if verdict != "near":
        return answer
    out: dict[str, Any] = {}
    for key, value in answer.items():
        out[key] = value
        if key == "verdict":
            out["near_rule"] = NEAR.to_dict()
    return out


def _score(result: TierResult) -> dict[str, Any] | None:
    if result.pass_mark is None:
        return None
    return {"min": show(result.score_min, "points"), "max": show(result.score_max, "points"),
            "pass_mark": show(result.pass_mark, "points"),
            "out_of": show(result.out_of, "points"),
            "estimate": result.score_min != result.score_max}  # fmt: skip


def _params(result: TierResult) -> list[str]:
    return sorted({p for row in result.rows for p in row[0].local_params})


def result_to_dict(result: TierResult) -> dict[str, Any]:
    """The full view: every criterion of the tier (also what is stored per evaluation)."""
    texts: Texts = {}
    rows = result.resolved()
    criteria = [criterion_dict(row, texts) for row in rows]
    params = _params(result)
    out = {
        "tier": result.tier, "title": {"zh": result.title_zh, "en": result.title_en},
        "verdict": result.verdict, "route": result.route, "score": _score(result),
        "criteria": criteria,
        "next_steps": [s.to_dict() for s in next_steps(result, texts)],
        "rulebook_version": result.rulebook_version,
        "uses_local_parameter": bool(params), "local_parameters": params,
    }  # fmt: skip
    return out if result.pending_review is None else _with_pending(out, result.pending_review)


def _with_pending(out: dict[str, Any], pending: list[str]) -> dict[str, Any]:
    """``out`` with ``pending_review`` inserted right after ``next_steps``."""
    d: dict[str, Any] = {}
    for key, value in out.items():
        d[key] = value
        if key == "next_steps":
            d["pending_review"] = list(pending)
    return d


def result_to_summary(result: TierResult) -> dict[str, Any]:
    """The compact view (``POST /evaluate?view=summary``) for phones and the self-check.

    Same keys as the full view plus ``counts``; ``criteria`` lists only the criteria whose
    status is ``fail`` or ``unknown`` (in rulebook order), each with the full view's fields
    except ``points``, ``points_max``, ``uses_local_parameter`` and ``local_parameters``
    (``confirmed`` is kept: a reader must see an unconfirmed condition); passing criteria are
    only counted:
    ``counts = {"pass": n, "fail": n, "unknown": n}`` (plus ``"review": n`` and the
    ``pending_review`` list when the rulebook has review criteria). ``verdict``, ``route``,
    ``score``, ``next_steps``, ``pending_review`` and the tier's ``uses_local_parameter`` /
    ``local_parameters`` are exactly those of the full view.
    """
    texts: Texts = {}
    counts = {"pass": 0, "fail": 0, "unknown": 0}
    if result.pending_review is not None:
        counts["review"] = 0
    criteria = []
    for row in result.resolved():
        status = row[1]
        counts[status] += 1
        if status != "pass":
            criteria.append(criterion_summary(row, texts))
    params = _params(result)
    out = {
        "tier": result.tier, "title": {"zh": result.title_zh, "en": result.title_en},
        "verdict": result.verdict, "route": result.route, "score": _score(result),
        "criteria": criteria, "counts": counts,
        "next_steps": [s.to_dict() for s in next_steps(result, texts)],
        "rulebook_version": result.rulebook_version,
        "uses_local_parameter": bool(params), "local_parameters": params,
    }  # fmt: skip
    return out if result.pending_review is None else _with_pending(out, result.pending_review)
