"""高新技术企业 (国科发火〔2016〕32号 第十一条; 国科发火〔2016〕195号 指引).

Custom checks: the R&D ratio whose requirement depends on the latest year's sales band
(第十一条(五): ≤ ¥50 m → 5 %, ≤ ¥200 m → 4 %, above → 3 %; upper-inclusive), and the
expert-graded innovation items (指引 2.3): each gives the expert's points when
``assessments.hnte_expert`` has them, else the range the experts could give (A 7–8 …),
so the total score is a range and the verdict ``unknown`` while 70 lies inside it.

Growth (指引 2.3.4): the official special cases are applied (``growth.hnte_growth``); the
cases the text leaves open (negative net assets in a base year, one year of history, a zero
first year of a two-year window) make the indicator ``review`` over its whole point range.
A ratio over zero sales is ``review`` too (``base.open_row``).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from scoring.domain.facts import Facts
from scoring.domain.growth import REVIEW_CASES
from scoring.domain.holdings import add_years
from scoring.domain.rules.base import Rule
from scoring.domain.rules.base import fail_row
from scoring.domain.rules.base import open_row
from scoring.domain.rules.base import uncertain_row
from scoring.domain.rules.base import upper
from scoring.domain.verdict import PASS
from scoring.domain.verdict import REVIEW
from scoring.domain.verdict import UNKNOWN
from scoring.domain.verdict import Row
from scoring.domain.verdict import Spec

ZERO = Decimal(0)


def registered_years(spec: Spec, args: dict[str, Any]) -> Rule:
    """注册成立一年以上 (第十一条(一)): ``as_of`` on or after the anniversary of registration.

    "以上" includes the edge (criteria.md §8.3); a year is a calendar year, so a firm
    registered on 2023-03-01 qualifies on 2024-03-01, not after 365 days on 2024-02-29.
    """
    years = int(args["years"])

    def rule(f: Facts) -> Row:
        days = f.age_days
        if days is None:
            return (spec, UNKNOWN, None, None, None, None, None, False, "")
        registered = f.as_of - timedelta(days=days)
        required = Decimal((add_years(registered, years) - registered).days)
        if days >= required:
            return (spec, PASS, days, required, None, None, None, False, "")
        return fail_row(spec, f, "age_days", days, required, ">=")

    return rule


def rd_ratio_by_sales(spec: Spec, args: dict[str, Any]) -> Rule:
    """近三年研发费用 ÷ 销售收入 ≥ the rate of the latest year's sales band."""
    bands = [(b[0], b[1]) for b in args["bands"]]  # (upper edge inclusive or None, rate)

    def rule(f: Facts) -> Row:
        sales, actual = f.sales, f.rd_3y_ratio
        if sales is None:
            return (spec, UNKNOWN, actual, None, None, None, None, False, "")
        if actual is None:
            return open_row(spec, f, "rd_3y_ratio")
        required = next(rate for edge, rate in bands if edge is None or sales <= edge)
        if actual >= required:
            return (spec, PASS, actual, required, None, None, None, False, "")
        return fail_row(spec, f, "rd_3y_ratio", actual, required, ">=")

    return rule


def expert_grade(spec: Spec, args: dict[str, Any]) -> Rule:
    """A graded item (A–E → point range) taken from ``hnte_expert.<field>``."""
    field, grades = args["field"], {k: (v[0], v[1]) for k, v in args["grades"].items()}
    full = (ZERO, spec.points_max or ZERO)

    def rule(f: Facts) -> Row:
        grade = None if f.hnte_expert is None else getattr(f.hnte_expert, field)
        if grade is None:
            return (spec, UNKNOWN, None, None, full[0], full[1], None, False, "estimate")
        lo, hi = grades[grade]
        return (spec, PASS, grade, None, lo, hi, None, False, "estimate" if lo != hi else "")

    return rule


def expert_points(spec: Spec, args: dict[str, Any]) -> Rule:
    """Points given by the experts (``hnte_expert.<field>``), else a range from the facts.

    ``steps`` ([fact, ">=", edge, min, max], best first) bound the range when the experts
    have not scored the item yet (e.g. 8 IP items of Class II → 5–6 points).
    """
    field = args["field"]
    steps = [(s[0], s[2], s[3], s[4]) for s in args.get("steps", [])]
    cap = spec.points_max or ZERO

    def rule(f: Facts) -> Row:
        given = None if f.hnte_expert is None else getattr(f.hnte_expert, field)
        actual = getattr(f, steps[0][0]) if steps else None
        if given is not None:
            return (spec, PASS, actual, None, given, given, None, False, "")
        if not steps:
            return (spec, UNKNOWN, None, None, ZERO, cap, None, False, "estimate")
        reach: Decimal | None = None  # the best band uncertain IP items could reach
        for fact, edge, lo, hi in steps:
            value = getattr(f, fact)
            if value is None:
                row = open_row(spec, f, fact, None, ZERO, cap, actual)
                return row if row[1] == REVIEW else (*row[:8], "estimate")
            if value >= edge:
                if reach is not None:
                    return uncertain_row(spec, actual, None, lo, reach)
                return (spec, PASS, actual, None, lo, hi, None, False, "estimate")
            most = upper(f, fact)
            if reach is None and most is not None and most >= edge:
                reach = hi
        if reach is not None:
            return uncertain_row(spec, actual, None, ZERO, reach)
        return (spec, PASS, actual, None, ZERO, ZERO, None, False, "")

    return rule


def growth(spec: Spec, args: dict[str, Any]) -> Rule:
    """成长性 indicator: g banded per 指引 2.3.4; the official special cases give 0 points.

    When the financial expert's total (``hnte_expert.growth_points``, both indicators) is
    given, the primary indicator carries it and the other one 0, so the sum is the expert's.
    """
    fact, case_fact = args["fact"], args["fact"] + "_case"
    steps = [(s[0], s[1], s[2], s[3]) for s in args["steps"]]  # (op, edge, lo, hi)
    expert_field, primary = args.get("expert_field"), bool(args.get("expert_primary"))

    def rule(f: Facts) -> Row:
        g, case = getattr(f, fact), getattr(f, case_fact)
        given = None
        if expert_field and f.hnte_expert is not None:
            given = getattr(f.hnte_expert, expert_field)
        if given is not None:
            points = given if primary else ZERO
            return (spec, PASS, g, None, points, points, None, False, "expert")
        if g is None:
            if not case:
                return (spec, UNKNOWN, None, None, ZERO, spec.points_max, None, False, "")
            if case in REVIEW_CASES:
                return (spec, REVIEW, None, None, ZERO, spec.points_max, None, False, case)
            return (spec, PASS, None, None, ZERO, ZERO, None, False, case)
        note = "zero_growth_edge" if g == 0 else ("estimate" if case == "ok" else case)
        for op, edge, lo, hi in steps:
            if (g >= edge) if op == ">=" else (g > edge):
                return (spec, PASS, g, None, lo, hi, None, False, note)
        return (spec, PASS, g, None, ZERO, ZERO, None, False, note)

    return rule


BUILDERS = {
    "registered_years": registered_years,
    "rd_ratio_by_sales": rd_ratio_by_sales,
    "expert_grade": expert_grade,
    "expert_points": expert_points,
    "growth": growth,
}
