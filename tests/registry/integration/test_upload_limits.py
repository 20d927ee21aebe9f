"""Crafted uploads cannot stall a web worker: bounded before parsing, refused with a 422 naming
the limit, and import jobs capped per service (real SQLite and PostgreSQL databases).

The malicious workbooks are built here with ``zipfile`` from a real one-row template file, so
they are a few KB on disk however much they claim to hold.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest
from crafted_uploads import dimension_bomb
from crafted_uploads import in_sheet
from crafted_uploads import rezip
from crafted_uploads import sparse_dimension_bomb
from crafted_uploads import template_row
from crafted_uploads import template_xlsx
from crafted_uploads import with_shared_strings
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.adapters.files.columns import COLUMNS
from registry.adapters.files.upload_limits import UploadLimits
from registry.app import create_app
from registry.handlers.imports import active_jobs
from registry.handlers.imports import create_job
from registry.handlers.journal import Who
from registry.models.import_job import ImportJob
from registry.settings import Settings

HEADERS = {"X-Actor": "curator:wang"}
MakeClient = Callable[..., FlaskClient]


def upload(client: FlaskClient, data: bytes, name: str = "firms.xlsx", query: str = "") -> Any:
    return client.post(f"/api/v1/imports{query}", headers=HEADERS,
                       data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def finished(client: FlaskClient, response: Any, seconds: float = 20) -> dict[str, Any]:
    assert response.status_code == 202, response.json
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = client.get(response.headers["Location"]).json
        if job["status"] in ("succeeded", "validated", "failed"):
            return job  # type: ignore[no-any-return]
        time.sleep(0.05)
    raise AssertionError(f"import job did not finish in {seconds}s: {job}")


def refused(response: Any, setting: str) -> str:
    """The 422 in the shared error shape, on the file field, naming ``setting``."""
    assert response.status_code == 422, response.json
    error = response.json["error"]
    message = " ".join(error["fields"]["file"])
    assert error["code"] == "validation_error" and setting in message, error
    assert " / " in message
    return message


@pytest.fixture
def make_client(database_url: str) -> MakeClient:
    """A client of a registry app with some ``import_*`` settings changed (same database)."""
    def make(**settings: Any) -> FlaskClient:
        settings.setdefault("max_content_length", 1024 * 1024)
        app = create_app(Settings(database_url=database_url, log_json=False,
                                  log_level="WARNING", **settings))
        return app.test_client()
    return make


def test_a_declared_dimension_of_the_whole_sheet_is_ignored(client: FlaskClient) -> None:
    data = sparse_dimension_bomb()
    assert len(data) < 12_000
    # was minutes in the job: 50,000 rows padded to 16,384 columns each
    job = finished(client, upload(client, data, query="?dry_run=true"))
    assert (job["status"], job["processed_rows"], job["financial_rows"]) == ("validated", 2, 2)
    assert job["total_rows"] == 2


def test_cells_far_right_of_the_template_are_not_read(client: FlaskClient) -> None:
    far = '<c r="XFD2" t="inlineStr"><is><t>far away</t></is></c></row></sheetData>'
    data = rezip(dimension_bomb(), edit=in_sheet("</row></sheetData>", far))
    job = finished(client, upload(client, data, query="?dry_run=true"))
    assert (job["status"], job["processed_rows"]) == ("validated", 1), job


@pytest.mark.parametrize("number", [50_002, 1_048_576, 9_000_000_000])
def test_a_row_numbered_past_the_row_limit_is_refused(client: FlaskClient, number: int) -> None:
    last = f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>x</t></is></c></row>'
    data = rezip(dimension_bomb(), edit=in_sheet("</sheetData>", last + "</sheetData>"))
    message = refused(upload(client, data), "import_max_rows")
    assert "50,000" in message and f"{number:,}" in message


def test_more_rows_than_the_setting_allows_are_refused_in_csv_and_xlsx(
    make_client: MakeClient, session: Session
) -> None:
    client = make_client(import_max_rows=3)
    before = session.scalar(select(func.count()).select_from(ImportJob))
    out = io.StringIO()
    csv.writer(out).writerows([[c.header for c in COLUMNS], *(template_row() for _ in range(4))])
    for data, name in ((template_xlsx(4), "firms.xlsx"), (out.getvalue().encode(), "f.csv")):
        message = refused(upload(client, data, name), "import_max_rows")
        assert "3 " in message
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(ImportJob)) == before
    job = finished(client, upload(client, template_xlsx(3), query="?dry_run=true"))
    assert (job["status"], job["processed_rows"]) == ("validated", 3)


def test_a_header_beyond_the_column_limit_is_refused(client: FlaskClient) -> None:
    beyond = '<c r="BZ1" t="inlineStr"><is><t>净利润（元） / Net profit (yuan)</t></is></c></row>'
    data = rezip(template_xlsx(), edit=in_sheet("</row>", beyond))
    message = refused(upload(client, data), "import_max_columns")
    assert "78" in message and "64" in message


def test_a_csv_field_larger_than_the_parser_takes_is_a_422(make_client: MakeClient) -> None:
    client = make_client()
    header = ",".join(c.header for c in COLUMNS)
    data = f'{header}\n"{"长" * 200_000}"\n'.encode()
    refused(upload(client, data, "firms.csv"), "CSV")


@pytest.mark.parametrize(
    ("settings", "parts", "setting"),
    [
        # a worksheet that unpacks to 1 MiB of blanks, over a 256 KiB sheet limit
        ({"import_max_sheet_bytes": 2**18}, {"xl/worksheets/sheet2.xml": b" " * 2**20},
         "import_max_sheet_bytes"),
        # a 3 MiB part packed ~1000:1 (any part, not only sheets)
        ({}, {"docProps/custom.xml": b" " * 3 * 2**20}, "import_max_compression_ratio"),
        # three parts of 0.9 MiB each (each under the ratio floor), 2 MiB in all allowed
        ({"import_max_unpacked_bytes": 2**21},
         {f"customXml/item{i}.xml": b" " * 900_000 for i in range(3)},
         "import_max_unpacked_bytes"),
        ({}, {f"customXml/item{i}.xml": b"<a/>" for i in range(300)}, "import_max_zip_members"),
        ({"import_max_part_bytes": 2**16}, {"xl/styles2.xml": b" " * 2**17},
         "import_max_part_bytes"),
    ],
)
def test_zip_parts_are_bounded_before_the_workbook_is_opened(
    make_client: MakeClient, settings: dict[str, int], parts: dict[str, bytes], setting: str
) -> None:
    data = rezip(template_xlsx(), add=parts)
    assert len(data) < 64 * 1024
    refused(upload(make_client(**settings), data), setting)


def test_a_shared_strings_bomb_is_refused_before_it_is_parsed(make_client: MakeClient) -> None:
    items = b"".join(b"<si><t>%d</t></si>" % i for i in range(40_000))
    strings = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               b'count="40000" uniqueCount="40000">' + items + b"</sst>")
    data = with_shared_strings(template_xlsx(), strings)
    assert len(data) < 200_000 < len(strings)
    client = make_client(import_max_shared_strings_bytes=2**18)
    refused(upload(client, data), "import_max_shared_strings_bytes")
    counted = make_client(import_max_shared_strings=30_000)
    assert "40,000" in refused(upload(counted, data), "import_max_shared_strings")


def test_every_worksheet_must_show_its_data_within_its_first_mebibyte(
    make_client: MakeClient,
) -> None:
    # opening a workbook parses each sheet until its dimension or data; this one has neither
    hidden = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              + b'<sheetPr codeName="x" />' * 100_000 + b"</worksheet>")
    data = rezip(template_xlsx(notes=True), edit={"xl/worksheets/sheet2.xml": lambda _: hidden})
    client = make_client(import_max_compression_ratio=10_000)
    assert "has no data within its first" in refused(upload(client, data), "")


def test_entity_expansion_in_shared_strings_is_a_422_not_a_500(client: FlaskClient) -> None:
    laughs = (b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
              + b"".join(b'<!ENTITY %c "%s">' % (98 + i, (b"&%c;" % (97 + i)) * 10)
                         for i in range(8))
              + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<si><t>&i;</t></si></sst>")
    response = upload(client, with_shared_strings(template_xlsx(), laughs))
    assert response.status_code == 422, response.json
    assert "file" in response.json["error"]["fields"]


def test_a_huge_header_region_is_refused(make_client: MakeClient) -> None:
    columns = "<cols>" + '<col min="1" max="1" width="9" />' * 40_000 + "</cols>"
    data = rezip(template_xlsx(), edit=in_sheet("<sheetData>", columns + "<sheetData>"))
    client = make_client(import_max_compression_ratio=10_000)
    message = refused(upload(client, data), "")
    assert "header row is too large" in message


def test_concurrent_import_jobs_are_capped_and_a_refused_upload_starts_nothing(
    make_client: MakeClient, session: Session
) -> None:
    running = active_jobs(session)
    client = make_client(import_max_concurrent_jobs=running + 1)
    holder = create_job(session, kind="xlsx", file_name="big.xlsx", size=1, total_rows=1,
                        dry_run=False, who=Who(actor="curator:li"))
    holder.status, holder.started_at = "validating", datetime.now(UTC)
    session.commit()
    try:
        before = session.scalar(select(func.count()).select_from(ImportJob))
        response = upload(client, template_xlsx())
        assert response.status_code == 429, response.json
        error = response.json["error"]
        assert error["code"] == "too_many_imports"
        assert "import_max_concurrent_jobs" in error["message"]
        assert error["details"] == {"max_concurrent_jobs": running + 1}
        session.expire_all()
        assert session.scalar(select(func.count()).select_from(ImportJob)) == before
    finally:
        holder.status = "failed"
        session.commit()
    job = finished(client, upload(client, template_xlsx(), query="?dry_run=true"))
    assert job["status"] == "validated"


def test_a_job_whose_worker_died_frees_its_place_after_fifteen_minutes(
    make_client: MakeClient, session: Session
) -> None:
    running = active_jobs(session)
    client = make_client(import_max_concurrent_jobs=running + 1)
    lost = create_job(session, kind="xlsx", file_name="lost.xlsx", size=1, total_rows=1,
                      dry_run=False, who=Who(actor="curator:li"))
    lost.status = "validating"
    lost.created_at = lost.started_at = datetime.now(UTC) - timedelta(minutes=16)
    session.commit()
    try:
        job = finished(client, upload(client, template_xlsx(), query="?dry_run=true"))
        assert job["status"] == "validated"
    finally:
        lost.status = "failed"
        session.commit()


def test_the_limits_defaults_are_the_settings_defaults() -> None:
    # crafted_uploads.py measures with UploadLimits(); the service runs with the settings
    assert UploadLimits.from_settings(Settings()) == UploadLimits()


def test_the_cap_refusal_is_documented_with_the_error_shape(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").json
    refusal = spec["paths"]["/api/v1/imports"]["post"]["responses"]["429"]
    schema = refusal["content"]["application/json"]["schema"]
    assert "import_max_concurrent_jobs" in refusal["description"]
    assert schema["$ref"].endswith("/Error")
