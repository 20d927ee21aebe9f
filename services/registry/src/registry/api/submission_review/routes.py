"""The bureau's review of firms' yearly reports (issue 15 item 3) under ``/submissions``: the
queue, one report with its differences from the registry, the review, and evidence files
(the gateway's area "submissions": every bureau role reads, curators and admins review).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from registry.api.requests import who
from registry.api.submissions import schemas as s
from registry.api.submissions import views
from registry.handlers import submission_evidence as evidence
from registry.handlers import submission_review as reviewing
from registry.handlers import submissions as handlers
from registry.models import Enterprise
from yumiao_common.db.engine import get_session
from yumiao_common.web.errors import ValidationFailed
from yumiao_common.web.openapi import ErrorSchema
from yumiao_common.web.pagination import decode_cursor
from yumiao_common.web.pagination import encode_cursor

blp = Blueprint("submission_review", __name__, url_prefix="/submissions",
                description="企业自报审核（主管部门）/ The bureau's review of yearly reports")


def _queue_after(cursor: str | None) -> Any:
    position = decode_cursor(cursor, {"t": str, "id": int})
    if position is None:
        return None
    try:
        at = datetime.fromisoformat(str(position["t"])) if position["t"] else None
    except ValueError:
        raise ValidationFailed(fields={"cursor": ["无效的分页游标 / Invalid cursor"]}) from None
    return at, int(position["id"])


@blp.route("")
class Queue(MethodView):
    @blp.arguments(s.QueueArgs, location="query")
    @blp.response(200, s.SubmissionPageSchema)
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
        return {"items": [{**views.summary(r), "enterprise_name": names.get(r.enterprise_id, "")}
                          for r in rows], "next_cursor": cursor, "total": total}


@blp.route("/<int:submission_id>")
class BureauSubmission(MethodView):
    @blp.response(200, s.SubmissionReviewViewSchema, headers=views.ETAG)
    def get(self, submission_id: int) -> Any:
        """A report with its differences from the registry (fields that differ, new items)."""
        session = get_session()
        found = handlers.get_submission(session, submission_id=submission_id)
        view = {**views.submission_view(session, found), "differences": [
            d.as_dict() for d in handlers.differences(session, found)]}
        return view, 200, {"ETag": f'"{found.version}"'}


@blp.route("/<int:submission_id>/review")
class Review(MethodView):
    @blp.arguments(s.SubmissionReviewSchema)
    @blp.response(200, s.SubmissionSchema, headers=views.ETAG)
    def post(self, data: dict[str, Any], submission_id: int) -> Any:
        """Accept or return each differing field (a reason for each return); accepted ones
        enter the registry now."""
        session = get_session()
        found = reviewing.review(session, submission_id=submission_id,
                                 decisions=data["decisions"], note=data.get("note"),
                                 who=who(), load_figures=views.load_figures)
        session.commit()
        return views.tagged(session, found)


@blp.route("/<int:submission_id>/evidence/<int:evidence_id>")
class BureauEvidenceFile(MethodView):
    @blp.response(200, views.FILE_BODY, content_type="application/pdf")
    @views.document_file
    @blp.alt_response(503, schema=ErrorSchema,
                             description="文件缺失或损坏 / File unreadable")
    def get(self, submission_id: int, evidence_id: int) -> Response:
        """An evidence file of any report (the bureau)."""
        return views.download(evidence.get_evidence(get_session(), submission_id=submission_id,
                                               evidence_id=evidence_id))
