"""The impact of a proposed change: who gains eligibility, who loses it, and why.

Pure comparison of freshly computed rows with what is stored, plus the bulk write of the
changed pairs. "Gain" means the verdict becomes ``eligible``; "loss" means an ``eligible``
verdict is lost; any other move (e.g. ineligible → near) is a "change". The why is the list of
criteria newly met and newly failed, which is what an analyst checks before activating.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from scoring.events import criteria_moves
from scoring.models import ReevaluationImpact
from scoring.ranking import decimal_text
from scoring.ranking import score_mid
from scoring.store import Previous


def classify(before: str | None, after: str) -> str | None:
    """gain / loss / change, or None when the verdict does not move."""
    if before == after:
        return None
    if after == "eligible":
        return "gain"
    if before == "eligible":
        return "loss"
    return "change"


def impact_rows(
    job_id: uuid.UUID,
    rows: Sequence[Mapping[str, Any]],
    previous: Mapping[tuple[str, str], Previous],
) -> list[dict[str, Any]]:
    """One impact row per enterprise × tier whose verdict the change would move."""
    out: list[dict[str, Any]] = []
    for row in rows:
        held = previous.get((row["uscc"], row["tier"]))
        before = held.verdict if held else None
        kind = classify(before, row["verdict"])
        if kind is None:
            continue
        met, lost = criteria_moves(held.result if held else None, row["result"])
        out.append({
            "job_id": job_id, "uscc": row["uscc"], "tier": row["tier"], "kind": kind,
            "before": before, "after": row["verdict"],
            "score_before": _score_text(held.result if held else None),
            "score_after": _score_text(row["result"]),
            "criteria_met": met, "criteria_lost": lost,
        })
    return out


def _score_text(result: Mapping[str, Any] | None) -> str | None:
    mid = score_mid(result.get("score")) if result else None
    return None if mid is None else decimal_text(mid)


def write_impact(
    session: Session, job_id: uuid.UUID, impacts: Sequence[dict[str, Any]], evaluated: int
) -> dict[str, int]:
    """Store the impact rows (bulk) and return the summary counts for the job."""
    if impacts:
        session.execute(insert(ReevaluationImpact), list(impacts))
    plural = {"gain": "gains", "loss": "losses", "change": "changes"}
    summary = dict.fromkeys(plural.values(), 0)
    for item in impacts:
        summary[plural[item["kind"]]] += 1
    summary["evaluated"] = evaluated
    summary["unchanged"] = evaluated - len(impacts)
    return summary
