"""The 300号 size table as one SQL expression, so a size class is computed by the database.

The table itself stays where it is kept once, ``yumiao_common.contracts.sme_size``: this module
reads it through its public ``rule_for`` and ``RULES`` and writes the same decision in SQL, so
statistics can group thousands of enterprises by size class in one statement (never one call
per firm). How a code picks its row is learnt from ``rule_for`` itself: each section letter's
usual row, the two-digit divisions that differ from it, and — where a division alone cannot
pick the row (K70) — its three-digit groups. ``tests/registry/integration/
test_statistics_as_of_a_date.py`` checks the SQL against ``classify`` code by code.
"""

from __future__ import annotations

import string
from collections import Counter
from dataclasses import dataclass
from dataclasses import field
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import literal
from sqlalchemy import null
from sqlalchemy import or_

from yumiao_common.contracts.sme_size import RULES
from yumiao_common.contracts.sme_size import SizeClass
from yumiao_common.contracts.sme_size import SizeRule
from yumiao_common.contracts.sme_size import rule_for

_LETTERS = tuple(string.ascii_uppercase)
_DIVISIONS = tuple(f"{n:02d}" for n in range(100))
_DIGITS = tuple(string.digits)
_RULES_BY_KEY = {rule.key: rule for rule in RULES}


@dataclass(frozen=True)
class _Selection:
    """How a GB/T 4754 code picks its row, as prefix lists (None: no row can be picked)."""

    groups: dict[str, str | None] = field(default_factory=dict)  # "K701" → real_estate
    undecided: list[str] = field(default_factory=list)  # "K70": a group is needed
    everywhere: dict[str, str] = field(default_factory=dict)  # "51" → wholesale, any section
    divisions: dict[str, str] = field(default_factory=dict)  # "X12" → a section's exception
    sections: dict[str, str] = field(default_factory=dict)  # "C" → industry


def _key(rule: SizeRule | None) -> str | None:
    return None if rule is None else rule.key


@cache
def _selection() -> _Selection:
    picked = _Selection()
    found = {(letter, d): rule_for(letter + d) for letter in _LETTERS for d in _DIVISIONS}
    for letter in _LETTERS:
        keys = Counter(_key(found[letter, d]) for d in _DIVISIONS)
        picked.sections[letter] = str(max(keys, key=lambda k: (k is not None, keys[k])))
    for d in _DIVISIONS:
        seen = {_key(found[letter, d]) for letter in _LETTERS}
        only = seen.pop() if len(seen) == 1 else None
        if only is not None and any(picked.sections[x] != only for x in _LETTERS):
            picked.everywhere[d] = only
            continue
        for letter in _LETTERS:
            rule = found[letter, d]
            prefix = letter + d
            if rule is None:
                picked.undecided.append(prefix)
                picked.groups.update({prefix + g: _key(rule_for(prefix + g)) for g in _DIGITS})
            elif rule.key != picked.sections[letter]:
                picked.divisions[prefix] = rule.key
    return picked


def _keys_of(mapping: dict[str, Any]) -> dict[Any, list[str]]:
    """{row key: [prefixes]} of a {prefix: row key} map."""
    out: dict[Any, list[str]] = {}
    for prefix, key in mapping.items():
        out.setdefault(key, []).append(prefix)
    return out


def rule_key_sql(code: Any) -> ColumnElement[Any]:
    """The 300号 row (``SizeRule.key``) of a GB/T 4754 code column; NULL when none."""
    picked = _selection()
    whens: list[tuple[ColumnElement[bool], Any]] = [
        (or_(code.is_(None), func.length(code) < 3), null())
    ]
    for key, prefixes in _keys_of(picked.groups).items():
        whens.append((func.substr(code, 1, 4).in_(prefixes), literal(key) if key else null()))
    if picked.undecided:
        whens.append((func.substr(code, 1, 3).in_(picked.undecided), null()))
    for key, divisions in _keys_of(picked.everywhere).items():
        whens.append((func.substr(code, 2, 2).in_(divisions), literal(key)))
    for key, prefixes in _keys_of(picked.divisions).items():
        whens.append((func.substr(code, 1, 3).in_(prefixes), literal(key)))
    for key, letters in _keys_of(picked.sections).items():
        whens.append((func.substr(code, 1, 1).in_(letters), literal(key)))
    return case(*whens, else_=null())


def _measure_class(column: Any, thresholds: tuple[int, int, int]) -> ColumnElement[int]:
    large, medium, small = thresholds
    return case(
        (column >= large, int(SizeClass.LARGE)),
        (column >= medium, int(SizeClass.MEDIUM)),
        (column >= small, int(SizeClass.SMALL)),
        else_=int(SizeClass.MICRO),
    )


def _rule_class(rule: SizeRule, figures: dict[str, Any]) -> ColumnElement[Any]:
    """The class under one row: the lowest over its measures; NULL when one is unknown."""
    columns = [figures[m.field] for m in rule.measures]
    classes = [
        _measure_class(figures[m.field], (m.threshold(0), m.threshold(1), m.threshold(2)))
        for m in rule.measures
    ]
    lowest = classes[0]
    for other in classes[1:]:
        lowest = case((lowest <= other, lowest), else_=other)
    return case((or_(*(c.is_(None) for c in columns)), null()), else_=lowest)


def size_class_sql(code: Any, figures: dict[str, Any]) -> ColumnElement[Any]:
    """``classify(code, figures).key`` in SQL: 'large', 'medium', 'small', 'micro' or NULL.

    ``figures`` maps ``employees``, ``operating_revenue`` and ``total_assets`` to columns
    (persons, yuan). ``code`` is read by several branches: pass a plain column (compute an
    expensive code once, in a derived table), not a subquery.
    """
    by_rule = case(
        {key: _rule_class(rule, figures) for key, rule in _RULES_BY_KEY.items()},
        value=rule_key_sql(code),
        else_=null(),
    )
    return case({int(size): size.key for size in SizeClass}, value=by_rule, else_=null())
