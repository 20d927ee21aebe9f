"""The smallest set of changes that would make an ineligible tier eligible.

For each route we list what must change: every failing gate, every failing condition of the
route, and — when the score falls short — the fewest score indicators to lift (largest gain
first, each to the cheapest band that still closes the remaining deficit). The route needing
the fewest changes that cannot be closed within a year (flags, titles, time), then the fewest
changes, wins. Interactions are ignored
(more R&D may lift two indicators at once), so the list is an upper bound, which is the
safe side for a plan. Unknown criteria become "provide this figure" steps.
"""

from __future__ import annotations

from decimal import Decimal

from scoring.domain.gaps import gap_texts
from scoring.domain.gaps import money
from scoring.domain.verdict import FAIL
from scoring.domain.verdict import PASS
from scoring.domain.verdict import UNKNOWN
from scoring.domain.verdict import Row
from scoring.domain.verdict import Step
from scoring.domain.verdict import TierResult

ZERO = Decimal(0)


Texts = dict[int, tuple[str, str]]


def _step(row: Row, texts: Texts) -> Step:
    spec = row[0]
    if row[1] == UNKNOWN and spec.unit == "points":
        return Step(spec.id, None, "none", "得分取决于专家评审项，需专家评分后确定",
                    "The score depends on expert-graded items; it is decided by the review")
    if row[1] == UNKNOWN:
        return Step(spec.id, None, "none", f"补充数据：{spec.title_zh}",
                    f"Provide the figures for: {spec.title_en}")  # fmt: skip
    known = texts.get(id(row))  # already built for the criterion's own gap
    zh, en = known if known is not None else gap_texts(row)
    if not zh:
        zh, en = f"须满足：{spec.title_zh}", f"Must meet: {spec.title_en}"
    amount = row[6]
    return Step(spec.id, amount, spec.gap_unit if amount is not None else "none", zh, en)


def _score_steps(result: TierResult, deficit: Decimal) -> list[Step]:
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
        zh_amt, en_amt = money(amount, row[0].gap_unit)
        steps.append(Step(row[0].id, amount, row[0].gap_unit,
                          f"{row[0].title_zh}：增加{row[0].what_zh} {zh_amt}，得分 +{gain}",
                          f"{row[0].title_en}: {en_amt} more {row[0].what_en}, +{gain} points"))
    return steps  # fmt: skip


def next_steps(result: TierResult, texts: Texts | None = None) -> list[Step]:
    """The steps of the cheapest route; ``texts`` holds gap texts already built, by row id."""
    if result.verdict == "eligible":
        return []
    rows = result.resolved()
    texts = {} if texts is None else texts
    gates = [_step(r, texts) for r in rows if r[0].role == "gate" and r[1] != PASS]
    routes = {r[0].route for r in rows if r[0].role == "route"}
    if not routes:
        return gates
    hard_gates = sum(1 for r in rows if r[0].role == "gate" and r[1] != PASS and not r[7])
    best: tuple[tuple[int, int], list[Step]] | None = None
    for name in sorted(routes, key=lambda n: n != "score"):
        steps, hard = list(gates), hard_gates
        for row in rows:
            if row[0].role != "route" or row[0].route != name or row[1] == PASS:
                continue
            if row[0].unit == "points" and row[1] == FAIL and row[6] is not None:
                steps.extend(_score_steps(result, row[6]))
            else:
                steps.append(_step(row, texts))
                hard += not row[7]
        key = (hard, len(steps))  # fewest changes that cannot be made, then fewest changes
        if best is None or key < best[0]:
            best = (key, steps)
    return best[1] if best else []
