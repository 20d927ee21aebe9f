"""Issue 15 item 4 in the bureau's web: a curator recording a review outcome may cite one of
the firm's evidence files — the form offers that firm's files only, by name, and another
firm's file is refused beside the field — and a verdict settled on a file names it with a link
to its bytes: the bureau's download path for the bureau, the firm's own for the firm."""

from __future__ import annotations

import re
import sys
import uuid
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from gateway_testkit import PASSWORD
from gateway_testkit import USCC_A
from gateway_testkit import RecordingUpstream
from gateway_testkit import bearer
from gateway_testkit import gateway_before
from gateway_testkit import real_service
from sqlalchemy import select
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).parent))
from test_web_kit import HNTE_RESULT  # noqa: E402
from test_web_kit import canned  # noqa: E402
from test_web_kit import criterion  # noqa: E402
from test_web_kit import csrf_of  # noqa: E402
from test_web_kit import sign_in  # noqa: E402
from test_web_pages import _enterprise_upstreams  # noqa: E402

from yumiao_common.identifiers import generate_uscc  # noqa: E402

pytestmark = pytest.mark.integration
OTHER = generate_uscc("91", "371502", "MA3EDC02")
VERSION = re.compile(r'name="version" value="(\d+)"')
REPUTATION = "little_giant.c5_reputation"


def _settled(evidence: dict[str, Any]) -> dict[str, Any]:
    return {**criterion("pass"), "id": REPUTATION, "unit": None, "required": None,
            "title": {"zh": "主导产品具有较高知名度",
                      "en": "Main product enjoys a high reputation"},
            "actual": {"outcome": "pass", "reviewed_on": "2026-05-20", "evidence": evidence},
            "actual_text": {"zh": f"评审通过（2026-05-20）；依据材料：{evidence['filename']}",
                            "en": f"passed review (2026-05-20); evidence: {evidence['filename']}"},
            "note": "reviewed"}


def test_a_verdict_settled_on_a_file_links_the_file_for_the_bureau_and_for_the_firm(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    _enterprise_upstreams(upstreams)
    cited = {"id": 12, "submission_id": 3, "filename": "2025年度审计报告.pdf",
             "kind": "audit_report"}
    result = {**HNTE_RESULT, "criteria": [_settled(cited)]}
    canned(upstreams, "scoring", f"/api/v1/enterprises/{USCC_A}/evaluations", {
        "uscc": USCC_A, "evaluations": [{"tier": "hnte", "verdict": "near", "result": result}]})
    bureau = sign_in(app, "viewer").get(f"/enterprises/{USCC_A}").get_data(as_text=True)
    assert ('评审通过（2026-05-20）；依据材料：<a class="evidence" '
            'href="/api/v1/submissions/3/evidence/12">2025年度审计报告.pdf</a>') in bureau
    firm = sign_in(app, USCC_A).get("/my").get_data(as_text=True)
    assert 'href="/api/v1/me/submissions/3/evidence/12">2025年度审计报告.pdf</a>' in firm
    assert "/api/v1/submissions/3/evidence" not in firm
    english = sign_in(app, USCC_A).get("/my?lang=en").get_data(as_text=True)
    assert ('passed review (2026-05-20); evidence: <a class="evidence" '
            'href="/api/v1/me/submissions/3/evidence/12">') in english


@pytest.fixture(scope="module")
def registry_service(make_sqlite_url: Callable[[str], str]) -> Flask:
    return real_service("registry", make_sqlite_url("gw-review-evidence-registry"))


@pytest.fixture(scope="module")
def gateway(registry_service: Flask, migrated_url: str, app: Flask,
            upstreams: dict[str, RecordingUpstream]) -> Iterator[Flask]:
    """The gateway in front of the real registry (``app`` made the accounts)."""
    with gateway_before({"registry": registry_service}, migrated_url, upstreams,
                        {USCC_A: "甲公司 / Victim Co", OTHER: "乙公司 / Other Co"}) as gw:
        yield gw


def _file(registry_service: Flask, uscc: str, filename: str) -> int:
    """One evidence file of the firm's 2025 report, stored as the registry keeps it."""
    from registry.models import Enterprise
    from registry.models.submission import Submission
    from registry.models.submission import SubmissionEvidence

    with Session(registry_service.extensions["registry.engine"]) as session:
        enterprise_id = session.scalar(select(Enterprise.id).where(Enterprise.uscc == uscc))
        report = Submission(enterprise_id=enterprise_id, uscc=uscc, year=2025, open_year=None,
                            status="accepted", content={}, created_by=f"enterprise:{uscc}")
        session.add(report)
        session.flush()
        evidence = SubmissionEvidence(
            submission_id=report.id, uscc=uscc, item="general", kind="audit_report",
            filename=filename, media_type="application/pdf", size=10, sha256="0" * 64,
            storage_key=f"test/{uuid.uuid4().hex}", uploaded_by=f"enterprise:{uscc}")
        session.add(evidence)
        session.commit()
        return evidence.id


def _post(client: FlaskClient, url: str, data: dict[str, object]) -> tuple[int, str]:
    resp = client.post(url, data={**data, "csrf_token": csrf_of(client)})
    return resp.status_code, resp.get_data(as_text=True)


def test_the_review_form_offers_the_firms_own_files_and_refuses_another_firms(
    gateway: Flask, registry_service: Flask
) -> None:
    mine = _file(registry_service, USCC_A, "甲公司审计报告.pdf")
    theirs = _file(registry_service, OTHER, "乙公司审计报告.pdf")
    curator = sign_in(gateway, "curator")
    url = f"/enterprises/{USCC_A}/edit/reviews/new"
    form = curator.get(url).get_data(as_text=True)
    choice = form.split('id="f-evidence_id"')[1].split("</select>")[0]
    assert f'value="{mine}"' in choice
    assert "甲公司审计报告.pdf（2025 年度自报 · 审计报告）" in choice
    assert "乙公司" not in form and f'value="{theirs}"' not in choice
    version = VERSION.search(form).group(1)  # type: ignore[union-attr]
    outcome = {"criterion": REPUTATION, "outcome": "pass", "reviewed_on": "2026-05-20",
               "by": "市工信局专家组", "version": version}
    status, html = _post(curator, url, {**outcome, "evidence_id": str(theirs)})
    assert status == 422, html
    beside = html.split('id="e-evidence_id"')[1].split("</p>")[0]
    assert "不是该企业自报中的材料" in beside and "乙公司" not in html
    status, _ = _post(curator, url, {**outcome, "evidence_id": str(mine)})
    assert status == 303
    admin = bearer(gateway.test_client(), "admin", PASSWORD)
    stored = gateway.test_client().get(f"/api/v1/enterprises/{USCC_A}", headers=admin)
    assert stored.get_json()["assessments"]["reviews"][REPUTATION]["evidence"]["filename"] == \
        "甲公司审计报告.pdf"
    again = curator.get(f"/enterprises/{USCC_A}/edit/reviews/{REPUTATION}").get_data(as_text=True)
    assert f'<option value="{mine}" selected>' in again


def test_the_overview_names_the_file_each_outcome_cites_with_the_bureaus_download(
    gateway: Flask, registry_service: Flask
) -> None:
    """/enterprises/<uscc>/edit lists the review outcomes: one settled on a file reads
    依据材料：<filename>, the name linking to the bureau's download; one without a file names
    none. Viewers (who edit nothing) see the file too."""
    cited = _file(registry_service, USCC_A, "专家评审意见.pdf")
    curator = sign_in(gateway, "curator")
    url = f"/enterprises/{USCC_A}/edit/reviews/{REPUTATION}"
    version = VERSION.search(curator.get(url).get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    status, html = _post(curator, url, {"outcome": "pass", "reviewed_on": "2026-05-21",
                                        "by": "市工信局专家组", "version": version,
                                        "evidence_id": str(cited)})
    assert status == 303, html[:2000]
    stored = gateway.test_client().get(
        f"/api/v1/enterprises/{USCC_A}", headers=bearer(gateway.test_client(), "admin",
                                                        PASSWORD)).get_json()
    report_id = stored["assessments"]["reviews"][REPUTATION]["evidence"]["submission_id"]
    download = f"/api/v1/submissions/{report_id}/evidence/{cited}"
    for who in ("curator", "viewer"):
        page = sign_in(gateway, who).get(f"/enterprises/{USCC_A}/edit").get_data(as_text=True)
        row = page.split(f'id="review-{REPUTATION}"')[1].split("</tr>")[0]
        assert f'依据材料：<a href="{download}">专家评审意见.pdf</a>' in row, row
    # the file cited is removed again: the outcome stays and names no file
    version = VERSION.search(curator.get(url).get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    status, html = _post(curator, url, {"outcome": "pass", "reviewed_on": "2026-05-21",
                                        "by": "市工信局专家组", "version": version,
                                        "evidence_id": ""})
    assert status == 303, html[:2000]
    page = curator.get(f"/enterprises/{USCC_A}/edit").get_data(as_text=True)
    row = page.split(f'id="review-{REPUTATION}"')[1].split("</tr>")[0]
    assert "依据材料" not in row and "专家评审意见.pdf" not in row
