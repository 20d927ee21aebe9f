"""Generic rule builders shared by every tier: thresholds, point ladders, alternatives, titles.

A builder turns one criterion of a rulebook file (its ``check`` name and ``args``, already
converted to Decimal) into a closure ``Facts -> Row``. Closures hold only what they need
(an attrgetter, an operator, a Decimal) so evaluating a criterion costs a comparison and a
tuple. Gaps are computed only on the failing path; texts only in ``to_dict()``.

A fact without a value is ``unknown`` — unless ``Facts.undefined`` says why it has none
although its figures are known (a ratio over a zero denominator, growth from a zero base):
the official text is silent there, so the criterion is ``review`` with that reason as its
note (``open_row``), never a silent pass, fail or +100 % (issue 8 item 5).

Operators: ``>=`` ``>`` ``<=`` ``<``. Ladders are ordered best band first and the first
matching step wins, so a value sitting exactly on a shared edge gets the higher-scoring band
whenever the data writes that edge inclusively (criteria.md §8.3).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import Decimal
from operator import attrgetter
from typing import Any

from scoring.domain.factinfo import FactInfo
from scoring.domain.factinfo import info
from scoring.domain.factinfo import shortfall
from scoring.domain.facts import Facts
from scoring.domain.verdict import FAIL
from scoring.domain.verdict import PASS
from scoring.domain.verdict import REVIEW
from scoring.domain.verdict import UNKNOWN
from scoring.domain.verdict import Row
from scoring.domain.verdict import Spec
from yumiao_common.contracts.profile import Review

Rule = Callable[[Facts], Row]
Builder = Callable[[Spec, dict[str, Any]], Rule]
OPS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt,
}  # fmt: skip
ZERO = Decimal(0)


def open_row(
    spec: Spec, f: Facts, fact: str, required: Any = None,
    lo: Decimal | None = None, hi: Decimal | None = None, actual: Any = None,
) -> Row:
    """The row of a criterion whose fact has no value: ``review`` with the reason when the
    value is undefined (``Facts.undefined``), else ``unknown`` (a figure is missing).

    A pass/fail criterion left to review is settled by a recorded outcome
    (``assessments.reviews[<criterion id>]``, as ``review`` criteria are); a scored item is
    not (an outcome gives no points: the experts' points do, where the profile has them)."""
    reason = f.undefined.get(fact) if f.undefined else None
    if reason:
        if f.reviews and lo is None and hi is None:
            recorded = f.reviews.get(spec.id)
            if recorded is not None:
                status = PASS if recorded.outcome == "pass" else FAIL
                done = settled(recorded)
                return (spec, status, done, required, None, None, None, False, "reviewed")
        return (spec, REVIEW, actual, required, lo, hi, None, False, reason)
    return (spec, UNKNOWN, actual, required, lo, hi, None, False, "")


def settled(recorded: Review) -> dict[str, Any]:
    """The ``actual`` of a row a recorded outcome settles: the outcome, its date and, when the
    reviewer cited one (issue 15 item 4), the evidence file (id, report, name, kind)."""
    done: dict[str, Any] = {"outcome": recorded.outcome,
                            "reviewed_on": recorded.reviewed_on.isoformat()}
    if recorded.evidence is not None:
        done["evidence"] = recorded.evidence.model_dump()
    return done


def upper(f: Facts, fact: str) -> Any:
    """The most ``fact`` could be when some items behind it are uncertain (an IP item whose
    grant or earlier HNTE use is not known: ``Facts.ip_open``); None when it is exact."""
    bounds = f.ip_open
    return None if bounds is None else bounds.get(fact)


def uncertain_row(spec: Spec, actual: Any, required: Any = None,
                  lo: Decimal | None = None, hi: Decimal | None = None) -> Row:
    """``unknown``: the known items fall short, the uncertain ones could close the gap."""
    return (spec, UNKNOWN, actual, required, lo, hi, None, False, IP_OPEN_NOTE)


#: The note of a criterion left open by IP items of unknown grant or earlier HNTE use
#: (its words are in ``readable.NOTES``).
IP_OPEN_NOTE = "ip_unconfirmed"


def fail_row(
    spec: Spec, f: Facts, fact: str | FactInfo, actual: Any, required: Decimal, op: str
) -> Row:
    """A failing row and whether it could be closed within a fiscal year (see ``factinfo``).

    The gap amount itself is computed only when someone reads it (``TierResult.resolved``),
    which keeps the hot path to a comparison.
    """
    fi = info(fact) if isinstance(fact, str) else fact
    closable = op in (">=", ">") and fi.closable and fi.mode != "none"
    if closable and fi.max_rel is not None:
        closable = required - actual <= fi.max_rel * required
    elif closable and fi.mode == "hire":
        closable = required < 1
    return (spec, FAIL, actual, required, None, None, None, closable, "")


def threshold(spec: Spec, args: dict[str, Any]) -> Rule:
    """``fact op value`` (e.g. employees ≤ 500; R&D ratio ≥ 5 %)."""
    fact, op_name, value = args["fact"], args["op"], args["value"]
    get, op, fi = attrgetter(fact), OPS[op_name], info(fact)

    gapless = fi.mode == "none"

    # The two common operators compare inline (no operator-function call on the hot path).
    def at_least(f: Facts) -> Row:
        actual = get(f)
        if actual is None:
            return open_row(spec, f, fact, value)
        if actual >= value:
            return (spec, PASS, actual, value, None, None, None, False, "")
        most = upper(f, fact)
        if most is not None and most >= value:
            return uncertain_row(spec, actual, value)
        if gapless:
            return (spec, FAIL, actual, value, None, None, None, False, "")
        return fail_row(spec, f, fi, actual, value, op_name)

    def at_most(f: Facts) -> Row:
        actual = get(f)
        if actual is None:
            return open_row(spec, f, fact, value)
        if actual <= value:
            return (spec, PASS, actual, value, None, None, None, False, "")
        return fail_row(spec, f, fi, actual, value, op_name)

    if op_name in (">=", "<="):
        return at_least if op_name == ">=" else at_most

    def rule(f: Facts) -> Row:
        actual = get(f)
        if actual is None:
            return open_row(spec, f, fact, value)
        if op(actual, value):
            return (spec, PASS, actual, value, None, None, None, False, "")
        return fail_row(spec, f, fi, actual, value, op_name)

    return rule


def is_true(spec: Spec, args: dict[str, Any]) -> Rule:
    """A boolean fact must be True (flags clear, tax method audited …)."""
    get = attrgetter(args["fact"])

    def rule(f: Facts) -> Row:
        value = get(f)
        status = UNKNOWN if value is None else PASS if value else FAIL
        return (spec, status, value, True, None, None, None, False, "")

    return rule


def any_of(spec: Spec, args: dict[str, Any]) -> Rule:
    """Any of several ``[fact, op, value]`` holds; the gap is that of the first (main) one."""
    alts = [(a[0], attrgetter(a[0]), a[1], OPS[a[1]], a[2]) for a in args["alternatives"]]
    fact0, get0, op0_name, _op0, value0 = alts[0]

    def rule(f: Facts) -> Row:
        open_fact = None
        for fact, get, _name, op, value in alts:
            actual = get(f)
            if actual is None:
                # a missing figure outranks an undefined one
                if open_fact is None or not (f.undefined and fact in f.undefined):
                    open_fact = fact
            elif op(actual, value):
                return (spec, PASS, get0(f), value0, None, None, None, False, "")
        actual0 = get0(f)
        if open_fact is not None:
            return open_row(spec, f, open_fact, value0, actual=actual0)
        return fail_row(spec, f, fact0, actual0, value0, op0_name)

    return rule


Step = tuple[str, Callable[[Facts], Any], Callable[[Any, Any], bool], Decimal, Decimal, Decimal]


def _steps(raw: list[list[Any]]) -> list[Step]:
    return [(s[0], attrgetter(s[0]), OPS[s[1]], s[2], s[3], s[4]) for s in raw]


def _climb(steps: list[Step]) -> Callable[[Facts], tuple[Any, Decimal | None, Decimal, str]]:
    """Walk a ladder: (actual of first step, points_min or None if undecided, points_max, fact)."""
    get0 = steps[0][1]

    def walk(f: Facts) -> tuple[Any, Decimal | None, Decimal, str]:
        top: Decimal | None = None
        for fact, get, op, edge, pmin, pmax in steps:
            value = get(f)
            if value is None:
                top = pmax if top is None else top
                continue
            most = upper(f, fact)
            if most is not None and not op(value, edge) and op(most, edge):
                top = pmax if top is None else top  # uncertain IP items may reach this band
                continue
            if op(value, edge):
                if top is not None:
                    return get0(f), None, top, fact
                return get0(f), pmin, pmax, fact
        return get0(f), (None if top is not None else ZERO), top or ZERO, ""

    return walk


def _improve(steps: list[Step]) -> Callable[[Facts], list[tuple[Decimal, Decimal]]]:
    """Options to reach each better band: (points after, amount in the fact's gap unit)."""

    def options(f: Facts) -> list[tuple[Decimal, Decimal]]:
        out = []
        for fact, get, _op, edge, _pmin, pmax in steps:
            fi, value = info(fact), get(f)
            if not fi.closable or value is None:
                continue
            amount = shortfall(fi, f, value, edge)
            if amount is not None and amount > 0:
                out.append((pmax, amount))
        return out

    return options


def ladder(spec: Spec, args: dict[str, Any]) -> Rule:
    """Points by the first matching step (``[fact, op, edge, points_min, points_max]``)."""
    raw = args["steps"]
    if len({s[0] for s in raw}) == 1 and {s[1] for s in raw} in ({">="}, {"<="}):
        return _one_fact_ladder(spec, raw)
    walk = _climb(_steps(raw))

    facts = [s[0] for s in raw]

    def floor(f: Facts) -> Decimal:
        """The points the known figures surely reach (the first band they meet)."""
        for fact, op_name, edge, pmin, _pmax in raw:
            value = getattr(f, fact)
            if value is not None and OPS[op_name](value, edge):
                return pmin
        return ZERO

    def rule(f: Facts) -> Row:
        actual, pmin, pmax, _hit = walk(f)
        if pmin is None:
            open_fact = next(
                (x for x in facts if getattr(f, x) is None and x not in (f.undefined or ())),
                next((x for x in facts if getattr(f, x) is None), None),
            )
            if open_fact is None:  # every figure known: uncertain IP items leave it open
                return uncertain_row(spec, actual, None, floor(f), pmax)
            return open_row(spec, f, open_fact, None, ZERO, pmax, actual)
        return (spec, PASS, actual, None, pmin, pmax, None, False, "")

    return rule


def _one_fact_ladder(spec: Spec, raw: list[list[Any]]) -> Rule:
    """The common ladder: one fact, one direction; compares inline, reads the fact once."""
    fact = raw[0][0]
    get = attrgetter(fact)
    bands = tuple((s[2], s[3], s[4]) for s in raw)
    top = max(s[4] for s in raw)
    higher = raw[0][1] == ">="

    def band(value: Any) -> tuple[Decimal, Decimal]:
        for edge, pmin, pmax in bands:
            if (value >= edge) if higher else (value <= edge):
                return pmin, pmax
        return ZERO, ZERO

    def rule(f: Facts) -> Row:
        value = get(f)
        if value is None:
            return open_row(spec, f, fact, None, ZERO, top)
        lo, hi = band(value)
        most = upper(f, fact) if higher else None
        if most is not None:
            best = band(most)
            if best != (lo, hi):  # uncertain IP items may reach a better band
                return uncertain_row(spec, value, None, lo, best[1])
        return (spec, PASS, value, None, lo, hi, None, False, "")

    return rule


def ladder_improve(args: dict[str, Any]) -> Callable[[Facts], list[tuple[Decimal, Decimal]]]:
    steps = _steps(args["steps"]) if "steps" in args else []
    for alt in args.get("ladders", ()):
        steps.extend(_steps(alt))
    return _improve(steps)


def best_of(spec: Spec, args: dict[str, Any]) -> Rule:
    """The better of several ladders (tech SME R&D: sales or cost ratio, 企业可择高分项).

    Each ladder is one fact banded in one direction (checked at load time); the note names
    the fact whose band was used.
    """
    ladders = []
    for raw in args["ladders"]:
        if len({s[0] for s in raw}) != 1 or {s[1] for s in raw} not in ({">="}, {"<="}):
            raise ValueError(f"{spec.id}: best_of needs one-fact, one-direction ladders")
        bands = tuple((s[2], s[3], s[4]) for s in raw)
        ladders.append((raw[0][0], attrgetter(raw[0][0]), bands, raw[0][1] == ">="))
    top = max(s[4] for raw in args["ladders"] for s in raw)

    def rule(f: Facts) -> Row:
        best_lo = best_hi = None
        best_value: Any = None
        best_fact = ""
        undecided = False
        open_fact = ""
        for fact, get, bands, higher in ladders:
            value = get(f)
            if value is None:
                undecided = True
                if not open_fact or not (f.undefined and fact in f.undefined):
                    open_fact = fact  # a missing figure outranks an undefined one
                continue
            lo = hi = ZERO
            for edge, pmin, pmax in bands:
                if (value >= edge) if higher else (value <= edge):
                    lo, hi = pmin, pmax
                    break
            if best_lo is None or lo > best_lo:
                best_lo, best_hi, best_value, best_fact = lo, hi, value, fact
        if best_lo is None:
            return open_row(spec, f, open_fact, None, ZERO, top)
        if undecided and best_hi != top:
            row = open_row(spec, f, open_fact, None, best_lo, top, best_value)
            return row if row[1] == REVIEW else (*row[:8], best_fact)
        return (spec, PASS, best_value, None, best_lo, best_hi, None, False, best_fact)

    return rule


def review(spec: Spec, args: dict[str, Any]) -> Rule:
    """An official criterion the profile cannot decide: status ``review`` (criteria.md §8.5).

    With ``industries`` (GB/T 4754 code prefixes) the criterion only concerns firms of those
    industries (the agricultural wholesale-market route): other firms ``fail`` it with the
    note ``not_applicable``, and a missing industry code leaves it ``unknown``.

    A recorded outcome (``assessments.reviews[<criterion id>]``) settles the criterion where
    it would be ``review``: status ``pass`` / ``fail``, ``actual`` = {outcome, reviewed_on}
    (and ``evidence``, the file the reviewer cited, when there is one), note ``reviewed``.
    It never changes a ``not_applicable`` fail or an ``unknown`` industry, and outcomes
    recorded for computable criteria are read by no rule: figures decide those.
    """
    prefixes = tuple(args.get("industries", ()))
    row = (spec, REVIEW, None, None, None, None, None, False, "")
    cid = spec.id

    def pending(f: Facts) -> Row:
        reviews = f.reviews
        if reviews is None:
            return row
        recorded = reviews.get(cid)
        if recorded is None:
            return row
        actual = settled(recorded)
        status = PASS if recorded.outcome == "pass" else FAIL
        return (spec, status, actual, None, None, None, None, False, "reviewed")

    if not prefixes:
        return pending

    def rule(f: Facts) -> Row:
        code = f.industry_code
        if code is None:
            return (spec, UNKNOWN, None, None, None, None, None, False, "")
        if code.startswith(prefixes):
            return pending(f)
        return (spec, FAIL, code, None, None, None, None, False, "not_applicable")

    return rule


BUILDERS: dict[str, Builder] = {
    "review": review,
    "threshold": threshold,
    "is_true": is_true,
    "any_of": any_of,
    "ladder": ladder,
    "best_of": best_of,
}
