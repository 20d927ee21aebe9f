"""``/reports``: the progress table (完成情况表) of a plan and year as JSON, XLSX and PDF, and
the year-end snapshots it reads (freeze, list, correct).

With no parameters the report is the plan in force at its latest year. Freezing and
correcting are the bureau admin's (the gateway enforces it), journaled with who and why.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Response
from flask import current_app
from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from sqlalchemy import func
from sqlalchemy import select

from registry.adapters.files.progress_pdf import progress_pdf
from registry.adapters.files.progress_workbook import progress_workbook
from registry.api.imports.routes import FILE_BODY
from registry.api.imports.routes import XLSX_TYPE
from registry.api.paging import after_int
from registry.api.paging import next_int_cursor
from registry.api.reports.schemas import CorrectSchema
from registry.api.reports.schemas import FreezeSchema
from registry.api.reports.schemas import ProgressArgs
from registry.api.reports.schemas import ProgressSchema
from registry.api.reports.schemas import SnapshotCorrectionSchema
from registry.api.reports.schemas import YearSnapshotPageSchema
from registry.api.reports.schemas import YearSnapshotSchema
from registry.api.requests import who
from registry.handlers import snapshots
from registry.handlers.report_cache import progress_json
from registry.handlers.reports import progress_report
from registry.models import SnapshotCorrection
from registry.models import YearSnapshot
from yumiao_common.clock import beijing_today
from yumiao_common.db.engine import get_session
from yumiao_common.web.openapi import ErrorSchema
from yumiao_common.web.pagination import PageQuerySchema

blp = Blueprint("reports", __name__, url_prefix="/reports",
                description="完成情况与年末快照 / Progress against targets and year-end "
                            "snapshots")
PDF_TYPE = "application/pdf"
PLAN_NOT_FOUND = "规划不存在 / Plan not found"


def _report(args: dict[str, Any]) -> dict[str, Any]:
    return progress_report(get_session(), plan_id=args.get("plan"), year=args.get("year"),
                           today=beijing_today())


def _file(data: bytes, mimetype: str, report: dict[str, Any], ext: str) -> Response:
    name = f"yumiao-progress-{report['plan']['start_year']}-{report['year']}.{ext}"
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": f"attachment; filename={name}"})


CENT = Decimal("0.01")


def _plain(value: Any) -> Any:
    """The report as ``ProgressSchema`` dumps it — every decimal a string with two places —
    without the schema's walk field by field: at about 50 KB that walk took 25–40 ms on the
    shared machine, this takes 1–2 ms (``tests/registry/integration/test_progress_report_kept``
    compares the two)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return format(value.quantize(CENT), "f")
    return value


def _json(report: dict[str, Any]) -> bytes:
    return current_app.json.dumps(_plain(report)).encode() + b"\n"


@blp.route("/progress")
class Progress(MethodView):
    @blp.arguments(ProgressArgs, location="query")
    @blp.alt_response(304, description="未变化（If-None-Match 与 ETag 相同）/ Not modified: "
                                       "If-None-Match names the current ETag")
    @blp.alt_response(404, schema=ErrorSchema, description=PLAN_NOT_FOUND)
    @blp.response(200, ProgressSchema)
    def get(self, args: dict[str, Any]) -> Response:
        """The progress table of a plan and year, per town, the trend, funnel and cohorts
        (``view=dashboard``: without the funnel and cohorts).

        The ETag names the figures: a read sending it back in If-None-Match is answered 304
        while nothing the report is computed from has changed (kept per worker:
        ``handlers/report_cache.py``)."""
        etag, body = progress_json(get_session(), plan_id=args.get("plan"),
                                   year=args.get("year"), today=beijing_today(), render=_json,
                                   details=args.get("view") != "dashboard")
        headers = {"ETag": f'"{etag}"', "Cache-Control": "no-cache"}
        if request.if_none_match.contains(etag):
            return Response(status=304, headers=headers)
        return Response(body, mimetype="application/json", headers=headers)


@blp.route("/progress.xlsx")
class ProgressXlsx(MethodView):
    @blp.arguments(ProgressArgs, location="query")
    @blp.alt_response(404, schema=ErrorSchema, description=PLAN_NOT_FOUND)
    @blp.response(200, FILE_BODY, content_type=XLSX_TYPE)
    def get(self, args: dict[str, Any]) -> Response:
        """The progress table as a formatted workbook (merged headers, units, print area)."""
        report = _report(args)
        return _file(progress_workbook(report), XLSX_TYPE, report, "xlsx")


@blp.route("/progress.pdf")
class ProgressPdf(MethodView):
    @blp.arguments(ProgressArgs, location="query")
    @blp.alt_response(404, schema=ErrorSchema, description=PLAN_NOT_FOUND)
    @blp.response(200, FILE_BODY, content_type=PDF_TYPE)
    def get(self, args: dict[str, Any]) -> Response:
        """The progress table as a print-ready A4 PDF (CJK font embedded)."""
        report = _report(args)
        return _file(progress_pdf(report), PDF_TYPE, report, "pdf")


@blp.route("/snapshots")
class Snapshots(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, YearSnapshotPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Every frozen year with its corrections, oldest first (cursor pages by year)."""
        session = get_session()
        stmt = select(YearSnapshot)
        after = after_int(args["cursor"], "year")
        if after is not None:
            stmt = stmt.where(YearSnapshot.year > after)
        limit = args["limit"]
        rows = list(session.scalars(stmt.order_by(YearSnapshot.year).limit(limit + 1)))
        return {"items": rows[:limit], "next_cursor": next_int_cursor(rows, limit, "year"),
                "total": session.scalar(select(func.count()).select_from(YearSnapshot))}

    @blp.arguments(FreezeSchema)
    @blp.response(201, YearSnapshotSchema)
    def post(self, data: dict[str, Any]) -> YearSnapshot:
        """Freeze a year's figures; a year frozen already is a 409 (correct it instead)."""
        session = get_session()
        snapshot = snapshots.freeze_year(session, year=data["year"], today=beijing_today(),
                                         who=who(data))
        session.commit()
        return snapshot


@blp.route("/snapshots/<int:year>")
class OneSnapshot(MethodView):
    @blp.response(200, YearSnapshotSchema)
    def get(self, year: int) -> YearSnapshot:
        """One frozen year."""
        return snapshots.get_snapshot(get_session(), year)


@blp.route("/snapshots/<int:year>/corrections")
class Corrections(MethodView):
    @blp.arguments(CorrectSchema)
    @blp.response(201, SnapshotCorrectionSchema)
    def post(self, data: dict[str, Any], year: int) -> SnapshotCorrection:
        """Record a correction of a frozen figure (the frozen one stays; the report applies
        the correction and lists it)."""
        session = get_session()
        actor = who(data)
        row = snapshots.correct(session, year=year, measure=data["measure"],
                                town_code=data.get("town_code"), value=str(data["value"]),
                                who=actor)
        session.commit()
        return row
