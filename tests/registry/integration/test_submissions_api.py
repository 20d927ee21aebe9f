"""Firms report their own yearly figures with evidence and the bureau reviews them (issue 15):
a draft pre-filled from the registry, field-by-field validation, completeness on submit,
evidence recognised by content and kept to its firm, a review that returns one field and
applies the rest through the registry's own handlers (audit: reviewer and firm; events in the
outbox), and a corrected resubmission that is accepted.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from registry_testkit import create_enterprise
from registry_testkit import new_uscc
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from registry.app import create_app
from registry.models import AuditEntry
from registry.models import Enterprise
from registry.models.base import outbox_table
from registry.settings import Settings
from yumiao_common.contracts.events import parse_event
from yumiao_common.contracts.registry import EnterpriseChanged
from yumiao_common.contracts.registry import SubmissionReviewed
from yumiao_common.contracts.registry import SubmissionSubmitted
from yumiao_common.db.engine import make_session_factory

pytestmark = pytest.mark.integration

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
BUREAU = {"X-Actor": "user:reviewer.li"}
MAX_BYTES = 8 * 1024


@pytest.fixture(scope="module")
def evidence_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("evidence")


@pytest.fixture(scope="module")
def sub_app(database_url: str, evidence_dir: Path) -> Flask:
    """The registry with its evidence in a directory of the run and a small file limit."""
    return create_app(Settings(database_url=database_url, log_json=False, log_level="WARNING",
                               evidence_dir=str(evidence_dir), evidence_max_bytes=MAX_BYTES))


@pytest.fixture
def api(sub_app: Flask) -> FlaskClient:
    return sub_app.test_client()


@pytest.fixture
def db(sub_app: Flask) -> Iterator[Session]:
    factory: sessionmaker[Session] = make_session_factory(sub_app.extensions["registry.engine"])
    with factory() as session:
        yield session


def _firm(uscc: str) -> dict[str, str]:
    return {"X-Actor": f"firm:{uscc}"}


def _base(uscc: str) -> str:
    return f"/api/v1/enterprises/{uscc}/submissions"


def _open(api: FlaskClient, uscc: str, year: int = 2024) -> dict[str, Any]:
    made = api.post(_base(uscc), json={"year": year}, headers=_firm(uscc))
    assert made.status_code == 201, made.json
    return made.json  # type: ignore[no-any-return]


def _save(api: FlaskClient, uscc: str, sub: dict[str, Any], content: dict[str, Any]) -> Any:
    return api.put(f"{_base(uscc)}/{sub['id']}", json={"content": content},
                   headers={**_firm(uscc), "If-Match": f'"{sub["version"]}"'})


def _attach(api: FlaskClient, uscc: str, sub_id: int, data: bytes, name: str,
            item: str = "general", kind: str = "audit_report",
            content_type: str = "application/octet-stream") -> Any:
    return api.post(f"{_base(uscc)}/{sub_id}/evidence", headers=_firm(uscc),
                    content_type="multipart/form-data",
                    data={"item": item, "kind": kind,
                          "file": (io.BytesIO(data), name, content_type)})


def _xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["研发费用", 2_900_000])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<Types><Override ContentType="application/'
                         'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"'
                         '/></Types>')
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


ALL_FLAGS_NO = {f: False for f in (
    "major_safety_incident", "major_quality_incident", "serious_environmental_violation",
    "research_misconduct", "abnormal_operations_list", "serious_dishonesty_list",
    "wage_or_insurance_arrears", "tax_violation", "bad_bank_credit_2y", "tax_evasion",
    "restricted_products")}
NEW_IP = {"kind": "invention_patent", "number": "ZL202410000001.X", "title": "一种轴承密封结构",
          "granted_on": "2024-05-06", "acquired_by": "self_developed",
          "related_to_main_product": True}


def test_a_draft_is_pre_filled_from_the_registry_and_one_is_open_a_year(
    api: FlaskClient, enterprise: dict[str, Any]
) -> None:
    uscc = enterprise["uscc"]
    draft = _open(api, uscc)
    assert draft["status"] == "draft" and draft["year"] == 2024
    assert draft["content"]["financials"]["rd_expense"] == 2_600_000  # the registry's 2024
    assert draft["content"]["flags"]["major_safety_incident"] is False
    assert draft["content"]["flags"]["tax_evasion"] is None  # not known in the registry
    assert draft["content"]["ip"] == [] and draft["content"]["awards"] == []
    assert draft["enterprise_name"] == enterprise["name"]
    again = api.post(_base(uscc), json={"year": 2024}, headers=_firm(uscc))
    assert again.status_code == 409 and again.json["error"]["details"]["id"] == draft["id"]
    assert api.post(_base(uscc), json={"year": 2023}, headers=_firm(uscc)).status_code == 201
    listed = api.get(_base(uscc)).json
    assert [i["year"] for i in listed["items"]] == [2023, 2024]  # newest first
    got = api.get(f"{_base(uscc)}/{draft['id']}")
    assert got.status_code == 200 and got.headers["ETag"] == f'"{draft["version"]}"'


@pytest.mark.parametrize("year", [1999, 2100])
def test_a_year_outside_2000_to_this_year_is_refused(
    api: FlaskClient, enterprise: dict[str, Any], year: int
) -> None:
    answer = api.post(_base(enterprise["uscc"]), json={"year": year},
                      headers=_firm(enterprise["uscc"]))
    assert answer.status_code == 422 and "year" in answer.json["error"]["fields"]


@pytest.mark.parametrize(("content", "path"), [
    ({"financials": {"rd_expense": -5}}, "content.financials.rd_expense"),
    ({"financials": {"employees": 10, "rd_staff": 11}}, "content.financials.rd_staff"),
    ({"financials": {"operating_revenue": "lots"}}, "content.financials.operating_revenue"),
    ({"flags": {"tax_violation": "maybe"}}, "content.flags.tax_violation"),
    ({"flags": {"no_such_flag": True}}, "content.flags.no_such_flag"),
    ({"ip": [{"kind": "perpetual_motion", "number": "X1"}]}, "content.ip.0.kind"),
    ({"ip": [{"granted_on": "2999-01-01"}]}, "content.ip.0.granted_on"),
    ({"awards": [{"level": "national", "year": 1800}]}, "content.awards.0.year"),
])
def test_each_field_is_validated_as_the_registry_validates_it(
    api: FlaskClient, enterprise: dict[str, Any], content: dict[str, Any], path: str
) -> None:
    uscc = enterprise["uscc"]
    sub = _open(api, uscc)
    answer = _save(api, uscc, sub, content)
    assert answer.status_code == 422, answer.json
    assert path in answer.json["error"]["fields"], answer.json


def test_a_draft_saves_partial_content_and_a_stale_version_is_412(
    api: FlaskClient, enterprise: dict[str, Any]
) -> None:
    uscc = enterprise["uscc"]
    sub = _open(api, uscc)
    saved = _save(api, uscc, sub, {"financials": {"rd_expense": 2_900_000},
                                   "awards": [{"level": "municipal"}]})
    assert saved.status_code == 200, saved.json
    assert saved.json["content"]["financials"] == {"rd_expense": 2_900_000}
    assert saved.json["content"]["flags"]["major_safety_incident"] is False  # kept
    assert saved.headers["ETag"] == f'"{saved.json["version"]}"' != f'"{sub["version"]}"'
    stale = _save(api, uscc, sub, {"financials": {}})
    assert stale.status_code == 412 and stale.json["error"]["code"] == "stale_version"
    no_version = api.put(f"{_base(uscc)}/{sub['id']}", json={"content": {}}, headers=_firm(uscc))
    assert no_version.status_code == 428


def test_submitting_an_incomplete_report_lists_every_missing_field(
    api: FlaskClient, enterprise: dict[str, Any]
) -> None:
    uscc = enterprise["uscc"]
    sub = _open(api, uscc)
    saved = _save(api, uscc, sub, {"financials": {"employees": 120},
                                   "awards": [{"level": "municipal"}], "ip": [NEW_IP]})
    answer = api.post(f"{_base(uscc)}/{sub['id']}/submit", headers=_firm(uscc))
    assert answer.status_code == 422 and answer.json["error"]["code"] == "incomplete"
    fields = answer.json["error"]["fields"]
    assert {"financials.rd_expense", "financials.rd_staff", "flags.tax_evasion",
            "awards.0.year", "evidence.financials", "evidence.ip.0"} <= set(fields), fields
    assert "financials.employees" not in fields and "ip.0.number" not in fields
    assert api.get(f"{_base(uscc)}/{saved.json['id']}").json["status"] == "draft"


def test_evidence_is_recognised_by_content_not_by_name(
    api: FlaskClient, enterprise: dict[str, Any], evidence_dir: Path
) -> None:
    uscc = enterprise["uscc"]
    sub = _open(api, uscc)
    renamed = _attach(api, uscc, sub["id"], PDF, "审计报告.png", content_type="image/png")
    assert renamed.status_code == 201, renamed.json
    assert renamed.json["media_type"] == "application/pdf"
    assert renamed.json["filename"] == "审计报告.pdf" and renamed.json["size"] == len(PDF)
    sheet = _attach(api, uscc, sub["id"], _xlsx(), "辅助账.bin", kind="rd_account",
                    item="financials.rd_expense")
    assert sheet.status_code == 201, sheet.json
    assert sheet.json["media_type"].endswith("spreadsheetml.sheet")
    for data, name in ((b"just some text, honestly a PDF", "report.pdf"),
                       (_docx(), "workbook.xlsx"), (b"PK\x03\x04broken", "x.xlsx")):
        refused = _attach(api, uscc, sub["id"], data, name, content_type="application/pdf")
        assert refused.status_code == 415, (name, refused.json)
        assert "file" in refused.json["error"]["fields"]
    too_big = _attach(api, uscc, sub["id"], PDF + b"0" * MAX_BYTES, "big.pdf")
    assert too_big.status_code == 413 and too_big.json["error"]["details"]["max_bytes"] == MAX_BYTES
    bad_item = _attach(api, uscc, sub["id"], PDF, "a.pdf", item="ip.3")
    assert bad_item.status_code == 422 and "item" in bad_item.json["error"]["fields"]
    got = api.get(f"{_base(uscc)}/{sub['id']}/evidence/{renamed.json['id']}")
    assert got.status_code == 200 and got.data == PDF
    assert got.headers["Content-Type"] == "application/pdf"
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%E5%AE%A1" in got.headers["Content-Disposition"]
    listed = api.get(f"{_base(uscc)}/{sub['id']}").json["evidence"]
    assert [e["item"] for e in listed] == ["general", "financials.rd_expense"]
    assert len(list(evidence_dir.rglob("*"))) >= 2


def test_a_stored_file_changed_behind_the_registry_is_not_served(
    api: FlaskClient, enterprise: dict[str, Any], evidence_dir: Path
) -> None:
    uscc = enterprise["uscc"]
    sub = _open(api, uscc)
    made = _attach(api, uscc, sub["id"], PDF, "a.pdf").json
    [stored] = [p for p in (evidence_dir / uscc / str(sub["id"])).iterdir()]
    stored.write_bytes(PDF.replace(b"Catalog", b"Catalos"))
    answer = api.get(f"{_base(uscc)}/{sub['id']}/evidence/{made['id']}")
    assert answer.status_code == 503 and answer.json["error"]["code"] == "evidence_unreadable"


def test_another_firm_never_reads_a_report_or_its_evidence(
    api: FlaskClient, enterprise: dict[str, Any]
) -> None:
    uscc = enterprise["uscc"]
    other = new_uscc()
    create_enterprise(api, other)
    sub = _open(api, uscc)
    made = _attach(api, uscc, sub["id"], PDF, "a.pdf").json
    paths = [f"{_base(other)}/{sub['id']}", f"{_base(other)}/{sub['id']}/evidence/{made['id']}"]
    for path in paths:
        answer = api.get(path, headers=_firm(other))
        assert answer.status_code == 404, path
        assert PDF not in answer.data
    assert api.delete(f"{_base(other)}/{sub['id']}/evidence/{made['id']}",
                      headers=_firm(other)).status_code == 404
    assert api.get(f"{_base(other)}").json["items"] == []
    # the bureau reads it through its own path
    bureau = api.get(f"/api/v1/submissions/{sub['id']}/evidence/{made['id']}")
    assert bureau.status_code == 200 and bureau.data == PDF
    deleted = api.delete(f"{_base(uscc)}/{sub['id']}/evidence/{made['id']}", headers=_firm(uscc))
    assert deleted.status_code == 204
    assert api.get(f"{_base(uscc)}/{sub['id']}/evidence/{made['id']}").status_code == 404


def _events(db: Session, request_id: str) -> list[Any]:
    rows = db.execute(select(outbox_table.c.payload).where(
        outbox_table.c.correlation_id == request_id).order_by(outbox_table.c.created_at))
    return [parse_event(json.dumps(payload)) for (payload,) in rows]


def _complete(api: FlaskClient, uscc: str) -> dict[str, Any]:
    """A report with new figures, every flag, one new IP item and its certificate."""
    sub = _open(api, uscc)
    saved = _save(api, uscc, sub, {
        "financials": {"employees": 130, "science_staff": 32, "rd_staff": 22,
                       "operating_revenue": 52_000_000, "rd_expense": 3_100_000,
                       "total_assets": 61_000_000, "net_profit": 4_200_000},
        "flags": ALL_FLAGS_NO, "ip": [NEW_IP]})
    assert saved.status_code == 200, saved.json
    assert _attach(api, uscc, sub["id"], PDF, "audit.pdf").status_code == 201
    assert _attach(api, uscc, sub["id"], PDF, "cert.pdf", item="ip.0",
                   kind="ip_certificate").status_code == 201
    request_id = uuid.uuid4().hex
    done = api.post(f"{_base(uscc)}/{sub['id']}/submit",
                    headers={**_firm(uscc), "X-Request-ID": request_id})
    assert done.status_code == 200, done.json
    assert done.json["status"] == "submitted" and done.json["submitted_at"]
    return {**done.json, "request_id": request_id}


def test_review_returns_one_field_applies_the_rest_and_a_resubmission_is_accepted(
    api: FlaskClient, db: Session, enterprise: dict[str, Any]
) -> None:
    uscc = enterprise["uscc"]
    sub = _complete(api, uscc)
    [submitted] = _events(db, sub["request_id"])
    assert isinstance(submitted, SubmissionSubmitted)
    assert submitted.payload.submission_id == sub["id"]
    assert api.put(f"{_base(uscc)}/{sub['id']}", json={"content": {}}, headers={
        **_firm(uscc), "If-Match": f'"{sub["version"]}"'}).status_code == 409  # under review
    queue = api.get("/api/v1/submissions", query_string={"year": 2024, "limit": 200}).json
    assert sub["id"] in [i["id"] for i in queue["items"]]
    view = api.get(f"/api/v1/submissions/{sub['id']}").json
    diffs = {d["field"]: d for d in view["differences"]}
    assert diffs["financials.rd_expense"] == {
        "field": "financials.rd_expense", "label_zh": "研发费用", "label_en": "R&D expense",
        "registry_value": 2_600_000, "submitted_value": 3_100_000, "unit": "元 / yuan"}
    assert "ip.0" in diffs and "flags.tax_evasion" in diffs
    assert "flags.major_safety_incident" not in diffs  # the same as the registry
    decisions = [{"field": f, "outcome": "accept"} for f in diffs if f != "financials.rd_expense"]
    missing_reason = api.post(f"/api/v1/submissions/{sub['id']}/review", headers=BUREAU, json={
        "decisions": [*decisions, {"field": "financials.rd_expense", "outcome": "return"}]})
    assert missing_reason.status_code == 422
    assert f"decisions.{len(decisions)}.reason" in missing_reason.json["error"]["fields"]
    undecided = api.post(f"/api/v1/submissions/{sub['id']}/review", headers=BUREAU,
                         json={"decisions": decisions})
    assert undecided.status_code == 422
    assert "fields.financials.rd_expense" in undecided.json["error"]["fields"]
    request_id = uuid.uuid4().hex
    reviewed = api.post(f"/api/v1/submissions/{sub['id']}/review",
                        headers={**BUREAU, "X-Request-ID": request_id}, json={
        "decisions": [*decisions, {"field": "financials.rd_expense", "outcome": "return",
                                   "reason": "与审计报告不符 / does not match the audit report"}],
        "note": "请核对研发费用"})
    assert reviewed.status_code == 200, reviewed.json
    assert reviewed.json["status"] == "returned"
    returned = [d for d in reviewed.json["decisions"] if d["outcome"] == "returned"]
    assert [(d["field"], d["reviewer"]) for d in returned] == [
        ("financials.rd_expense", "user:reviewer.li")]
    # the accepted fields are in the registry; the returned one is not
    figures = api.get(f"/api/v1/enterprises/{uscc}/financials/2024").json
    assert (figures["employees"], figures["rd_expense"]) == (130, 2_600_000)
    assert figures["hightech_revenue"] == 35_000_000  # a figure the report left alone stays
    ip = api.get(f"/api/v1/enterprises/{uscc}/ip").json["items"]
    assert [i["number"] for i in ip].count(NEW_IP["number"]) == 1
    assert api.get(f"/api/v1/enterprises/{uscc}").json["flags"]["tax_evasion"] is False
    # audit: the reviewer acted, the firm is named as the source
    enterprise_id = db.scalar(select(Enterprise.id).where(Enterprise.uscc == uscc))
    applied = db.scalars(select(AuditEntry).where(
        AuditEntry.enterprise_id == enterprise_id, AuditEntry.entity == "annual_financials",
        AuditEntry.request_id == request_id)).one()
    assert applied.actor == "user:reviewer.li"
    assert f"submitted by {uscc}, submission {sub['id']}" in (applied.reason or "")
    assert "employees" in applied.changes and "rd_expense" not in applied.changes
    events = _events(db, request_id)
    assert any(isinstance(e, EnterpriseChanged) for e in events)
    [outcome] = [e for e in events if isinstance(e, SubmissionReviewed)]
    assert outcome.payload.status == "returned"
    assert outcome.payload.returned_fields == ("financials.rd_expense",)
    assert "ip.0" in outcome.payload.accepted_fields
    assert outcome.payload.reasons["financials.rd_expense"].startswith("与审计报告不符")

    # the firm corrects the returned field and submits again
    current = api.get(f"{_base(uscc)}/{sub['id']}").json
    assert current["status"] == "returned"
    fixed = _save(api, uscc, current, {"financials": {
        **current["content"]["financials"], "rd_expense": 2_950_000}})
    assert fixed.status_code == 200, fixed.json
    again = api.post(f"{_base(uscc)}/{sub['id']}/submit", headers=_firm(uscc))
    assert again.status_code == 200 and again.json["status"] == "submitted"
    second = api.get(f"/api/v1/submissions/{sub['id']}").json
    assert [d["field"] for d in second["differences"]] == ["financials.rd_expense"]
    done = api.post(f"/api/v1/submissions/{sub['id']}/review", headers=BUREAU, json={
        "decisions": [{"field": "financials.rd_expense", "outcome": "accept"}]})
    assert done.status_code == 200 and done.json["status"] == "accepted"
    figures = api.get(f"/api/v1/enterprises/{uscc}/financials/2024").json
    assert (figures["employees"], figures["rd_expense"]) == (130, 2_950_000)
    ip = api.get(f"/api/v1/enterprises/{uscc}/ip").json["items"]
    assert [i["number"] for i in ip].count(NEW_IP["number"]) == 1  # not created twice
    assert api.post(f"/api/v1/submissions/{sub['id']}/review", headers=BUREAU,
                    json={"decisions": []}).status_code == 409
    # closed: the firm may open the year again
    assert api.post(_base(uscc), json={"year": 2024}, headers=_firm(uscc)).status_code == 201


def test_a_submitted_report_is_frozen_for_the_firm(
    api: FlaskClient, enterprise: dict[str, Any]
) -> None:
    uscc = enterprise["uscc"]
    sub = _complete(api, uscc)
    evidence_id = sub["evidence"][0]["id"]
    for answer in (
        api.post(f"{_base(uscc)}/{sub['id']}/submit", headers=_firm(uscc)),
        _attach(api, uscc, sub["id"], PDF, "late.pdf"),
        api.delete(f"{_base(uscc)}/{sub['id']}/evidence/{evidence_id}", headers=_firm(uscc)),
    ):
        assert answer.status_code == 409 and answer.json["error"]["code"] == "illegal_status"
    assert len(api.get(f"{_base(uscc)}/{sub['id']}").json["evidence"]) == 2


def test_the_review_queue_filters_and_pages(api: FlaskClient, enterprise: dict[str, Any]) -> None:
    uscc = enterprise["uscc"]
    sub = _complete(api, uscc)
    town = enterprise["town_code"]
    page = api.get("/api/v1/submissions", query_string={"town": town, "year": 2024,
                                                       "limit": 1}).json
    assert page["total"] >= 1 and len(page["items"]) == 1
    seen, cursor = [], None
    while True:
        query = {"town": town, "year": 2024, "limit": 1, **({"cursor": cursor} if cursor else {})}
        page = api.get("/api/v1/submissions", query_string=query).json
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sub["id"] in seen and len(seen) == len(set(seen))
    assert api.get("/api/v1/submissions", query_string={"status": "nope"}).status_code == 422
    assert api.get("/api/v1/submissions/2147483647").status_code == 404
