"""科技型中小企业 (国科发政〔2017〕115号 第六–八条; 国科火字〔2022〕67号 wording).

Generic builders cover the gates (第六条), the 100-point table (第七条: science staff,
the better of the two R&D ratios, Class I/II IP) and the direct routes (第八条). Only the
industry negative list (第六条(三), 2022 wording: industries barred from the R&D
super-deduction, 财税〔2015〕119号) needs its own check.
"""

from __future__ import annotations

from typing import Any

from scoring.domain.facts import Facts
from scoring.domain.rules.base import Rule
from scoring.domain.verdict import FAIL
from scoring.domain.verdict import PASS
from scoring.domain.verdict import UNKNOWN
from scoring.domain.verdict import Row
from scoring.domain.verdict import Spec


def industry_not_listed(spec: Spec, args: dict[str, Any]) -> Rule:
    """The GB/T 4754 code must not start with any listed prefix (e.g. ``C16`` tobacco)."""
    prefixes = tuple(args["prefixes"])

    def rule(f: Facts) -> Row:
        code = f.industry_code
        if code is None:
            return (spec, UNKNOWN, None, None, None, None, None, False, "")
        ok = not code.startswith(prefixes)
        return (spec, PASS if ok else FAIL, code, None, None, None, None, False, "")

    return rule


BUILDERS = {"industry_not_listed": industry_not_listed}
