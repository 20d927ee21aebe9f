"""Builders over titles and lists: awards, titles held, standards led, contest ranks, sets.

These read the holdings facts (``scoring.domain.holdings``); an empty list means "none",
because the registry sends the complete lists of a profile.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from scoring.domain.facts import Facts
from scoring.domain.holdings import has_award
from scoring.domain.rules.base import Builder
from scoring.domain.rules.base import Rule
from scoring.domain.verdict import FAIL
from scoring.domain.verdict import PASS
from scoring.domain.verdict import Row
from scoring.domain.verdict import Spec


def award(spec: Spec, args: dict[str, Any]) -> Rule:
    """An S&T award at given levels within ``years`` years, ranked within ``top``."""
    levels, years, top = frozenset(args["levels"]), int(args["years"]), int(args["top"])

    def rule(f: Facts) -> Row:
        ok = bool(f.award_best) and has_award(f, levels, years, top)
        return (spec, PASS if ok else FAIL, ok, True, None, None, None, False, "")

    return rule


def holds(spec: Spec, args: dict[str, Any]) -> Rule:
    """Holds one of the given titles (tier keys or honours), valid on ``as_of``."""
    keys = frozenset(args["titles"])

    def rule(f: Facts) -> Row:
        ok = not keys.isdisjoint(f.certs)
        return (spec, PASS if ok else FAIL, ok, True, None, None, None, False, "")

    return rule


def standard_led(spec: Spec, args: dict[str, Any]) -> Rule:
    """Led a standard at one of ``levels`` within the last ``years`` years."""
    levels, years = frozenset(args["levels"]), int(args["years"])

    def rule(f: Facts) -> Row:
        first = f.as_of.year - years
        ok = bool(f.standard_years) and any(
            lvl in levels and y >= first for lvl, y in f.standard_years
        )
        return (spec, PASS if ok else FAIL, ok, True, None, None, None, False, "")

    return rule


def maker_china(spec: Spec, args: dict[str, Any]) -> Rule:
    """Ranked within ``top`` of the national 创客中国 contest within ``years`` years."""
    top, years = int(args["top"]), int(args["years"])

    def rule(f: Facts) -> Row:
        first = f.as_of.year - years
        ok = bool(f.maker_china_best) and any(
            y >= first and r <= top for y, r in f.maker_china_best.items()
        )
        return (spec, PASS if ok else FAIL, ok, True, None, None, None, False, "")

    return rule


def has_any(spec: Spec, args: dict[str, Any]) -> Rule:
    """A set-valued fact (product fields, quality items) contains one of ``values``."""
    get, values = attrgetter(args["fact"]), frozenset(args["values"])

    def rule(f: Facts) -> Row:
        ok = not values.isdisjoint(get(f))
        return (spec, PASS if ok else FAIL, ok, True, None, None, None, False, "")

    return rule


BUILDERS: dict[str, Builder] = {
    "award": award,
    "holds": holds,
    "standard_led": standard_led,
    "maker_china": maker_china,
    "has_any": has_any,
}
