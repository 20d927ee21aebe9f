"""What moved between two results of one tier: criteria newly met or lost, and their titles.

Pure code: the eligibility event and the impact of a re-evaluation both say which criteria a
verdict move gained or lost, by id and by title.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from yumiao_common.contracts.scoring import CriterionTitle


def criteria_status(result: Mapping[str, Any] | None) -> dict[str, str]:
    """Criterion id → status, for diffing two results of one tier."""
    if not result:
        return {}
    return {str(c.get("id")): str(c.get("status")) for c in result.get("criteria") or ()}


def criteria_moves(
    before: Mapping[str, Any] | None, after: Mapping[str, Any]
) -> tuple[list[str], list[str]]:
    """(newly met, newly lost) criterion ids between two results of one tier."""
    old, new = criteria_status(before), criteria_status(after)
    met = [cid for cid, status in new.items() if status == "pass" and old.get(cid) != "pass"]
    lost = [cid for cid, status in old.items() if status == "pass" and new.get(cid) != "pass"]
    return met, lost


def criterion_titles(result: Mapping[str, Any], ids: list[str]) -> tuple[CriterionTitle, ...]:
    """The titles of these criteria in both languages (those that have both)."""
    wanted = set(ids)
    out = []
    for c in result.get("criteria") or ():
        title = c.get("title") or {}
        if c.get("id") in wanted and title.get("zh") and title.get("en"):
            out.append(CriterionTitle(id=str(c["id"]), zh=title["zh"], en=title["en"]))
    return tuple(out)
