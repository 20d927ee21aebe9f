# mypy: disable-error-code="index"
"""A reviewer settling a review criterion can cite one of the firm's evidence files (issue 15
item 4): the outcome keeps the reference, the profile snapshot carries it and scoring's verdict
explains the criterion with the file's name. Another firm's file, or none, is a 422 naming
the field that changes nothing and never names the other firm's file."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from flask.testing import FlaskClient
from registry_testkit import HEADERS
from registry_testkit import create_enterprise
from registry_testkit import new_uscc
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.models import Enterprise
from registry.models.base import outbox_table
from registry.models.submission import Submission
from registry.models.submission import SubmissionEvidence
from scoring.domain import evaluate
from yumiao_common.contracts.events import parse_event
from yumiao_common.contracts.profile import Profile

pytestmark = pytest.mark.integration
REPUTATION = "little_giant.c5_reputation"
FIELD = f"assessments.reviews.{REPUTATION}.evidence_id"


def evidence_of(session: Session, uscc: str, filename: str) -> SubmissionEvidence:
    """One stored evidence file of the firm's 2025 report (the bytes are not needed here)."""
    enterprise_id = session.scalar(select(Enterprise.id).where(Enterprise.uscc == uscc))
    report = Submission(enterprise_id=enterprise_id, uscc=uscc, year=2025, open_year=None,
                        status="accepted", content={}, created_by=f"enterprise:{uscc}")
    session.add(report)
    session.flush()
    evidence = SubmissionEvidence(
        submission_id=report.id, uscc=uscc, item="general", kind="audit_report",
        filename=filename, media_type="application/pdf", size=1024, sha256="0" * 64,
        storage_key=f"test/{uuid.uuid4().hex}", scanned=False, uploaded_by=f"enterprise:{uscc}")
    session.add(evidence)
    session.commit()
    return evidence


def review(**extra: Any) -> dict[str, Any]:
    return {REPUTATION: {"outcome": "pass", "reviewed_on": "2026-10-09", "by": "专家组",
                         **extra}}


def patch(client: FlaskClient, uscc: str, reviews: Any, version: int,
          request_id: str | None = None) -> Any:
    headers = {**HEADERS, "X-Request-ID": request_id or uuid.uuid4().hex}
    return client.patch(f"/api/v1/enterprises/{uscc}", headers=headers, json={
        "version": version, "reason": "专家评审结果", "assessments": {"reviews": reviews}})


def test_citing_another_firms_file_or_no_file_is_refused_and_changes_nothing(
    client: FlaskClient, session: Session, enterprise: dict[str, Any]
) -> None:
    uscc, other = enterprise["uscc"], new_uscc()
    create_enterprise(client, other)
    theirs = evidence_of(session, other, "他人的审计报告.pdf")
    for cited in (theirs.id, 2**31 - 2):
        resp = patch(client, uscc, review(evidence_id=cited), enterprise["version"])
        assert resp.status_code == 422, resp.json
        assert list(resp.json["error"]["fields"]) == [FIELD]
        assert "他人的审计报告" not in json.dumps(resp.json, ensure_ascii=False)
    # the stored reference of a form sent back counts by its id: no way round the check
    sneaked = review(evidence={"id": theirs.id, "filename": "mine.pdf"})
    assert patch(client, uscc, sneaked, enterprise["version"]).status_code == 422
    for bad in ("12", 0, True):
        resp = patch(client, uscc, review(evidence_id=bad), enterprise["version"])
        assert resp.status_code == 422, bad
    assert client.get(f"/api/v1/enterprises/{uscc}").json["version"] == enterprise["version"]


def test_an_own_file_is_kept_with_the_outcome_and_named_by_the_verdict(
    client: FlaskClient, session: Session, enterprise: dict[str, Any]
) -> None:
    uscc = enterprise["uscc"]
    mine = evidence_of(session, uscc, "2025年度审计报告.pdf")
    request_id = uuid.uuid4().hex
    resp = patch(client, uscc, review(evidence_id=mine.id), enterprise["version"], request_id)
    assert resp.status_code == 200, resp.json
    reference = {"id": mine.id, "submission_id": mine.submission_id,
                 "filename": "2025年度审计报告.pdf", "kind": "audit_report"}
    shown = resp.json["assessments"]["reviews"][REPUTATION]
    assert shown["evidence"] == reference
    [payload] = session.scalars(select(outbox_table.c.payload).where(
        outbox_table.c.correlation_id == request_id))
    profile = Profile.model_validate(parse_event(json.dumps(payload)).payload.profile)  # type: ignore[attr-defined]
    criterion = next(c for c in evaluate(profile, tiers=("little_giant",))["little_giant"]
                     .to_dict()["criteria"] if c["id"] == REPUTATION)
    assert criterion["status"] == "pass"
    assert criterion["actual_text"]["zh"].endswith("依据材料：2025年度审计报告.pdf")
    assert criterion["actual"]["evidence"] == reference
    # sent back as read (the bureau's form re-sends every outcome) the file stays; null drops it
    again = patch(client, uscc, {REPUTATION: shown}, resp.json["version"])
    assert again.status_code == 200, again.json
    assert again.json["assessments"]["reviews"][REPUTATION]["evidence"] == reference
    dropped = patch(client, uscc, {REPUTATION: {**shown, "evidence_id": None}},
                    again.json["version"])
    assert dropped.status_code == 200, dropped.json
    assert "evidence" not in dropped.json["assessments"]["reviews"][REPUTATION]
