"""Bulk import over HTTP on SQLite and PostgreSQL: jobs, all-or-nothing, dry run, bad files."""

from __future__ import annotations

import json
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

import pytest
from enterprise_import_kit import GOOD
from enterprise_import_kit import HEADERS
from enterprise_import_kit import csv_file
from enterprise_import_kit import finished
from enterprise_import_kit import firm_rows
from enterprise_import_kit import upload
from flask.testing import FlaskClient
from registry_testkit import create_enterprise
from registry_testkit import new_uscc
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy.orm import Session

from registry.adapters.files.columns import BY_KEY
from registry.handlers.imports import create_job
from registry.handlers.journal import Who
from registry.handlers.profile import build_profile
from registry.models import Enterprise


def registered(session: Session, codes: list[str]) -> set[str]:
    return set(session.scalars(select(Enterprise.uscc).where(Enterprise.uscc.in_(codes))))


def test_template_downloads_round_trip_through_the_import(client: FlaskClient,
                                                          session: Session) -> None:
    for name in ("template.csv", "template.xlsx"):
        template = client.get(f"/api/v1/imports/{name}")
        assert template.status_code == 200
        assert "attachment" in template.headers["Content-Disposition"]
    data = client.get("/api/v1/imports/template.csv").data
    code = new_uscc()
    job = finished(client, upload(client, data.replace(GOOD["uscc"].encode(), code.encode())))
    assert job["status"] == "succeeded", job
    assert (job["created"], job["financial_rows"]) == (1, 2)
    assert registered(session, [code]) == {code}


def test_a_good_file_imports_every_row_with_audit_and_events(client: FlaskClient,
                                                             session: Session) -> None:
    codes = [new_uscc() for _ in range(3)]
    rows = [r for code in codes for r in firm_rows(code)]
    job = finished(client, upload(client, csv_file(rows)))
    assert job["status"] == "succeeded", job
    assert job["processed_rows"] == job["financial_rows"] == 9
    assert job["created"] == 3 and job["error_count"] == 0
    figures = client.get(f"/api/v1/enterprises/{codes[0]}/financials").json["items"]
    assert sorted(f["year"] for f in figures) == [2023, 2024, 2025]
    audit = client.get(f"/api/v1/enterprises/{codes[0]}/audit").json["items"]
    assert [(a["action"], a["actor"]) for a in audit] == [("import", "curator:wang")]
    payloads = session.execute(text(
        "SELECT payload FROM outbox WHERE type = 'registry.enterprise.changed'")).scalars()
    imported = [p if isinstance(p, dict) else json.loads(p) for p in payloads]
    mine = [p for p in imported if p["payload"]["profile"]["enterprise"]["uscc"] == codes[0]]
    assert len(mine) == 1 and mine[0]["payload"]["change"] == "enterprise.imported"
    assert mine[0]["payload"].get("town_code", GOOD["town_code"]) == GOOD["town_code"]
    assert mine[0]["payload"].get("pools", []) == []
    enterprise = session.scalars(select(Enterprise).where(Enterprise.uscc == codes[0])).one()
    as_of = date.fromisoformat(mine[0]["payload"]["profile"]["as_of"])
    assert mine[0]["payload"]["profile"] == build_profile(session, enterprise, as_of)


def test_any_row_error_is_reported_and_nothing_is_written(client: FlaskClient,
                                                          session: Session) -> None:
    good, bad = new_uscc(), new_uscc()
    rows = firm_rows(good) + firm_rows(bad, (2024,), operating_revenue="-1", employees="x")
    job = finished(client, upload(client, csv_file(rows)))
    assert job["status"] == "failed" and job["error_count"] == 2
    assert {(e["row"], e["column"]) for e in job["errors"]} == {
        (5, BY_KEY["operating_revenue"].header), (5, BY_KEY["employees"].header)}
    assert all(" / " in e["message"] for e in job["errors"])
    assert registered(session, [good, bad]) == set()


def test_a_dry_run_validates_without_writing(client: FlaskClient, session: Session) -> None:
    code = new_uscc()
    job = finished(client, upload(client, csv_file(firm_rows(code)), query="?dry_run=true"))
    assert (job["status"], job["dry_run"], job["financial_rows"]) == ("validated", True, 3)
    assert registered(session, [code]) == set()
    # issue 17 item 8: the check says what the write would do ("将新建 1 家"), not "新建 0"
    assert (job["created"], job["updated"]) == (1, 0) and "将新建 1 家" in job["message"]


def test_existing_enterprises_are_updated_and_audited(client: FlaskClient) -> None:
    code = new_uscc()
    before = create_enterprise(client, code)
    rows = firm_rows(code, (2025,), name=before["name"], employees="130")
    job = finished(client, upload(client, csv_file(rows)))
    assert (job["status"], job["created"], job["updated"]) == ("succeeded", 0, 1), job
    years = client.get(f"/api/v1/enterprises/{code}/financials").json["items"]
    assert sorted(f["year"] for f in years) == [2024, 2025]
    audit = client.get(f"/api/v1/enterprises/{code}/audit").json["items"]
    assert audit[-1]["action"] == "import" and "financials.2025" in audit[-1]["changes"]


@pytest.mark.parametrize(
    ("data", "name", "status", "field"),
    [
        (b"%PDF-1.7\x00\x00binary", "firms.pdf", 415, "file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "firms.xls", 415, "file"),
        (b"PK\x03\x04broken zip", "firms.xlsx", 422, "file"),
        ("统一社会信用代码,颜色\n1,2\n".encode(), "firms.csv", 422, "row 1: 颜色"),
        (b"", "empty.csv", 422, "file"),
    ],
)
def test_unreadable_uploads_are_refused_with_the_error_shape(
    client: FlaskClient, data: bytes, name: str, status: int, field: str
) -> None:
    response = upload(client, data, name)
    assert response.status_code == status
    error = response.json["error"]
    assert error["status"] == status and field in error["fields"]
    assert " / " in error["message"]


def test_an_oversized_upload_is_413_and_a_missing_file_422(client: FlaskClient) -> None:
    big = upload(client, b"a,b\n" * 40_000)
    assert big.status_code == 413 and big.json["error"]["code"] == "payload_too_large"
    missing = client.post("/api/v1/imports", headers=HEADERS, data={},
                          content_type="multipart/form-data")
    assert missing.status_code == 422 and "file" in missing.json["error"]["fields"]


def test_an_unknown_job_is_404(client: FlaskClient) -> None:
    response = client.get("/api/v1/imports/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404 and response.json["error"]["code"] == "import_not_found"


def test_a_job_whose_worker_died_is_reported_failed(client: FlaskClient, session: Session) -> None:
    job = create_job(session, kind="csv", file_name="lost.csv", size=10, total_rows=1,
                     dry_run=False, who=Who(actor="curator:wang"))
    job.status, job.started_at = "writing", datetime.now(UTC) - timedelta(hours=2)
    session.commit()
    shown = client.get(f"/api/v1/imports/{job.id}").json
    assert shown["status"] == "failed" and "interrupted" in shown["message"]


def test_the_import_history_lists_every_upload_newest_first_page_by_page(
        client: FlaskClient) -> None:
    good = finished(client, upload(client, csv_file(firm_rows(new_uscc())), name="good.csv"))
    bad_rows = firm_rows(new_uscc(), (2024,), employees="x")
    bad = finished(client, upload(client, csv_file(bad_rows), name="bad.csv"))
    first = client.get("/api/v1/imports?limit=1", headers=HEADERS)
    assert first.status_code == 200, first.json
    assert first.json["total"] >= 2 and first.json["next_cursor"]
    [newest] = first.json["items"]
    assert (newest["id"], newest["file_name"], newest["status"]) == (bad["id"], "bad.csv",
                                                                     "failed")
    assert (newest["actor"], newest["file_kind"], newest["error_count"]) == (
        "curator:wang", "csv", 1)
    assert "errors" not in newest  # the history is a list; the rows' errors are on the job
    second = client.get(f"/api/v1/imports?limit=1&cursor={first.json['next_cursor']}").json
    [older] = second["items"]
    assert (older["id"], older["file_name"], older["status"]) == (good["id"], "good.csv",
                                                                  "succeeded")
    assert (older["created"], older["updated"], older["error_count"]) == (1, 0, 0)
    assert older["created_at"] <= newest["created_at"]


@pytest.mark.parametrize("query", ["limit=0", "limit=201", "cursor=%21%21",
                                   "cursor=eyJ0IjoieCIsImlkIjoieSJ9"])  # {"t":"x","id":"y"}
def test_a_bad_history_page_request_is_422_naming_the_parameter(client: FlaskClient,
                                                                query: str) -> None:
    response = client.get(f"/api/v1/imports?{query}")
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {query.split("=")[0]}
