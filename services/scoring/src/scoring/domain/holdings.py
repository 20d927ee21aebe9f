"""Derived facts about holdings: IP by class, titles held, awards, institutions, standards.

Split from ``facts`` (figures) because these read the profile's lists rather than its
fiscal years; both are computed once per profile.

No holding is valid forever (issue 8 item 4, criteria.md §8 item 10). A certificate with an
``expires_on`` is held through that day. One without it is held for the validity its tier's
rules give (``VALIDITY`` in ``yumiao_common.contracts.validity``, shared with the registry):
HNTE three years from the certificate date (国科发火〔2016〕32号 第九条), the tech-SME
registration number for its year only ("登记编号当年有效", 国科火字〔2019〕87号), the MIIT
titles three years. Agricultural leaders are monitored every two years (农经发〔2018〕1号;
鲁农产业字〔2018〕28号): within two years of recognition the title is held; later its
standing depends on a monitoring result the record does not carry, so it is *unknown*.
Honours with no known rule (技术创新示范企业, 知识产权优势/示范企业, 单项冠军) without an
expiry are unknown. Unknown titles land in ``Facts.certs_open`` and make a criterion that
needs them ``unknown``, never a pass. Awards, standards and contest ranks count only inside
their window (近三年/近五年) and never from a year after ``as_of``.

IP classes (criteria.md §2.3.1a; 63号 说明): ``ip_class`` is the one place that says whether
an item counts as Class I or II under a tier family's rules. HNTE Class II items count once:
an item already used in a recognition (``used_in_hnte``) counts neither for the core-IP gate
nor for the quantity indicator; Class I items can be reused. Under the MIIT rules utility
models and designs are Class II only when maintained more than two years after grant.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from typing import Literal
from typing import get_args

from yumiao_common.contracts.profile import CLASS_I_KINDS
from yumiao_common.contracts.profile import TIER_KEYS
from yumiao_common.contracts.profile import Award
from yumiao_common.contracts.profile import Certification
from yumiao_common.contracts.profile import HonourKey
from yumiao_common.contracts.profile import IpItem
from yumiao_common.contracts.profile import Profile
from yumiao_common.contracts.validity import add_years
from yumiao_common.contracts.validity import holding_status as held_on

if TYPE_CHECKING:
    from scoring.domain.facts import Facts

_LEVEL = {"national": 4, "provincial": 3, "municipal": 2, "below": 1}
_NO_CERTS: frozenset[str] = frozenset()
#: ``Facts.certs_open`` of a profile that left its certifications out: every title may be
#: held (unknown). Compared by identity (``is``) to tell "left out" from "validity unknown".
UNKNOWN_TITLES: frozenset[str] = frozenset((*TIER_KEYS, *get_args(HonourKey)))

Scheme = Literal["hnte", "tech_sme", "miit"]
#: MIIT: utility models and designs count as Class II when maintained more than this long.
MIIT_CLASS2_MAINTAINED_YEARS = 2


def holding_status(cert: Certification, as_of: date) -> bool | None:
    """Whether ``cert`` is held on ``as_of``: True, False (not yet or expired) or None, by the
    validity table shared with the registry (``yumiao_common.contracts.validity``)."""
    return held_on(cert.tier, cert.issued_on, cert.expires_on, as_of)


def ip_class(item: IpItem, as_of: date, scheme: Scheme) -> Literal[1, 2] | None:
    """The class the item counts as under ``scheme``'s rules, None when it does not count.

    Class I: the kinds of ``CLASS_I_KINDS`` (all schemes). Class II: utility models, designs
    and software copyrights (HNTE 指引 2.3.1a, tech SME 第七条(三)); under the MIIT rules a
    utility model or design only when maintained more than two years after grant (63号 说明;
    a missing grant date cannot show it). HNTE Class II items already used in a recognition
    do not count again.
    """
    if item.kind in CLASS_I_KINDS:
        return 1
    if scheme == "hnte" and item.used_in_hnte:
        return None
    if scheme == "miit" and item.kind != "software_copyright":
        granted = item.granted_on
        if granted is None or as_of <= add_years(granted, MIIT_CLASS2_MAINTAINED_YEARS):
            return None
    return 2


def ip_counts(f: Facts, profile: Profile) -> None:
    """IP counts per class. Only items in force, granted by ``as_of`` and tied to the main
    product count (tech SME 第七条(3); HNTE 指引 2.3.1a; 63号 indicator ①)."""
    c1 = c1_self = c1_high = c2 = hnte_c2 = core = core_self = 0
    hnte_core = hnte_core_self = miit_c2 = 0
    as_of = profile.as_of
    for item in profile.ip:
        if not item.in_force or not item.related_to_main_product or item.in_dispute:
            continue
        if item.granted_on is not None and item.granted_on > as_of:
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
            miit_c2 += ip_class(item, as_of, "miit") == 2
        if ip_class(item, as_of, "hnte") is not None:
            hnte_core += 1
            hnte_core_self += self_made
            hnte_c2 += item.kind not in CLASS_I_KINDS
    f.ip_class1, f.ip_class1_self, f.ip_class1_high = c1, c1_self, c1_high
    f.ip_class2, f.ip_hnte_class2, f.ip_core, f.ip_core_self = c2, hnte_c2, core, core_self
    f.ip_any_self = core_self > 0
    f.ip_hnte_core, f.ip_hnte_core_self, f.ip_miit_class2 = hnte_core, hnte_core_self, miit_c2


def honours(f: Facts, profile: Profile) -> None:
    """Titles held, awards, institutions, standards and contest ranks.

    Missing is not empty (profile.md; issue 8 item 6): a list the payload left out
    (``model_fields_set``) makes its facts None (unknown) — certifications left out put every
    title in ``certs_open`` as ``UNKNOWN_TITLES`` — while a list given as ``[]`` is "none".
    """
    given = profile.model_fields_set
    as_of = profile.as_of
    if "certifications" in given:
        f.certs, f.certs_open = _titles(profile.certifications, as_of)
    else:
        f.certs, f.certs_open = _NO_CERTS, UNKNOWN_TITLES
    f.award_best = _award_best(profile.awards) if "awards" in given else None
    insts = profile.rd_institutions
    f.rd_inst_best = (
        max((_LEVEL[r.level] for r in insts), default=0) if "rd_institutions" in given else None
    )
    f.standard_years = (
        tuple((s.level, s.year) for s in profile.standards_led)
        if "standards_led" in given
        else None
    )
    f.maker_china_best = (
        {c.year: c.national_rank for c in profile.competitions}
        if "competitions" in given
        else None
    )


def _titles(
    certs: tuple[Certification, ...], as_of: date
) -> tuple[frozenset[str], frozenset[str]]:
    """(titles held on ``as_of``, titles on record whose validity cannot be told)."""
    if not certs:
        return _NO_CERTS, _NO_CERTS
    held: set[str] = set()
    open_: set[str] = set()
    for cert in certs:
        status = holding_status(cert, as_of)
        if status:
            held.add(cert.tier)
        elif status is None:
            open_.add(cert.tier)
    return (frozenset(held) if held else _NO_CERTS,
            frozenset(open_ - held) if open_ else _NO_CERTS)  # fmt: skip


def _award_best(awards: tuple[Award, ...]) -> dict[tuple[str, int], int]:
    """(level, year) -> best (lowest) rank; an unranked award is never "top N"."""
    best: dict[tuple[str, int], int] = {}
    for a in awards:
        key = (a.level, a.year)
        rank = a.rank if a.rank is not None else 999
        best[key] = min(best.get(key, rank), rank)
    return best


def has_award(f: Facts, levels: frozenset[str], years: int, top: int) -> bool:
    """An award at one of ``levels`` within the last ``years`` fiscal years or this year (up
    to ``as_of``; never a later year), ranked ≤ ``top``."""
    best = f.award_best
    if not best:  # none, or left out (unknown): no award shown
        return False
    first, last = f.as_of.year - years, f.as_of.year
    return any(
        lvl in levels and first <= year <= last and rank <= top
        for (lvl, year), rank in best.items()
    )

