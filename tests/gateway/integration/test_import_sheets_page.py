"""The import page takes the bureau's official lists (issue 12 item 2): the curator picks what
the file holds, downloads that sheet's template, the check runs as that sheet, the result
lists skipped rows by row number, and 确认导入 writes the same file as the same sheet."""

from __future__ import annotations

import io
import json
import sys
import uuid
from pathlib import Path

from flask import Flask
from flask import Response
from gateway_testkit import RecordingUpstream

sys.path.insert(0, str(Path(__file__).parent))
from test_web_kit import canned  # noqa: E402
from test_web_kit import csrf_of  # noqa: E402
from test_web_kit import sign_in  # noqa: E402


def test_the_page_offers_each_list_with_its_template_in_both_languages(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    canned(upstreams, "registry", "/api/v1/imports", {"items": [], "next_cursor": None,
                                                      "total": 0})
    client = sign_in(app, "curator")
    zh = client.get("/imports").get_data(as_text=True)
    for label in ("认定证书名单", "知识产权清单", "培育库名单", "企业及年度数据"):
        assert label in zh
    for sheet in ("certifications", "ip", "pools"):
        assert f'href="/api/v1/imports/{sheet}/template.xlsx"' in zh
        assert f'value="{sheet}"' in zh
    en = client.get("/imports?lang=en").get_data(as_text=True)
    assert "Certificate list" in en and "Pool membership list" in en


def test_the_history_says_what_each_import_held(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    canned(upstreams, "registry", "/api/v1/imports", {"items": [
        {"id": "imp-9", "file_name": "2025高企名单.xlsx", "file_kind": "xlsx", "dry_run": False,
         "actor": "user:curator", "status": "succeeded", "total_rows": 40, "created": 31,
         "updated": 0, "error_count": 0, "sheet": "certifications", "skipped": 9,
         "created_at": "2026-03-01T02:00:00+00:00", "finished_at": None}],
        "next_cursor": None, "total": 1})
    html = sign_in(app, "curator").get("/imports").get_data(as_text=True)
    history = html[html.index('id="import-history"'):]
    assert "认定证书名单" in history and "31 <small>（新增记录）</small>" in history


def test_a_certificate_list_is_checked_then_committed_as_the_same_sheet(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    check_id, write_id = f"chk-{uuid.uuid4().hex[:8]}", f"imp-{uuid.uuid4().hex[:8]}"
    calls = iter([{"id": check_id, "status": "queued", "dry_run": True},
                  {"id": write_id, "status": "queued", "dry_run": False}])
    upstreams["registry"].routes[("POST", "/api/v1/imports")] = lambda _r: Response(
        json.dumps(next(calls)), status=202, mimetype="application/json")
    canned(upstreams, "registry", f"/api/v1/imports/{check_id}", {
        "id": check_id, "status": "validated", "dry_run": True, "sheet": "certifications",
        "file_name": "2025高企名单.xlsx", "total_rows": 3, "processed_rows": 3,
        "created": 1, "updated": 0, "skipped": 2, "error_count": 0, "errors": [],
        "notices": [{"row": 3, "column": "统一社会信用代码 / USCC",
                     "message": "登记库中没有该企业，已跳过 / no firm with this credit code "
                                "in the registry; skipped"},
                    {"row": 4, "column": "", "message": "与第2行重复，已跳过 / repeats row 2; "
                                                        "skipped"}]})
    client = sign_in(app, "curator")
    resp = client.post("/imports", data={"csrf_token": csrf_of(client), "sheet": "certifications",
                                         "file": (io.BytesIO(b"PK-list"), "2025高企名单.xlsx")},
                       content_type="multipart/form-data")
    assert resp.status_code == 303 and resp.headers["Location"].endswith(check_id)
    job = client.get(f"/imports/{check_id}").get_data(as_text=True)
    assert "认定证书名单" in job and "将新增 1 条，跳过 2 行" in job
    assert "跳过或需留意的行（2）" in job and "登记库中没有该企业" in job and "与第2行重复" in job
    assert "新建企业" not in job  # the enterprise wording stays on enterprise imports
    commit = client.post(f"/imports/{check_id}/commit", data={"csrf_token": csrf_of(client)})
    assert commit.status_code == 303 and commit.headers["Location"].endswith(write_id)
    uploads = [c for c in upstreams["registry"].calls if c.method == "POST"]
    assert [c.query for c in uploads] == ["dry_run=true&sheet=certifications",
                                          "dry_run=false&sheet=certifications"]
    assert b"PK-list" in uploads[1].body


def test_an_unknown_sheet_is_refused_without_reaching_the_registry(
    app: Flask, upstreams: dict[str, RecordingUpstream]
) -> None:
    canned(upstreams, "registry", "/api/v1/imports", {"items": [], "next_cursor": None,
                                                      "total": 0})
    client = sign_in(app, "curator")
    resp = client.post("/imports", data={"csrf_token": csrf_of(client), "sheet": "awards",
                                         "file": (io.BytesIO(b"PK"), "a.xlsx")},
                       content_type="multipart/form-data")
    assert resp.status_code == 422 and "请选择文件内容" in resp.get_data(as_text=True)
    assert [c for c in upstreams["registry"].calls if c.method == "POST"] == []
