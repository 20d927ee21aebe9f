"""The smallest set of changes that would make an ineligible tier eligible.

For each route we list what must change: every failing gate, every failing condition of the
route, and — when the score falls short — the fewest score indicators to lift (largest gain
first, each to the cheapest band that still closes the remaining deficit). The route needing
the fewest changes that cannot be closed within a year (flags, titles, time), then the fewest
changes, wins; on a tie the score route, then the route listed first in the rulebook (never
the order of a set, which changes with the process's hash seed). Interactions are ignored
(more R&D may lift two indicators at once), so the list is an upper bound, which is the
safe side for a plan. Unknown criteria become "provide this figure" steps; review criteria
(not computable from a profile, see ``engine``) become "须经评审确认 / subject to review" steps;
when they are the only open items, the steps are those of the route they would confirm.
"""

from __future__ import annotations

from decimal import Decimal

from scoring.domain.gaps import gap_texts
from scoring.domain.gaps import money
from scoring.domain.gaps import more_en
from scoring.domain.verdict import FAIL
from scoring.domain.verdict import PASS
from scoring.domain.verdict import REVIEW
from scoring.domain.verdict import UNKNOWN
from scoring.domain.verdict import ResultView
from scoring.domain.verdict import Row
from scoring.domain.verdict import Step

ZERO = Decimal(0)


Texts = dict[int, tuple[str, str]]


def _step(row: Row, texts: Texts) -> Step:
    spec = row[0]
    if row[1] == REVIEW:
        return Step(spec.id, None, "none", f"须经评审确认：{spec.title_zh}",
                    f"Subject to review: {spec.title_en}")  # fmt: skip
    if row[1] == UNKNOWN and spec.unit == "points":
        return Step(spec.id, None, "none", "得分取决于专家评审项，需专家评分后确定",
                    "The score depends on expert-graded items; it is decided by the review")
    if row[1] == UNKNOWN:
        return Step(spec.id, None, "none", f"补充数据：{spec.title_zh}",
                    f"Provide the figures for: {spec.title_en}")  # fmt: skip
    if row[1] == FAIL and row[8] == "strict":
        return _strict_step(row)
    known = texts.get(id(row))  # already built for the criterion's own gap
    zh, en = known if known is not None else gap_texts(row)
    if not zh:
        zh, en = f"须满足：{spec.title_zh}", f"Must meet: {spec.title_en}"
    amount = row[6]
    return Step(spec.id, amount, spec.gap_unit if amount is not None else "none", zh, en)


def _strict_step(row: Row) -> Step:
    """A total below a strict mark: it must exceed the mark, so the step says "more than"."""
    spec, gap = row[0], row[6]
    mark, hi = _points(row[3]), _points(row[5])
    head_zh = f"{spec.title_zh}：实际 {hi}分，须高于 {mark}分（不含{mark}分）"
    head_en = f"{spec.title_en}: {hi} points; it must be above {mark} ({mark} itself does not pass)"
    if gap is None:
        return Step(spec.id, None, "none", head_zh, head_en)
    return Step(spec.id, gap, spec.gap_unit, f"{head_zh}，还需增加得分超过 {_points(gap)}分",
                f"{head_en}; more than {_points(gap)} points more would meet it")


def _points(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def _score_steps(result: ResultView, deficit: Decimal) -> list[Step]:
    options = []
    for row in result.rows:
        spec = row[0]
        if spec.role != "score" or spec.improve is None:
            continue
        now = row[4] or ZERO
        better = [(p - now, amt) for p, amt in spec.improve(result.facts) if p > now]
        if better:
            options.append((row, sorted(better, key=lambda g: g[1])))
    options.sort(key=lambda o: -max(g for g, _ in o[1]))
    steps: list[Step] = []
    for row, gains in options:
        if deficit <= 0:
            break
        gain, amount = next(((g, a) for g, a in gains if g >= deficit), max(gains))
        deficit -= gain
        zh_amt = money(amount, row[0].gap_unit)[0]
        more = more_en(amount, row[0].gap_unit, row[0].what_en)
        steps.append(Step(row[0].id, amount, row[0].gap_unit,
                          f"{row[0].title_zh}：增加{row[0].what_zh} {zh_amt}，得分 +{gain}",
                          f"{row[0].title_en}: {more}, +{gain} points"))
    return steps  # fmt: skip


#: At a strict mark (HNTE "70分以上（不含70分）") the score must exceed the mark: the points
#: to lift are the gap plus this much (points can be fractional: averaged expert scores).
STRICT_EPSILON = Decimal("0.01")


def _deficit(row: Row) -> Decimal | None:
    """Points a failing total or group minimum lacks (None for any other row).

    A strict mark is exceeded, not reached: a total of exactly 70 against "> 70" has no gap
    amount (never "还需增加得分 0分") but still needs a lift, as does 65 needing more than 5.
    """
    if row[0].unit != "points" or row[1] != FAIL:
        return None
    gap = row[6]
    if row[8] == "strict":
        return (gap or ZERO) + STRICT_EPSILON
    return gap


def next_steps(result: ResultView, texts: Texts | None = None) -> list[Step]:
    """The steps of the cheapest route; ``texts`` holds gap texts already built, by row id.

    Routes are compared on counts first; only the winner's steps are written out.
    """
    if result.verdict == "eligible":
        return []
    rows = result.resolved()
    texts = {} if texts is None else texts
    gate_rows = []
    hard_gates = 0
    by_route: dict[str | None, list[Row]] = {}
    for r in rows:
        spec = r[0]
        if spec.role == "gate":
            if r[1] != PASS:
                gate_rows.append(r)
                hard_gates += not r[7]
        elif spec.role == "route":
            found = by_route.get(spec.route)
            if found is None:
                found = by_route[spec.route] = []
            if r[1] != PASS:
                found.append(r)
    if not by_route:
        return [_step(r, texts) for r in gate_rows]
    best: tuple[tuple[int, int], list[Row | list[Step]]] | None = None
    # Only review items open: the steps are those of the route the review would confirm.
    only = result.route if result.pending_review else None
    for name in sorted(by_route, key=lambda n: n != "score"):  # stable: rulebook order
        if only is not None and name != only:
            continue
        parts: list[Row | list[Step]] = []
        hard, count = hard_gates, len(gate_rows)
        for row in by_route[name]:
            deficit = _deficit(row)
            lifted = [] if deficit is None else _score_steps(result, deficit)
            if lifted:
                parts.append(lifted)
                count += len(lifted)
            else:
                parts.append(row)
                count += 1
                hard += not row[7]
        key = (hard, count)  # fewest changes that cannot be made, then fewest changes
        if best is None or key < best[0]:
            best = (key, parts)
    steps = [_step(r, texts) for r in gate_rows]
    for part in best[1] if best else ():
        if isinstance(part, list):
            steps.extend(part)
        else:
            steps.append(_step(part, texts))
    return steps
