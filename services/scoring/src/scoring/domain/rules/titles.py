"""Builders over titles and lists: awards, titles held, standards led, contest ranks, sets.

These read the holdings facts (``scoring.domain.holdings``). Missing is not empty
(profile.md; issue 8 item 6): a list given as ``[]`` means "none", a list the profile left
out (its fact None; certifications: ``UNKNOWN_TITLES``) makes the criterion ``unknown``.
A title whose validity on ``as_of`` cannot be told (no expiry and no known validity rule)
makes ``holds`` unknown; windows (近三年/近五年) never count a year after ``as_of``.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from scoring.domain.facts import Facts
from scoring.domain.holdings import UNKNOWN_TITLES
from scoring.domain.holdings import has_award
from scoring.domain.rules.base import Builder
from scoring.domain.rules.base import Rule
from scoring.domain.verdict import FAIL
from scoring.domain.verdict import PASS
from scoring.domain.verdict import UNKNOWN
from scoring.domain.verdict import Row
from scoring.domain.verdict import Spec


def award(spec: Spec, args: dict[str, Any]) -> Rule:
    """An S&T award at given levels within ``years`` years, ranked within ``top``."""
    levels, years, top = frozenset(args["levels"]), int(args["years"]), int(args["top"])

    def rule(f: Facts) -> Row:
        if f.award_best is None:
            return (spec, UNKNOWN, None, True, None, None, None, False, "")
        ok = has_award(f.award_best, f.as_of, levels, years, top)
        if ok is None:  # an award without a recorded rank may be within the top places
            return (spec, UNKNOWN, None, True, None, None, None, False, "rank_unknown")
        return (spec, PASS if ok else FAIL, ok, True, None, None, None, False, "")

    return rule


def holds(spec: Spec, args: dict[str, Any]) -> Rule:
    """Holds one of the given titles (tier keys or honours), valid on ``as_of``."""
    keys = frozenset(args["titles"])

    def rule(f: Facts) -> Row:
        if not keys.isdisjoint(f.certs):
            return (spec, PASS, True, True, None, None, None, False, "")
        open_ = f.certs_open
        if open_ is UNKNOWN_TITLES:  # certifications left out
            return (spec, UNKNOWN, None, True, None, None, None, False, "")
        if not keys.isdisjoint(open_):
            return (spec, UNKNOWN, None, True, None, None, None, False, "validity_unknown")
        return (spec, FAIL, False, True, None, None, None, False, "")

    return rule


def standard_led(spec: Spec, args: dict[str, Any]) -> Rule:
    """Led a standard at one of ``levels`` within the last ``years`` years."""
    levels, years = frozenset(args["levels"]), int(args["years"])

    def rule(f: Facts) -> Row:
        led = f.standard_years
        if led is None:
            return (spec, UNKNOWN, None, True, None, None, None, False, "")
        first, last = f.as_of.year - years, f.as_of.year
        ok = any(lvl in levels and first <= y <= last for lvl, y in led)
        return (spec, PASS if ok else FAIL, ok, True, None, None, None, False, "")

    return rule


def maker_china(spec: Spec, args: dict[str, Any]) -> Rule:
    """Ranked within ``top`` of the national 创客中国 contest within ``years`` years."""
    top, years = int(args["top"]), int(args["years"])

    def rule(f: Facts) -> Row:
        ranks = f.maker_china_best
        if ranks is None:
            return (spec, UNKNOWN, None, True, None, None, None, False, "")
        first, last = f.as_of.year - years, f.as_of.year
        ok = any(first <= y <= last and r <= top for y, r in ranks.items())
        return (spec, PASS if ok else FAIL, ok, True, None, None, None, False, "")

    return rule


def has_any(spec: Spec, args: dict[str, Any]) -> Rule:
    """A set-valued fact (product fields, quality items) contains one of ``values``; a list
    the profile left out (fact None) is unknown, not "none" (profile.md)."""
    get, values = attrgetter(args["fact"]), frozenset(args["values"])

    def rule(f: Facts) -> Row:
        have = get(f)
        if have is None:
            return (spec, UNKNOWN, None, True, None, None, None, False, "")
        ok = not values.isdisjoint(have)
        return (spec, PASS if ok else FAIL, ok, True, None, None, None, False, "")

    return rule


BUILDERS: dict[str, Builder] = {
    "award": award,
    "holds": holds,
    "standard_led": standard_led,
    "maker_china": maker_china,
    "has_any": has_any,
}
