"""Derived facts about holdings: IP by class, titles held, awards, institutions, standards.

Split from ``facts`` (figures) because these read the profile's lists rather than its
fiscal years; both are computed once per profile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from yumiao_common.contracts.profile import CLASS_I_KINDS
from yumiao_common.contracts.profile import Profile

if TYPE_CHECKING:
    from scoring.domain.facts import Facts

_LEVEL = {"national": 4, "provincial": 3, "municipal": 2, "below": 1}
_NO_CERTS: frozenset[str] = frozenset()


def ip_counts(f: Facts, profile: Profile) -> None:
    """IP counts per class. Only items in force, granted by ``as_of`` and tied to the main
    product count (tech SME 第七条(3); HNTE 指引 2.3.1a; 63号 indicator ①)."""
    c1 = c1_self = c1_high = c2 = hnte_c2 = core = core_self = 0
    for item in profile.ip:
        if not item.in_force or not item.related_to_main_product or item.in_dispute:
            continue
        if item.granted_on is not None and item.granted_on > profile.as_of:
            continue
        core += 1
        self_made = item.acquired_by == "self_developed"
        core_self += self_made
        if item.kind in CLASS_I_KINDS:
            c1 += 1
            c1_self += self_made
            c1_high += item.high_value
        else:
            c2 += 1
            hnte_c2 += not item.used_in_hnte
    f.ip_class1, f.ip_class1_self, f.ip_class1_high = c1, c1_self, c1_high
    f.ip_class2, f.ip_hnte_class2, f.ip_core, f.ip_core_self = c2, hnte_c2, core, core_self
    f.ip_any_self = core_self > 0


def honours(f: Facts, profile: Profile) -> None:
    as_of = profile.as_of
    f.certs = _NO_CERTS if not profile.certifications else frozenset(
        c.tier
        for c in profile.certifications
        if c.issued_on <= as_of and (c.expires_on is None or c.expires_on >= as_of)
    )
    # award_best: (level, year) -> best (lowest) rank; rd_inst_best: best institution level
    best: dict[tuple[str, int], int] = {}
    for a in profile.awards:
        key = (a.level, a.year)
        rank = a.rank if a.rank is not None else 999  # unranked: never "top N"
        best[key] = min(best.get(key, rank), rank)
    f.award_best = best
    insts = profile.rd_institutions
    f.rd_inst_best = max((_LEVEL[r.level] for r in insts), default=0) if insts else 0
    f.standard_years = tuple((s.level, s.year) for s in profile.standards_led)
    f.maker_china_best = {c.year: c.national_rank for c in profile.competitions}


def has_award(f: Facts, levels: frozenset[str], years: int, top: int) -> bool:
    """An award at one of ``levels`` within the last ``years`` fiscal years, ranked ≤ ``top``."""
    first = f.as_of.year - years
    return any(
        lvl in levels and year >= first and rank <= top
        for (lvl, year), rank in f.award_best.items()
    )

