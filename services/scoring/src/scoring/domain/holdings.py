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
Missing is not empty here either: an item whose grant date is not recorded, or (HNTE) whose
earlier use is not recorded (``used_in_hnte`` None), is never counted as granted or unused;
it only raises a count's upper bound (``Facts.ip_open``), so the criteria it could change
read ``unknown`` unless the other items already decide them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
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

LEVEL_RANK = {"national": 4, "provincial": 3, "municipal": 2, "below": 1}
NO_CERTS: frozenset[str] = frozenset()
#: ``Facts.certs_open`` of a profile that left its certifications out: every title may be
#: held (unknown). Compared by identity (``is``) to tell "left out" from "validity unknown".
UNKNOWN_TITLES: frozenset[str] = frozenset((*TIER_KEYS, *get_args(HonourKey)))

Scheme = Literal["hnte", "tech_sme", "miit"]
#: (level, year) -> (best recorded rank or None, whether an unranked award is there).
AwardBest = dict[tuple[str, int], tuple[int | None, bool]]


@dataclass(frozen=True, slots=True)
class IpCounts:
    """The IP counts of a profile (``ip_counts``): the items known to count per fact, the
    upper bound of the counts the unknown items leave open, and whether any is self-made."""

    known: dict[str, int]
    open: dict[str, int] | None
    any_self: bool | None
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
    do not count again (an item whose use is unknown is not shown to count either: see
    ``ip_counts`` for how such items leave a count open).
    """
    if item.kind in CLASS_I_KINDS:
        return 1
    if scheme == "hnte" and item.used_in_hnte is not False:
        return None
    if scheme == "miit" and item.kind != "software_copyright":
        granted = item.granted_on
        if granted is None or as_of <= add_years(granted, MIIT_CLASS2_MAINTAINED_YEARS):
            return None
    return 2


#: How an item counts toward a fact: surely, maybe (a grant date or an earlier HNTE use is
#: not known) or not at all.
_SURE, _MAYBE = 2, 1


def _hnte_count(item: IpItem, granted: int) -> int:
    """Whether ``item`` counts under the HNTE rules: Class I always; Class II only when known
    not used in an earlier recognition (2.3.1a); an unknown use leaves it open."""
    if item.kind in CLASS_I_KINDS or item.used_in_hnte is False:
        return granted
    return 0 if item.used_in_hnte else min(granted, _MAYBE)


def _miit_class2(item: IpItem, as_of: date, granted: int) -> int:
    """Whether ``item`` is a MIIT Class II item: software copyrights when granted; utility
    models and designs when maintained more than two years after grant — open when the grant
    date is not known (it may be old enough)."""
    if item.kind in CLASS_I_KINDS:
        return 0
    if item.kind == "software_copyright" or item.granted_on is None:
        return granted
    return _SURE if ip_class(item, as_of, "miit") == 2 else 0


def ip_counts(profile: Profile) -> IpCounts:
    """IP counts per class. Only items in force, granted by ``as_of`` and tied to the main
    product count (tech SME 第七条(3); HNTE 指引 2.3.1a; 63号 indicator ①).

    Each count is the number of items known to count. An item whose grant date is not known
    (profile.md: patents count only once granted) or, for HNTE, whose use in an earlier
    recognition is not known may count or not: it raises only the count's upper bound,
    ``Facts.ip_open[<fact>]``, so a criterion that the known items do not decide reads
    ``unknown`` instead of a silent pass (issue 8 items 3 and 6).
    """
    low: dict[str, int] = dict.fromkeys(_IP_COUNTS, 0)
    high: dict[str, int] = dict.fromkeys(_IP_COUNTS, 0)
    as_of = profile.as_of
    for item in profile.ip:
        if not item.in_force or not item.related_to_main_product or item.in_dispute:
            continue
        if item.granted_on is not None and item.granted_on > as_of:
            continue
        granted = _SURE if item.granted_on is not None else _MAYBE
        self_made = item.acquired_by == "self_developed"
        class1 = item.kind in CLASS_I_KINDS
        hnte = _hnte_count(item, granted)
        counts = {
            "ip_core": granted,
            "ip_core_self": granted if self_made else 0,
            "ip_class1": granted if class1 else 0,
            "ip_class1_self": granted if class1 and self_made else 0,
            "ip_class1_high": granted if class1 and item.high_value else 0,
            "ip_class2": 0 if class1 else granted,
            "ip_miit_class2": _miit_class2(item, as_of, granted),
            "ip_hnte_core": hnte,
            "ip_hnte_core_self": hnte if self_made else 0,
            "ip_hnte_class2": 0 if class1 else hnte,
        }
        for name, how in counts.items():
            low[name] += how == _SURE
            high[name] += how > 0
    return IpCounts(
        known={name: low[name] for name in _IP_COUNTS},
        open={name: high[name] for name in _IP_COUNTS if high[name] > low[name]} or None,
        any_self=True if low["ip_core_self"] else None if high["ip_core_self"] else False,
    )


_IP_COUNTS = ("ip_class1", "ip_class1_self", "ip_class1_high", "ip_class2", "ip_hnte_class2",
              "ip_core", "ip_core_self", "ip_hnte_core", "ip_hnte_core_self", "ip_miit_class2")


def titles_on(
    certs: tuple[Certification, ...], as_of: date
) -> tuple[frozenset[str], frozenset[str]]:
    """(titles held on ``as_of``, titles on record whose validity cannot be told)."""
    if not certs:
        return NO_CERTS, NO_CERTS
    held: set[str] = set()
    open_: set[str] = set()
    for cert in certs:
        status = holding_status(cert, as_of)
        if status:
            held.add(cert.tier)
        elif status is None:
            open_.add(cert.tier)
    return (frozenset(held) if held else NO_CERTS,
            frozenset(open_ - held) if open_ else NO_CERTS)  # fmt: skip


def award_best(awards: tuple[Award, ...]) -> AwardBest:
    """(level, year) -> (best ranked place or None, whether an award there has no rank)."""
    best: AwardBest = {}
    for a in awards:
        key = (a.level, a.year)
        rank, unranked = best.get(key, (None, False))
        if a.rank is None:
            unranked = True
        elif rank is None or a.rank < rank:
            rank = a.rank
        best[key] = (rank, unranked)
    return best


def has_award(
    best: AwardBest | None, as_of: date, levels: frozenset[str], years: int, top: int
) -> bool | None:
    """An award at one of ``levels`` within the last ``years`` fiscal years or this year (up
    to ``as_of``; never a later year), ranked ≤ ``top``: True; None when only an award whose
    rank is not recorded could be one (its place may be within ``top``); else False."""
    if not best:  # none, or left out (unknown): no award shown
        return False
    first, last = as_of.year - years, as_of.year
    open_ = False
    for (lvl, year), (rank, unranked) in best.items():
        if lvl not in levels or not first <= year <= last:
            continue
        if rank is not None and rank <= top:
            return True
        open_ = open_ or unranked
    return None if open_ else False
