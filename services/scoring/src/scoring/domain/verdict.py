"""The types every part of the engine shares: statuses, criterion specs, result rows, steps.

Evaluation is the hot path (100,000 profiles × 8 tiers in the benchmark), so a criterion's
outcome is a plain tuple ``Row`` and everything users read — texts, percentages, gaps in
words, next steps — is produced lazily from a ``TierResult`` (``scoring.domain.result``).
The rules, the engine, ``gaps`` and ``next_steps`` import these types; this module imports
none of them, so the engine's modules depend on each other one way only. ``ResultView`` is what
``gaps`` and ``next_steps`` read of a tier result (``TierResult`` has it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from typing import TYPE_CHECKING
from typing import Any
from typing import Literal
from typing import Protocol

if TYPE_CHECKING:
    from scoring.domain.facts import Facts

Status = Literal["pass", "fail", "unknown", "review"]
PASS: Status = "pass"
FAIL: Status = "fail"
UNKNOWN: Status = "unknown"
#: An official criterion the profile cannot decide (qualitative, or a route whose figures the
#: profile does not carry): it needs an expert's or the bureau's review; see ``engine``.
REVIEW: Status = "review"
Verdict = Literal["eligible", "ineligible", "near", "unknown"]

#: (points after the change, amount needed in the gap unit) for each better band of an item.
Improve = Callable[["Facts"], list[tuple[Decimal, Decimal]]]


@dataclass(frozen=True, slots=True)
class NearRule:
    """When an ineligible tier is ``near`` — within reach this year (see ``engine``).

    The numbers are the rule's parameters: at most ``max_failed`` criteria fail, each closable
    within a fiscal year and short by at most ``max_shortfall`` of its requirement (or by
    ``max_ip_items`` IP items), and a failing score lies at most ``score_margin`` of the
    pass mark below it.
    """

    max_failed: int = 2
    max_shortfall: Decimal = Decimal("0.25")
    max_ip_items: int = 1
    score_margin: Decimal = Decimal("0.10")

    def to_dict(self) -> dict[str, Any]:
        """The rule as the answer states it (``near_rule`` of a ``near`` tier)."""
        short = format(self.max_shortfall * 100, "f").rstrip("0").rstrip(".")
        margin = format(self.score_margin * 100, "f").rstrip("0").rstrip(".")
        return {
            "max_failed": self.max_failed, "max_shortfall_pct": short,
            "max_ip_items": self.max_ip_items, "score_margin_pct": margin,
            "text_zh": (f"差距较小：不符合的条件不超过{self.max_failed}项，每项均可在一个会计年度内"
                        f"补足（资金、人员或知识产权），且差额不超过要求值的{short}%"
                        f"（知识产权不超过{self.max_ip_items}项）；评分低于及格线不超过及格线的"
                        f"{margin}%"),
            "text_en": (f"Near miss: at most {self.max_failed} criteria not met, each closable "
                        f"within one fiscal year (money, staff or IP) and short by at most "
                        f"{short}% of its requirement (at most {self.max_ip_items} IP item); "
                        f"a score at most {margin}% of the pass mark below it"),
        }  # fmt: skip


#: The rule every ``near`` verdict is decided by (``engine``) and states (``near_rule``).
NEAR = NearRule()


@dataclass(frozen=True, slots=True)
class Spec:
    """Everything static about one criterion of one rulebook (built once at load time)."""

    id: str
    title_zh: str
    title_en: str
    citation: str
    role: str  # "gate" | "score" | "route" (a condition of ``route``)
    route: str | None
    unit: str  # unit of actual/required: ratio, yuan, people, ip_items, years, days, points…
    gap_unit: str
    what_zh: str
    what_en: str
    requirement: str
    local_params: tuple[str, ...] = ()
    confirmed: bool = True
    points_max: Decimal | None = None
    group: str | None = None
    improve: Improve | None = field(default=None, compare=False)
    reach: Decimal | None = None  # best points reachable by closable changes (near verdict)
    fact: str | None = None  # the derived fact the gap is measured on
    #: Units of actual/required for rows carrying a note (rulebook ``unit_by_note``): a band
    #: judged on another figure, e.g. 小巨人 2022 x_rd's small-revenue band in yuan.
    note_units: tuple[tuple[str, str], ...] = ()
    #: The JSON-ready static parts of this criterion (id, title, citation, units…), built
    #: once on first use by ``gaps`` — never compared, never passed to the constructor.
    view: Any = field(default=None, init=False, compare=False, repr=False)


# (spec, status, actual, required, points_min, points_max, gap, closable, note)
Row = tuple[Spec, Status, Any, Any, Decimal | None, Decimal | None, Decimal | None, bool, str]


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """A readable view of one row (built on demand, never on the hot path)."""

    spec: Spec
    status: Status
    actual: Any
    required: Any
    points_min: Decimal | None
    points_max: Decimal | None
    gap: Decimal | None
    closable: bool
    note: str

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass(frozen=True, slots=True)
class Step:
    """One change of a ``next_steps`` list; ``amount`` is None when it is not a quantity."""

    criterion: str
    amount: Decimal | None
    unit: str
    text_zh: str
    text_en: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "amount": None if self.amount is None else format(self.amount.normalize(), "f"),
            "unit": self.unit,
            "text_zh": self.text_zh,
            "text_en": self.text_en,
        }


class ResultView(Protocol):
    """What the readers of a tier's result (``gaps``, ``next_steps``) need of it."""

    tier: str
    rulebook_version: str
    verdict: Verdict
    route: str | None
    score_min: Decimal | None
    score_max: Decimal | None
    pass_mark: Decimal | None
    out_of: Decimal | None
    rows: list[Row]
    facts: Facts
    title_zh: str
    title_en: str
    pending_review: list[str] | None

    def resolved(self) -> list[Row]:
        """The rows with every gap amount computed."""
        ...
