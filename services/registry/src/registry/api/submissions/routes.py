"""Firms' yearly reports (企业自报, issue 15): the firm's own under
``/enterprises/{uscc}/submissions`` (the gateway maps ``/me/submissions`` there for the caller's
credit code) and the bureau's review queue under ``/submissions``.

A firm's paths always carry its credit code and every read is filtered by it, so a report or an
evidence file of another firm is a 404, never a 403 that would confirm it exists.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from flask import Response
from flask import current_app
from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from marshmallow import ValidationError
from sqlalchemy.orm import Session

from registry.adapters.files.evidence_checks import TooLarge
from registry.adapters.files.evidence_checks import read_limited
from registry.adapters.files.evidence_store import EvidenceDamaged
from registry.adapters.files.evidence_store import EvidenceMissing
from registry.adapters.files.evidence_store import EvidenceStore
from registry.adapters.files.evidence_store import read_verified
from registry.adapters.files.evidence_store import store_from_settings
from registry.api.financials.schemas import FiguresSchema
from registry.api.requests import IfMatchSchema
from registry.api.requests import who
from registry.api.submissions import schemas as s
from registry.handlers import submission_evidence as evidence
from registry.handlers import submission_review as reviewing
from registry.handlers import submissions as handlers
from registry.models import Enterprise
from registry.models import Submission
from registry.models import SubmissionEvidence
from yumiao_common.db.engine import get_session
from yumiao_common.web.errors import DomainError
from yumiao_common.web.errors import PreconditionRequired
from yumiao_common.web.errors import Unavailable
from yumiao_common.web.errors import ValidationFailed
from yumiao_common.web.errors import flatten_messages
from yumiao_common.web.openapi import ErrorSchema
from yumiao_common.web.pagination import PageQuerySchema
from yumiao_common.web.pagination import decode_cursor
from yumiao_common.web.pagination import encode_cursor

blp = Blueprint("submissions", __name__, url_prefix="/enterprises",
                description="企业年度自报（企业端）/ A firm's yearly reports")
bureau_blp = Blueprint(
    "submission_review", __name__, url_prefix="/submissions",
    description="企业自报审核（主管部门）/ The bureau's review of yearly reports")

FILE_BODY = {"type": "string", "format": "binary"}
ETAG = {"ETag": {"description": "版本号 / The submission's version, for If-Match",
                 "schema": {"type": "string"}}}
_IF_MATCH = re.compile(r'^(W/)?"?([0-9]{1,9})"?$')


class Stale(DomainError):
    status, code = 412, "stale_version"


class EvidenceTooLarge(DomainError):
    status, code = 413, "payload_too_large"


def _view(session: Session, found: Submission) -> dict[str, Any]:
    enterprise = session.get(Enterprise, found.enterprise_id)
    return {**{c: getattr(found, c) for c in (
        "id", "uscc", "year", "status", "content", "decisions", "review_note", "submitted_at",
        "reviewed_at", "version", "created_at", "updated_at")},
        "enterprise_name": enterprise.name if enterprise else "",
        "evidence": handlers.evidence_of(session, found)}


def _tagged(session: Session, found: Submission, status: int = 200) -> Any:
    return _view(session, found), status, {"ETag": f'"{found.version}"'}


def _if_match() -> int:
    raw = request.headers.get("If-Match", "").strip()
    if not raw:
        raise PreconditionRequired("需要 If-Match（读取时的版本号）/ If-Match is required "
                                   "(the version read)", fields={"If-Match": ["必填 / required"]})
    found = _IF_MATCH.fullmatch(raw)
    if found is None:
        raise ValidationFailed(fields={"If-Match": ["应为版本号，如 \"3\" / must be the version, "
                                                     "e.g. \"3\""]})
    return int(found.group(2))


def _store() -> EvidenceStore:
    stores = current_app.extensions
    if "registry.evidence_store" not in stores:
        stores["registry.evidence_store"] = store_from_settings(
            stores["registry.settings"])
    return stores["registry.evidence_store"]  # type: ignore[no-any-return]


def _load_figures(values: dict[str, Any]) -> dict[str, Any]:
    try:
        return FiguresSchema().load(values)  # type: ignore[no-any-return]
    except ValidationError as exc:
        raise ValidationFailed(fields=flatten_messages(exc.messages)) from None


def _download(row: SubmissionEvidence) -> Response:
    try:
        data = read_verified(_store(), row.storage_key, row.sha256)
    except (EvidenceMissing, EvidenceDamaged):
        raise Unavailable("证明材料在存储中缺失或已损坏 / The evidence file is missing or "
                          "damaged in the store", code="evidence_unreadable",
                          details={"id": row.id}) from None
    ascii_name = row.filename.encode("ascii", "replace").decode().replace("?", "_")
    disposition = (f'attachment; filename="{ascii_name}"; '
                   f"filename*=UTF-8''{quote(row.filename)}")
    return Response(data, mimetype=row.media_type, headers={
        "Content-Disposition": disposition, "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store"})


def _document_file(func: Any) -> Any:
    """The 200 of an evidence download in each type a file may have; 503 when the stored
    bytes are missing or fail their checksum."""
    content = {t: {"schema": FILE_BODY} for t in (
        "application/pdf", "image/png", "image/jpeg",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
    func = blp.doc(responses={"200": {
        "description": "文件内容 / The file's bytes", "content": content}})(func)
    return func


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
        return {"items": [{**_summary(r), "enterprise_name": name} for r in rows],
                "next_cursor": encode_cursor({"id": rows[-1].id}) if more else None,
                "total": handlers.count_for_firm(session, uscc=uscc)}

    @blp.arguments(s.SubmissionCreateSchema)
    @blp.response(201, s.SubmissionSchema, headers=ETAG)
    def post(self, data: dict[str, Any], uscc: str) -> Any:
        """Open the year's report, pre-filled from the registry (409 when one is open)."""
        session = get_session()
        found = handlers.create_submission(session, uscc=uscc, year=data["year"], who=who())
        session.commit()
        return _tagged(session, found, 201)


def _summary(row: Submission) -> dict[str, Any]:
    return {c: getattr(row, c) for c in ("id", "uscc", "year", "status", "submitted_at",
                                         "reviewed_at", "version", "created_at")}


@blp.route("/<uscc>/submissions/<int:submission_id>")
class FirmSubmission(MethodView):
    @blp.response(200, s.SubmissionSchema, headers=ETAG)
    def get(self, uscc: str, submission_id: int) -> Any:
        """One report with its evidence and the bureau's decisions."""
        session = get_session()
        return _tagged(session, handlers.get_submission(
            session, submission_id=submission_id, uscc=uscc))

    @blp.arguments(s.SubmissionSaveSchema)
    @blp.arguments(IfMatchSchema, location="headers", as_kwargs=True)
    @blp.response(200, s.SubmissionSchema, headers=ETAG)
    @blp.alt_response(412, schema=ErrorSchema, description=(
        "版本已变，请重新读取 / The report changed since it was read (If-Match)"))
    @blp.alt_response(428, schema=ErrorSchema, description="需要 If-Match / If-Match required")
    def put(self, data: dict[str, Any], uscc: str, submission_id: int, **_headers: str) -> Any:
        """Save the draft (draft or returned only); each field is checked as the registry
        checks it, missing ones are allowed until submitting."""
        session = get_session()
        version = _if_match()
        try:
            found = handlers.save_draft(session, uscc=uscc, submission_id=submission_id,
                                        content=data["content"], version=version, who=who())
        except DomainError as exc:
            if exc.code == "stale_version":
                raise Stale(exc.message, details=exc.details) from None
            raise
        session.commit()
        return _tagged(session, found)


@blp.route("/<uscc>/submissions/<int:submission_id>/submit")
class FirmSubmit(MethodView):
    @blp.response(200, s.SubmissionSchema, headers=ETAG)
    def post(self, uscc: str, submission_id: int) -> Any:
        """Submit for review: 422 lists every missing or invalid field (path: why)."""
        session = get_session()
        found = handlers.get_submission(session, submission_id=submission_id, uscc=uscc)
        found = handlers.submit(session, uscc=uscc, submission_id=submission_id,
                                invalid=s.content_errors(found.content), who=who())
        session.commit()
        return _tagged(session, found)


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
            raise EvidenceTooLarge(
                f"文件超过 {limit:,} 字节 / The file exceeds {limit:,} bytes",
                fields={"file": [f"最大 {limit:,} 字节 / at most {limit:,} bytes"]},
                details={"max_bytes": limit}) from None
        session = get_session()
        row = evidence.add_evidence(
            session, uscc=uscc, submission_id=submission_id, item=form["item"],
            kind=form["kind"], filename=upload.filename, data=data, store=_store(),
            scanner=evidence.Scanner(settings.evidence_scan_command,
                                     settings.evidence_scan_timeout_seconds), who=who())
        session.commit()
        return row, 201


@blp.route("/<uscc>/submissions/<int:submission_id>/evidence/<int:evidence_id>")
class FirmEvidenceFile(MethodView):
    @blp.response(200, FILE_BODY, content_type="application/pdf")
    @_document_file
    @blp.alt_response(503, schema=ErrorSchema, description="文件缺失或损坏 / File unreadable")
    def get(self, uscc: str, submission_id: int, evidence_id: int) -> Response:
        """The file as uploaded (its type as recognised, as an attachment)."""
        return _download(evidence.get_evidence(get_session(), submission_id=submission_id,
                                               evidence_id=evidence_id, uscc=uscc))

    @blp.response(204)
    def delete(self, uscc: str, submission_id: int, evidence_id: int) -> None:
        """Remove a file (draft or returned only)."""
        session = get_session()
        key = evidence.delete_evidence(session, uscc=uscc, submission_id=submission_id,
                                       evidence_id=evidence_id, who=who())
        session.commit()
        _store().delete(key)


def _queue_after(cursor: str | None) -> Any:
    from datetime import datetime

    position = decode_cursor(cursor, {"t": str, "id": int})
    if position is None:
        return None
    try:
        at = datetime.fromisoformat(str(position["t"])) if position["t"] else None
    except ValueError:
        raise ValidationFailed(fields={"cursor": ["无效的分页游标 / Invalid cursor"]}) from None
    return at, int(position["id"])


@bureau_blp.route("")
class Queue(MethodView):
    @bureau_blp.arguments(s.QueueArgs, location="query")
    @bureau_blp.response(200, s.SubmissionPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Reports by status (default: submitted, the review queue), oldest submitted first."""
        session = get_session()
        limit = args["limit"]
        rows, total = handlers.queue(session, status=args["status"], year=args.get("year"),
                                     town=args.get("town"), after=_queue_after(args["cursor"]),
                                     limit=limit + 1)
        more = len(rows) > limit
        rows = rows[:limit]
        names = dict(session.query(Enterprise.id, Enterprise.name).filter(
            Enterprise.id.in_({r.enterprise_id for r in rows})).all()) if rows else {}
        last = rows[-1] if more else None
        cursor = None if last is None else encode_cursor({
            "t": last.submitted_at.isoformat() if last.submitted_at else "", "id": last.id})
        return {"items": [{**_summary(r), "enterprise_name": names.get(r.enterprise_id, "")}
                          for r in rows], "next_cursor": cursor, "total": total}


@bureau_blp.route("/<int:submission_id>")
class BureauSubmission(MethodView):
    @bureau_blp.response(200, s.SubmissionReviewViewSchema, headers=ETAG)
    def get(self, submission_id: int) -> Any:
        """A report with its differences from the registry (fields that differ, new items)."""
        session = get_session()
        found = handlers.get_submission(session, submission_id=submission_id)
        view = {**_view(session, found), "differences": [
            d.as_dict() for d in handlers.differences(session, found)]}
        return view, 200, {"ETag": f'"{found.version}"'}


@bureau_blp.route("/<int:submission_id>/review")
class Review(MethodView):
    @bureau_blp.arguments(s.SubmissionReviewSchema)
    @bureau_blp.response(200, s.SubmissionSchema, headers=ETAG)
    def post(self, data: dict[str, Any], submission_id: int) -> Any:
        """Accept or return each differing field (a reason for each return); accepted ones
        enter the registry now."""
        session = get_session()
        found = reviewing.review(session, submission_id=submission_id,
                                 decisions=data["decisions"], note=data.get("note"),
                                 who=who(), load_figures=_load_figures)
        session.commit()
        return _tagged(session, found)


@bureau_blp.route("/<int:submission_id>/evidence/<int:evidence_id>")
class BureauEvidenceFile(MethodView):
    @bureau_blp.response(200, FILE_BODY, content_type="application/pdf")
    @_document_file
    @bureau_blp.alt_response(503, schema=ErrorSchema,
                             description="文件缺失或损坏 / File unreadable")
    def get(self, submission_id: int, evidence_id: int) -> Response:
        """An evidence file of any report (the bureau)."""
        return _download(evidence.get_evidence(get_session(), submission_id=submission_id,
                                               evidence_id=evidence_id))

