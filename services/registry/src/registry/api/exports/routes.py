"""``/exports/enterprises.xlsx``: the enterprise list, with the list's filters, as XLSX."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response
from flask import stream_with_context
from flask.views import MethodView
from flask_smorest import Blueprint

from registry.adapters.files.export_workbook import ExportBook
from registry.adapters.files.export_workbook import chunks
from registry.adapters.sql.enterprise_list import EnterpriseFilter
from registry.api.exports.schemas import ExportArgs
from registry.api.imports.routes import FILE_BODY
from registry.api.imports.routes import XLSX_TYPE
from registry.handlers.exports import fill
from yumiao_common.db.engine import get_session

blp = Blueprint("exports", __name__, url_prefix="/exports",
                description="导出企业名单 / Export enterprise lists")


@blp.route("/enterprises.xlsx")
class EnterprisesXlsx(MethodView):
    @blp.arguments(ExportArgs, location="query")
    @blp.response(200, FILE_BODY, content_type=XLSX_TYPE)
    def get(self, args: dict[str, Any]) -> Response:
        """Every enterprise the same filters list, as XLSX (list + figures in template form);
        ``year`` keeps one fiscal year's figures only."""
        book = ExportBook()
        year = args.pop("year", None)
        count = fill(book, get_session(), EnterpriseFilter(**args), date.today(), year=year)
        name = f"yumiao-enterprises-{date.today():%Y%m%d}.xlsx"
        return Response(stream_with_context(chunks(book.save())), mimetype=XLSX_TYPE,
                        headers={"Content-Disposition": f"attachment; filename={name}",
                                 "X-Total-Count": str(count)})
