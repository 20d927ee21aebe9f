"""``/imports``: template download, upload (a job, answered 202 at once), job progress, and
the history of every import (newest first).

A file that cannot be imported at all — wrong type, damaged XLSX, unknown or missing columns,
too large — is refused in the request with a 4xx in the shared error shape. Everything else
becomes a job: ``GET /imports/{id}`` shows its status, counts and row errors.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from flask import Response
from flask import current_app
from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from registry.adapters.files.import_template import template_csv
from registry.adapters.files.import_template import template_xlsx
from registry.adapters.files.reading import UnreadableFile
from registry.adapters.files.record_sheets import SHEETS
from registry.adapters.files.record_sheets import SheetSpec
from registry.adapters.files.record_templates import sheet_template_csv
from registry.adapters.files.record_templates import sheet_template_xlsx
from registry.adapters.files.row_validation import HeaderError
from registry.adapters.files.upload_limits import UploadLimits
from registry.api.imports.schemas import ImportJobSchema
from registry.api.imports.schemas import ImportPageSchema
from registry.api.imports.schemas import UploadArgs
from registry.api.imports.schemas import UploadSchema
from registry.api.requests import who
from registry.handlers.imports import admit
from registry.handlers.imports import check_upload
from registry.handlers.imports import count_jobs
from registry.handlers.imports import create_job
from registry.handlers.imports import list_jobs
from registry.handlers.imports import mark_if_abandoned
from registry.handlers.imports import store_upload
from registry.models.import_job import ImportJob
from yumiao_common.db.engine import get_session
from yumiao_common.web.errors import DomainError
from yumiao_common.web.errors import NotFound
from yumiao_common.web.errors import ValidationFailed
from yumiao_common.web.openapi import ErrorSchema
from yumiao_common.web.pagination import BAD_CURSOR
from yumiao_common.web.pagination import PageQuerySchema
from yumiao_common.web.pagination import decode_cursor
from yumiao_common.web.pagination import encode_cursor

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
blp = Blueprint("imports", __name__, url_prefix="/imports",
                description="批量导入企业及年度数据 / Bulk import of enterprises and figures")


class UnsupportedUpload(DomainError):
    status, code = 415, "unsupported_media_type"


class UploadTooLarge(DomainError):
    status, code = 413, "payload_too_large"


class TooManyImports(DomainError):
    status, code = 429, "too_many_imports"


def _limits() -> UploadLimits:
    return UploadLimits.from_settings(current_app.extensions["registry.settings"])


#: A file answered as it is (documented as binary content, not as an empty answer).
FILE_BODY = {"type": "string", "format": "binary"}


def _download(data: bytes, mimetype: str, name: str) -> Response:
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": f"attachment; filename={name}"})


@blp.route("/template.xlsx")
class TemplateXlsx(MethodView):
    @blp.response(200, FILE_BODY, content_type=XLSX_TYPE)
    def get(self) -> Response:
        """The import template (XLSX, with an instructions sheet)."""
        return _download(template_xlsx(), XLSX_TYPE, "yumiao-import-template.xlsx")


@blp.route("/template.csv")
class TemplateCsv(MethodView):
    @blp.response(200, FILE_BODY, content_type="text/csv")
    def get(self) -> Response:
        """The import template as CSV (UTF-8 with BOM)."""
        return _download(template_csv(), "text/csv; charset=utf-8",
                         "yumiao-import-template.csv")


def _sheet_templates(spec: SheetSpec) -> None:
    """``/imports/<sheet>/template.xlsx`` and ``.csv`` of one record sheet."""
    name = f"yumiao-{spec.key}-template"

    class SheetXlsx(MethodView):
        @blp.response(200, FILE_BODY, content_type=XLSX_TYPE)
        def get(self) -> Response:
            return _download(sheet_template_xlsx(spec), XLSX_TYPE, f"{name}.xlsx")

    class SheetCsv(MethodView):
        @blp.response(200, FILE_BODY, content_type="text/csv")
        def get(self) -> Response:
            return _download(sheet_template_csv(spec), "text/csv; charset=utf-8", f"{name}.csv")

    SheetXlsx.get.__doc__ = f"{spec.zh}导入模板（XLSX，含说明页） / The {spec.en} template"
    SheetCsv.get.__doc__ = f"{spec.zh}导入模板（CSV，UTF-8） / The {spec.en} template as CSV"
    blp.route(f"/{spec.key}/template.xlsx", endpoint=f"{spec.key}_template_xlsx")(SheetXlsx)
    blp.route(f"/{spec.key}/template.csv", endpoint=f"{spec.key}_template_csv")(SheetCsv)


for _spec in SHEETS.values():
    _sheet_templates(_spec)


def _checked(data: bytes, limits: UploadLimits, sheet: str) -> tuple[str, int | None]:
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 20 * 1024 * 1024
    if len(data) > limit:
        raise UploadTooLarge(f"文件超过 {limit} 字节 / The file exceeds {limit} bytes")
    if not data:
        raise ValidationFailed(fields={"file": ["文件为空 / the file is empty"]})
    try:
        return check_upload(data, limits, sheet)
    except UnreadableFile as exc:
        message = f"{exc.zh} / {exc.en}"
        if exc.status == 415:
            raise UnsupportedUpload(message, fields={"file": [message]}) from None
        raise ValidationFailed(message, fields={"file": [message]}) from None
    except HeaderError as exc:
        raise ValidationFailed("表头不符合模板 / The header row does not match the template",
                               fields=exc.fields) from None


def _after(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    """The keyset (created_at, id) of the previous page's last job; a forged one is a 422."""
    position = decode_cursor(cursor, {"t": str, "id": str})
    if position is None:
        return None
    try:
        return datetime.fromisoformat(str(position["t"])), uuid.UUID(str(position["id"]))
    except ValueError:
        raise ValidationFailed(fields={"cursor": [BAD_CURSOR]}) from None


@blp.route("")
class Imports(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, ImportPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The import history, newest first: file, kind, who, when, status and counts."""
        session = get_session()
        limit = args["limit"]
        rows = list_jobs(session, after=_after(args["cursor"]), limit=limit + 1)
        more = len(rows) > limit
        rows = rows[:limit]
        last = rows[-1] if more else None
        return {"items": rows, "total": count_jobs(session),
                "next_cursor": encode_cursor({"t": last.created_at.isoformat(),
                                              "id": str(last.id)}) if last else None}

    @blp.arguments(UploadArgs, location="query")
    @blp.arguments(UploadSchema, location="files")
    @blp.response(202, ImportJobSchema)
    @blp.alt_response(429, schema=ErrorSchema, description=(
        "导入任务已达并发上限，未启动任何任务 / As many import jobs as allowed are running "
        "(import_max_concurrent_jobs); nothing was started"))
    def post(self, args: dict[str, Any], files: dict[str, Any]) -> Any:
        """Upload XLSX or CSV; answered 202 with the job (poll ``GET /imports/{id}``).

        ``sheet`` says what the file holds: the enterprise template (default) or a record
        sheet — certifications, IP items, pool memberships — each with its own template.

        A file over the import limits (rows, columns, ZIP parts and sizes, shared strings) is
        refused with a 422 naming the limit, before any job exists.
        """
        upload = files["file"]
        data = upload.read()
        limits = _limits()
        kind, total = _checked(data, limits, args["sheet"])
        session = get_session()
        job = create_job(session, kind=kind, file_name=(upload.filename or "")[:255] or None,
                         size=len(data), total_rows=total, dry_run=args["dry_run"], who=who(),
                         sheet=args["sheet"])
        store_upload(session, job, data)
        cap = current_app.extensions["registry.settings"].import_max_concurrent_jobs
        if not admit(session, job, cap):
            raise TooManyImports(
                f"已有 {cap} 个导入任务在进行（import_max_concurrent_jobs），请稍后重试 / "
                f"{cap} import jobs are already running (import_max_concurrent_jobs); "
                "retry in a minute", details={"max_concurrent_jobs": cap})
        return job, 202, {"Location": url_for("imports.ImportItem", job_id=job.id)}


@blp.route("/<uuid:job_id>")
class ImportItem(MethodView):
    @blp.response(200, ImportJobSchema)
    def get(self, job_id: uuid.UUID) -> Any:
        """An import job: status, progress, counts, row errors."""
        session = get_session()
        job = session.get(ImportJob, job_id)
        if job is None:
            raise NotFound("导入任务不存在 / Import job not found", code="import_not_found")
        if mark_if_abandoned(job):
            session.commit()
        return job
