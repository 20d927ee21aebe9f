"""A review outcome may cite one of the firm's evidence files (issue 15 item 4).

A reviewer settling a ``review`` criterion (``assessments.reviews[<criterion id>]``) names
the file by ``evidence_id``; the outcome then carries the reference ``evidence`` = {id,
submission_id, filename, kind}, which the profile, scoring's verdict and the pages show.
Only a file of the same firm may be cited: anything else is a 422 naming the field, and
no other firm's file is ever named back (the answer is the same for a missing id).

An outcome sent back as it was read (``evidence`` without ``evidence_id``, as the bureau's
form re-sends the other outcomes) keeps its file, checked again; ``evidence_id: null``
removes it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from registry.models.submission import SubmissionEvidence
from yumiao_common.web.errors import ValidationFailed

NOT_THIS_FIRMS = ("不是该企业自报中的材料 / not an evidence file of this enterprise's "
                  "yearly reports")
_MISSING = object()


def cite_evidence(session: Session, *, uscc: str, reviews: dict[str, Any]) -> dict[str, Any]:
    """``reviews`` with each cited file resolved to its reference (a new dict)."""
    out: dict[str, Any] = {}
    problems: dict[str, list[str]] = {}
    for criterion, entry in reviews.items():
        entry = dict(entry)
        wanted = entry.pop("evidence_id", _MISSING)
        shown = entry.pop("evidence", None)
        if wanted is _MISSING:
            wanted = shown.get("id") if isinstance(shown, dict) else None
        if wanted is not None:
            found = session.get(SubmissionEvidence, wanted)
            if found is None or found.uscc != uscc:
                problems[f"assessments.reviews.{criterion}.evidence_id"] = [NOT_THIS_FIRMS]
                continue
            entry["evidence"] = reference(found)
        out[criterion] = entry
    if problems:
        raise ValidationFailed(fields=problems)
    return out


def reference(evidence: SubmissionEvidence) -> dict[str, Any]:
    """What a review outcome keeps of the file it cites."""
    return {"id": evidence.id, "submission_id": evidence.submission_id,
            "filename": evidence.filename, "kind": evidence.kind}
