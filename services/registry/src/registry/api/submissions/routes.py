"""A firm's yearly reports (企业自报, issue 15) under ``/enterprises/{uscc}/submissions``: the
gateway maps ``/me/submissions`` here for the caller's own credit code.

Every read is filtered by the credit code in the path, so a report or an evidence file of
another firm is a 404, never a 403 that would confirm it exists. The bureau's side is
``api/submission_review``.
"""

from __future__ import annotations

from typing import Any

from flask import Response
from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from registry.adapters.files.evidence_checks import TooLarge
from registry.adapters.files.evidence_checks import read_limited
from registry.api.requests import IfMatchSchema
from registry.api.requests import who
from registry.api.submissions import schemas as s
from registry.api.submissions import views
from registry.handlers import submission_evidence as evidence
from registry.handlers import submissions as handlers
from registry.models import Enterprise
from yumiao_common.db.engine import get_session
from yumiao_common.web.errors import DomainError
from yumiao_common.web.openapi import ErrorSchema
from yumiao_common.web.pagination import PageQuerySchema
from yumiao_common.web.pagination import decode_cursor
from yumiao_common.web.pagination import encode_cursor

blp = Blueprint("submissions", __name__, url_prefix="/enterprises",
                description="企业年度自报（企业端）/ A firm's yearly reports")


@blp.route("/<uscc>/submissions")
class FirmSubmissions(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, s.SubmissionPageSchema)
    def get(self, args: dict[str, Any], uscc: str) -> dict[str, Any]:
        """The firm's reports, newest first."""
        session = get_session()
        position = decode_cursor(args["cursor"], {"id": int})
        limit = args["limit"]
        rows = handlers.list_for_firm(session, uscc=uscc, limit=limit + 1,
                                      before=int(position["id"]) if position else None)
        more = len(rows) > limit
        rows = rows[:limit]
        name = session.get(Enterprise, rows[0].enterprise_id).name if rows else ""  # type: ignore[union-attr]
        return {"items": [{**views.summary(r), "enterprise_name": name} for r in rows],
                "next_cursor": encode_cursor({"id": rows[-1].id}) if more else None,
                "total": handlers.count_for_firm(session, uscc=uscc)}

    @blp.arguments(s.SubmissionCreateSchema)
    @blp.response(201, s.SubmissionSchema, headers=views.ETAG)
    def post(self, data: dict[str, Any], uscc: str) -> Any:
        """Open the year's report, pre-filled from the registry (409 when one is open)."""
        session = get_session()
        found = handlers.create_submission(session, uscc=uscc, year=data["year"], who=who())
        session.commit()
        return views.tagged(session, found, 201)


@blp.route("/<uscc>/submissions/<int:submission_id>")
class FirmSubmission(MethodView):
    @blp.response(200, s.SubmissionSchema, headers=views.ETAG)
    def get(self, uscc: str, submission_id: int) -> Any:
        """One report with its evidence and the bureau's decisions."""
        session = get_session()
        return views.tagged(session, handlers.get_submission(
            session, submission_id=submission_id, uscc=uscc))

    @blp.arguments(s.SubmissionSaveSchema)
    @blp.arguments(IfMatchSchema, location="headers", as_kwargs=True)
    @blp.response(200, s.SubmissionSchema, headers=views.ETAG)
    @blp.alt_response(412, schema=ErrorSchema, description=(
        "版本已变，请重新读取 / The report changed since it was read (If-Match)"))
    @blp.alt_response(428, schema=ErrorSchema, description="需要 If-Match / If-Match required")
    def put(self, data: dict[str, Any], uscc: str, submission_id: int, **_headers: str) -> Any:
        """Save the draft (draft or returned only); each field is checked as the registry
        checks it, missing ones are allowed until submitting."""
        session = get_session()
        version = views.if_match()
        try:
            found = handlers.save_draft(session, uscc=uscc, submission_id=submission_id,
                                        content=data["content"], version=version, who=who())
        except DomainError as exc:
            if exc.code == "stale_version":
                raise views.Stale(exc.message, details=exc.details) from None
            raise
        session.commit()
        return views.tagged(session, found)


@blp.route("/<uscc>/submissions/<int:submission_id>/submit")
class FirmSubmit(MethodView):
    @blp.response(200, s.SubmissionSchema, headers=views.ETAG)
    def post(self, uscc: str, submission_id: int) -> Any:
        """Submit for review: 422 lists every missing or invalid field (path: why)."""
        session = get_session()
        found = handlers.get_submission(session, submission_id=submission_id, uscc=uscc)
        found = handlers.submit(session, uscc=uscc, submission_id=submission_id,
                                invalid=s.content_errors(found.content), who=who())
        session.commit()
        return views.tagged(session, found)


@blp.route("/<uscc>/submissions/<int:submission_id>/evidence")
class FirmEvidence(MethodView):
    @blp.arguments(s.EvidenceUploadSchema, location="files")
    @blp.response(201, s.EvidenceSchema)
    @blp.alt_response(503, schema=ErrorSchema, description=(
        "安全扫描暂不可用 / The security scan is unavailable; retry later"))
    def post(self, form: dict[str, Any], uscc: str, submission_id: int) -> Any:
        """Attach a file (PDF, PNG, JPEG, XLSX, recognised by content) to one item."""
        settings = current_app.extensions["registry.settings"]
        upload = form["file"]
        try:
            data = read_limited(upload.stream, settings.evidence_max_bytes)
        except TooLarge:
            limit = settings.evidence_max_bytes
            raise views.EvidenceTooLarge(
                f"文件超过 {limit:,} 字节 / The file exceeds {limit:,} bytes",
                fields={"file": [f"最大 {limit:,} 字节 / at most {limit:,} bytes"]},
                details={"max_bytes": limit}) from None
        session = get_session()
        row = evidence.add_evidence(
            session, uscc=uscc, submission_id=submission_id, item=form["item"],
            kind=form["kind"], filename=upload.filename, data=data, store=views.evidence_store(),
            scanner=evidence.Scanner(settings.evidence_scan_command,
                                     settings.evidence_scan_timeout_seconds), who=who())
        session.commit()
        return row, 201


@blp.route("/<uscc>/submissions/<int:submission_id>/evidence/<int:evidence_id>")
class FirmEvidenceFile(MethodView):
    @blp.response(200, views.FILE_BODY, content_type="application/pdf")
    @views.document_file
    @blp.alt_response(503, schema=ErrorSchema, description="文件缺失或损坏 / File unreadable")
    def get(self, uscc: str, submission_id: int, evidence_id: int) -> Response:
        """The file as uploaded (its type as recognised, as an attachment)."""
        return views.download(evidence.get_evidence(get_session(), submission_id=submission_id,
                                               evidence_id=evidence_id, uscc=uscc))

    @blp.response(204)
    def delete(self, uscc: str, submission_id: int, evidence_id: int) -> None:
        """Remove a file (draft or returned only)."""
        session = get_session()
        key = evidence.delete_evidence(session, uscc=uscc, submission_id=submission_id,
                                       evidence_id=evidence_id, who=who())
        session.commit()
        try:
            views.evidence_store().delete(key)
        except Exception:  # the row is gone; an orphan object is only storage, never served
            views.log.warning("evidence object %s not deleted from the store", key, exc_info=True)
