"""Helpers of the enterprise-template import tests: a CSV in the template's columns, firms'
rows from the template's example, an upload and its job followed to the end."""

from __future__ import annotations

import csv
import io
import time
from typing import Any

from flask.testing import FlaskClient

from registry.adapters.files.columns import COLUMNS

HEADERS = {"X-Actor": "curator:wang"}
GOOD = {c.key: c.example for c in COLUMNS}


def csv_file(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in COLUMNS])
    for row in rows:
        writer.writerow([row.get(c.key, "") for c in COLUMNS])
    return out.getvalue().encode()


def firm_rows(code: str, years: tuple[int, ...] = (2023, 2024, 2025), **over: Any) -> list[
    dict[str, Any]
]:
    return [{**GOOD, "uscc": code, "name": f"聊城导入测试有限公司{code[-6:]}", "year": str(y),
             **over} for y in years]


def upload(client: FlaskClient, data: bytes, name: str = "firms.csv", query: str = "") -> Any:
    return client.post(f"/api/v1/imports{query}", headers=HEADERS,
                       data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def finished(client: FlaskClient, response: Any) -> dict[str, Any]:
    assert response.status_code == 202, response.json
    location = response.headers["Location"]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job = client.get(location).json
        if job["status"] in ("succeeded", "validated", "failed"):
            return job  # type: ignore[no-any-return]
        time.sleep(0.05)
    raise AssertionError(f"import job did not finish: {job}")
