"""``scoring.eligibility.changed``: what moved, by how much, and why — into the outbox.

The payload says before/after verdicts, the score, which criteria were newly met or lost
(ids, and the met ones' titles in both languages) and the rulebook version with its official
documents (so a notice names 国科发政〔2017〕115号, not ``tech_sme@2017-05-03``); ``before``
is None on a first evaluation.
It is written with the shared ``add_event`` in the caller's transaction; ``scoring.relay``
publishes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from scoring.domain.rulebook import all_rulebooks
from scoring.models import outbox
from yumiao_common.contracts.scoring import CriterionTitle
from yumiao_common.contracts.scoring import EligibilityChanged
from yumiao_common.contracts.scoring import EligibilityChangedPayload
from yumiao_common.contracts.scoring import Score
from yumiao_common.messaging.outbox import add_event


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


def emit_eligibility_changed(
    session: Session,
    *,
    row: Mapping[str, Any],
    before: Mapping[str, Any] | None,
    enterprise_name: str,
    as_of: date,
    correlation_id: str | None,
) -> None:
    """Write one EligibilityChanged for a stored row whose verdict moved (or first news)."""
    after = row["result"]
    met, lost = criteria_moves(before, after)
    payload = EligibilityChangedPayload(
        uscc=row["uscc"],
        enterprise_name=enterprise_name,
        tier=row["tier"],
        before=before.get("verdict") if before else None,
        after=row["verdict"],
        score=_score(after.get("score")),
        criteria_gained=tuple(met),
        criteria_lost=tuple(lost),
        rulebook_version=row["rulebook_version"],
        as_of=as_of,
        criteria_gained_titles=_titles(after, met),
        rulebook_documents=documents_of(str(row["rulebook_version"])),
    )
    event = EligibilityChanged(correlation_id=correlation_id, payload=payload)
    add_event(session, outbox, event)


def _score(score: Mapping[str, Any] | None) -> Score | None:
    if not score or score.get("min") is None or score.get("max") is None:
        return None
    return Score.model_validate(score)


def _titles(result: Mapping[str, Any], ids: list[str]) -> tuple[CriterionTitle, ...]:
    wanted = set(ids)
    out = []
    for c in result.get("criteria") or ():
        title = c.get("title") or {}
        if c.get("id") in wanted and title.get("zh") and title.get("en"):
            out.append(CriterionTitle(id=str(c["id"]), zh=title["zh"], en=title["en"]))
    return tuple(out)


def documents_of(version: str) -> tuple[str, ...]:
    """The official documents of a rulebook version ``<tier>@<effective date>``."""
    tier, _, effective = version.partition("@")
    for day, data in all_rulebooks().get(tier, ()):
        if day.isoformat() == effective:
            return tuple(str(d) for d in data.get("documents") or ())
    return ()
