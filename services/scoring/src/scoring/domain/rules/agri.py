"""农业产业化龙头企业 ladder (农经发〔2018〕1号; 鲁农产业字〔2018〕28号; Liaocheng local).

Every condition but one is a generic threshold over the facts (agri share of sales, assets,
fixed assets, sales, no loss, debt ratio, households, farm-sourced share, arrears and credit
flags). Numbers not read in a source (provincial and municipal thresholds, several national
ones) are local parameters in the rulebook files: unverified defaults the bureau overrides,
and the criteria using them are unconfirmed.

The exception is the return on assets (N5): it must be above the *year's* average 1-year
LPR (鲁农产业字〔2021〕7号: "高于当年1年期贷款市场报价利率（LPR）平均水平"), so the bound
follows the fiscal year whose figures are judged: one local parameter per year
(``rate_<year>``). A year without a rate is ``unknown`` (note ``rate_missing``) — never the
rate of another year.
"""

from __future__ import annotations

from decimal import Decimal
from operator import attrgetter
from typing import Any

from scoring.domain.facts import Facts
from scoring.domain.rules.base import Builder
from scoring.domain.rules.base import Rule
from scoring.domain.rules.base import fail_row
from scoring.domain.rules.base import open_row
from scoring.domain.verdict import PASS
from scoring.domain.verdict import UNKNOWN
from scoring.domain.verdict import Row
from scoring.domain.verdict import Spec

RATE_PREFIX = "rate_"


def year_rates(args: dict[str, Any]) -> dict[int, Decimal]:
    """The ``rate_<year>`` arguments by year."""
    return {
        int(name[len(RATE_PREFIX):]): Decimal(value)
        for name, value in args.items()
        if name.startswith(RATE_PREFIX)
    }


def above_year_rate(spec: Spec, args: dict[str, Any]) -> Rule:
    """``fact`` > the rate of the fiscal year the figures belong to (``Facts.fy``)."""
    fact = args["fact"]
    get, rates = attrgetter(fact), year_rates(args)

    def rule(f: Facts) -> Row:
        required = rates.get(f.fy)
        actual = get(f)
        if required is None:
            return (spec, UNKNOWN, actual, None, None, None, None, False, "rate_missing")
        if actual is None:
            return open_row(spec, f, fact, required)
        if actual > required:
            return (spec, PASS, actual, required, None, None, None, False, "")
        return fail_row(spec, f, fact, actual, required, ">")

    return rule


BUILDERS: dict[str, Builder] = {"above_year_rate": above_year_rate}
