"""Which rulebook judges a re-review (复核): the 2026 小巨人 re-reviews follow the 2022 standard.

criteria.md §8.1 and §3.4 ("2026 小巨人 re-reviews (复核) were still judged on the 2022
standard", 工信厅企业函〔2026〕117号) rest on [REPO] sources only. A rulebook states the rule as
its ``rereview_standard`` criterion (``args.years``: the evaluation years concerned). A firm
under re-review — it holds the tier's own title on ``as_of`` (``rules.miit.rereview``) — in
one of those years is evaluated on the version in force the day before that rulebook took
effect, and the answer says so (``TierResult.rulebook_basis``). When the re-review status
cannot be told (a title of unknown validity) the rulebook in force applies and its
``rereview_standard`` criterion stays ``unknown``: never a silent choice of standard.
"""

from __future__ import annotations

from datetime import date
from datetime import timedelta
from functools import cache

from scoring.domain.facts import Facts
from scoring.domain.rulebook import Compiled
from scoring.domain.rulebook import Overrides
from scoring.domain.rulebook import compile_rulebook
from scoring.domain.rulebook import rulebook_for
from scoring.domain.rules.miit import rereview

#: What the answer says about the rulebook used for such a re-review (a note a person reads).
REREVIEW_BASIS: dict[str, str] = {
    "zh": "复核：按2022年标准（工信部企业〔2022〕63号）评价",
    "en": "re-review: judged on the 2022 standard (工信部企业〔2022〕63号)",
    "citation": "工信厅企业函〔2026〕117号",
}


@cache
def _rereview_years(tier: str, version: str) -> frozenset[int]:
    """The evaluation years whose re-reviews ``version`` leaves to the earlier standard."""
    data = rulebook_for(tier, date.fromisoformat(version.split("@", 1)[1]))
    if data is None:
        return frozenset()
    return frozenset(
        int(year)
        for c in data["criteria"] if c["check"] == "rereview_standard"
        for year in c["args"]["years"]
    )  # fmt: skip


def rereview_rulebook(prog: Compiled, f: Facts, ov: Overrides) -> Compiled | None:
    """The earlier rulebook that judges this firm's re-review, or None (``prog`` applies)."""
    years = _rereview_years(prog.tier, prog.version)
    if f.as_of.year not in years or rereview(f, prog.tier) is not True:
        return None
    effective = date.fromisoformat(prog.version.split("@", 1)[1])
    earlier = rulebook_for(prog.tier, effective - timedelta(days=1))
    if earlier is None:
        return None
    # overrides are keyed by tier and criterion, the same in every version of a tier
    return compile_rulebook(prog.tier, earlier["effective_from"], ov)
