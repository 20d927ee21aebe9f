"""Evaluation of one profile against the rulebooks in force: verdict, route and score.

A tier is eligible when every gate holds **and** at least one route holds (three-valued,
Kleene logic: an unknown fact makes a gate or route unknown, never a silent pass or fail).
Routes are ``score`` (the scored indicators reach the pass mark, group minimums and any extra
score conditions) and the direct-qualification conditions (小巨人 2022 names its general
innovation condition ``innovation_general``); tiers made of gates only report route ``gates``.

Review criteria (criteria.md §8.5). Some official conditions cannot be computed from a
profile: the 2026 专精特新 market position ("较为靠前", no number), the 小巨人 qualitative
items (governance, domestically leading technology, information systems; 2026: reputation)
and the agricultural wholesale-market route (N4). Each is a criterion of its rulebook with
its citation and the status ``review`` — a status of its own, not ``unknown``: supplying
figures cannot settle it, an expert or the bureau must. It is never a pass.

**Verdict rule.** In the Kleene logic a review item counts like an unknown, so a tier whose
only open items are review items is ``unknown`` — never ``eligible`` — with ``pending_review``
naming them, a "须经评审确认 / subject to review" next step for each, and a ``route`` naming
the route the review would confirm (a plain ``unknown`` keeps route None; a missing figure
outranks a review item). Why ``unknown`` rather than ``eligible`` + a flag: the issue already
treats expert-graded items so (HNTE: a score range straddling the pass mark is ``unknown``),
and every consumer that reads only ``verdict`` — the eligibility events and the notices sent
from them, dashboards counting eligible firms, the impact report, exports — stays on the safe
side instead of announcing a pass nobody checked. The rankings still put such a firm right
after the eligible ones (``scoring.domain.ranking``), so the analyst loses no candidate.

``pending_review`` lists the review criteria the verdict waits for: those of the gates, and
those of routes with no failing condition — unless another route passes without review,
which decides the route (e.g. an agricultural producer meeting the scale conditions is
eligible by route ``scale`` whatever the wholesale-market route would say). A failing gate
still makes the tier ``ineligible`` (or ``near``: review items never block ``near``, they are
not failures); its pending list then says what the review must still settle once the gaps
are closed. Eligible tiers have an empty list; rulebooks without review criteria carry no
``pending_review`` at all (their answers are unchanged) — unless a computable criterion is
``review`` because its value is undefined (a ratio over zero, growth from a zero base, the
HNTE growth cases the text leaves open; see ``growth``). A score total or group minimum left
open only by such items is ``review`` too, else ``unknown``.

``near`` — within reach this year (the bureau's near-miss list; the rule is ``NearRule``,
its numbers are the parameters ``NEAR``, and every ``near`` answer states it): the tier is
ineligible, and

1. every failing gate, and every failing condition of at least one route, is *closable* —
   its gap is an amount of money, people or IP items (scale figures such as revenue only up
   to 20 % of the requirement), see ``factinfo`` — and *small*: at most ``max_shortfall``
   (25 %) of its requirement, or at most ``max_ip_items`` (1) IP item;
2. a failing score total (or group minimum) lies at most ``score_margin`` (10 %) of its
   mark below it (6 points under 科技型中小企业' 60, 7 under HNTE's 70) and raising the
   closable indicators to their best band would reach it;
3. at most ``max_failed`` (2) criteria fail in all (the gates plus that route's conditions;
   a failing total counts as one).

A tech SME scoring 0 of 60 is therefore not near (60 points short), nor is a firm one third
short of a ratio. Review items never block ``near``: they are not failures.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from scoring.domain.facts import Facts
from scoring.domain.result import TierResult
from scoring.domain.rulebook import Compiled
from scoring.domain.verdict import FAIL
from scoring.domain.verdict import NEAR
from scoring.domain.verdict import PASS
from scoring.domain.verdict import REVIEW
from scoring.domain.verdict import UNKNOWN
from scoring.domain.verdict import Row
from scoring.domain.verdict import Spec
from scoring.domain.verdict import Status
from scoring.domain.verdict import Verdict

ZERO = Decimal(0)


def _score_rows(prog: Any, rows: list[Any]) -> tuple[Decimal, Decimal]:
    """Total score range (group caps applied); appends the total and group-minimum rows.

    Only called for scored rulebooks, whose score rows always carry Decimal points (so no
    None checks on this hot path; ``Any`` says so to the type checker).
    """
    lo = hi = ZERO
    extra: list[Row] = []
    total_open: Status = PASS
    for name, idx, cap, minimum in prog.groups:
        glo = ghi = ZERO
        group_open: Status = PASS
        for i in idx:
            row = rows[i]
            glo += row[4]
            ghi += row[5]
            if row[1] != PASS and group_open != UNKNOWN:
                group_open = row[1]
        if cap is not None:
            glo, ghi = min(glo, cap), min(ghi, cap)
        lo += glo
        hi += ghi
        if group_open != PASS and total_open != UNKNOWN:
            total_open = group_open
        if minimum is not None:
            extra.append(
                _mark_row(prog.group_specs[name], glo, ghi, minimum, False, group_open)
            )
    for i in prog.loose_score_idx:
        row = rows[i]
        lo += row[4]
        hi += row[5]
        if row[1] != PASS and total_open != UNKNOWN:
            total_open = row[1]
    rows.append(_mark_row(prog.total_spec, lo, hi, prog.pass_mark, prog.strict, total_open))
    rows.extend(extra)
    return lo, hi


def _mark_row(
    spec: Spec, lo: Decimal, hi: Decimal, mark: Decimal, strict: bool, open_: Status = PASS
) -> Row:
    """A total or group minimum against its mark. Undecided (the range straddles the mark)
    it is ``review`` when review items alone leave it open (``open_``), else ``unknown``.

    At a strict mark (HNTE: > 70) a failing total exactly on the mark has no amount to add
    (points can be fractional): its gap is left out and the note says "must exceed"."""
    ok_lo = lo > mark if strict else lo >= mark
    ok_hi = hi > mark if strict else hi >= mark
    status = PASS if ok_lo else FAIL if not ok_hi else REVIEW if open_ == REVIEW else UNKNOWN
    gap = None if status != FAIL or hi == mark else mark - hi
    actual = lo if lo == hi else (lo, hi)
    return (spec, status, actual, mark, lo, hi, gap, False, "strict" if strict else "")


def run(prog: Compiled, f: Facts) -> TierResult:
    """Evaluate one compiled rulebook against one profile's facts."""
    rows = [rule(f) for rule in prog.rules]
    lo = hi = None
    if prog.pass_mark is not None:
        lo, hi = _score_rows(prog, rows)
    verdict, route = _decide(prog, rows)
    if verdict == "ineligible" and _is_near(prog, rows, f):
        verdict = "near"
    pending = _pending(prog, rows, verdict) if prog.review_idx or _any_review(rows) else None
    return TierResult(
        prog.tier, prog.version, verdict, route, lo, hi, prog.pass_mark, prog.out_of, rows, f,
        prog.title_zh, prog.title_en, pending,
    )


def _any_review(rows: list[Row]) -> bool:
    """Whether a computable criterion turned ``review`` (an undefined ratio or growth)."""
    for row in rows:
        if row[1] == REVIEW:
            return True
    return False


def _pending(prog: Compiled, rows: list[Row], verdict: Verdict) -> list[str]:
    """Ids of the review criteria the verdict waits for (see the module docstring)."""
    if verdict == "eligible":
        return []
    open_routes: set[str | None] = set()
    for name, idx in prog.route_idx:
        statuses = {rows[i][1] for i in idx}
        if statuses == {PASS}:
            open_routes = set()  # a route decided without review: other routes are moot
            break
        if FAIL not in statuses:
            open_routes.add(name)
    out = []
    for row in rows:
        if row[1] != REVIEW:
            continue
        spec = row[0]
        route = "score" if spec.role == "score" else spec.route
        if spec.role == "gate" or route in open_routes:
            out.append(spec.id)
    return out


def _decide(prog: Compiled, rows: list[Row]) -> tuple[Verdict, str | None]:
    """Kleene AND of the gates with the Kleene OR of the routes; the first passing route.

    A missing fact outranks a review item; when review items are the only open gates, the
    verdict is ``unknown`` with the route that passes (see the module docstring).
    """
    gate: Status = PASS
    for i in prog.gate_idx:
        status = rows[i][1]
        if status != PASS:
            if status == FAIL:
                return "ineligible", None
            if gate != UNKNOWN:  # unknown outranks review: a figure is missing
                gate = status
    if not prog.route_idx:
        if gate == PASS:
            return "eligible", "gates"
        return "unknown", "gates" if gate == REVIEW else None
    undecided = False
    review_route = None  # the first route whose only open items are review items
    for name, idx in prog.route_idx:
        route_status: Status = PASS
        for i in idx:
            status = rows[i][1]
            if status != PASS:
                if status == FAIL:
                    route_status = FAIL
                    break
                if route_status != UNKNOWN:
                    route_status = status
        if route_status == PASS:
            if gate == PASS:
                return "eligible", name
            return "unknown", name if gate == REVIEW else None
        if route_status == REVIEW and review_route is None and gate != UNKNOWN:
            review_route = name
        undecided = undecided or route_status != FAIL  # unknown or review
    return ("unknown", review_route) if undecided else ("ineligible", None)


def _is_near(prog: Compiled, rows: list[Row], f: Facts) -> bool:
    """Within reach this year (``NEAR``, see the module docstring)."""
    failed = 0
    for i in prog.gate_idx:
        row = rows[i]
        status = row[1]
        if status == PASS or status == REVIEW:
            continue
        if status != FAIL or not row[7] or not _within_reach(row):
            return False
        failed += 1
    if failed > NEAR.max_failed:
        return False
    if not prog.route_order:
        return True
    for _name, idx in prog.route_idx:
        count, ok = failed, True
        for i in idx:
            r = rows[i]
            if r[1] == PASS or r[1] == REVIEW:
                continue
            if r[1] == FAIL and r[0].unit == "points" and r[0].route == "score":
                ok = _score_within_reach(prog, r) and _score_closable(prog, rows, r, f)
            else:
                ok = r[1] == FAIL and r[7] and _within_reach(r)
            count += 1
            if not ok or count > NEAR.max_failed:
                ok = False
                break
        if ok:
            return True
    return False


def _within_reach(row: Row) -> bool:
    """A closable failing criterion whose shortfall is small enough for one year."""
    actual, required = row[2], row[3]
    if not isinstance(actual, Decimal | int) or not isinstance(required, Decimal | int):
        return False
    short = Decimal(required) - Decimal(actual)
    if row[0].unit == "ip_items":
        return short <= NEAR.max_ip_items
    if required <= 0:
        return False
    return short <= NEAR.max_shortfall * required


def _score_within_reach(prog: Compiled, row: Row) -> bool:
    """A failing total or group minimum at most ``score_margin`` of its mark below it."""
    hi = row[5] if row[5] is not None else ZERO
    return row[3] - hi <= NEAR.score_margin * row[3]


def _score_closable(prog: Compiled, rows: list[Row], row: Row, f: Facts) -> bool:
    """A failing total/group is closable if closable items at their best band reach it."""
    if row[1] != FAIL or row[0].unit != "points" or row[0].route != "score":
        return False
    best = ZERO
    for r in rows:
        spec = r[0]
        if spec.role != "score":
            continue
        if not (row[0].id.endswith("score_total") or spec.group == row[0].id.rsplit("_", 1)[-1]):
            continue
        best += max(r[5] or ZERO, spec.reach or ZERO)
    return best > row[3] if prog.strict else best >= row[3]
