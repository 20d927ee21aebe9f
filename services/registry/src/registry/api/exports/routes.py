"""``/exports/enterprises.xlsx``: the enterprise list, with the list's filters, as XLSX.

The workbook is streamed as it is built (``StreamingBook``): the download starts at once and
progresses in the browser, instead of a silent wait for the whole file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import Response
from flask import stream_with_context
from flask.views import MethodView
from flask_smorest import Blueprint

from registry.adapters.files.export_workbook import StreamingBook
from registry.adapters.sql.enterprise_list import EnterpriseFilter
from registry.api.exports.schemas import ExportArgs
from registry.api.imports.routes import FILE_BODY
from registry.api.imports.routes import XLSX_TYPE
from registry.handlers.exports import count
from registry.handlers.exports import fill_steps
from yumiao_common.clock import beijing_today
from yumiao_common.db.engine import get_session
from yumiao_common.db.engine import session_factory

blp = Blueprint("exports", __name__, url_prefix="/exports",
                description="导出企业名单 / Export enterprise lists")


@blp.route("/enterprises.xlsx")
class EnterprisesXlsx(MethodView):
    @blp.arguments(ExportArgs, location="query")
    @blp.response(200, FILE_BODY, content_type=XLSX_TYPE)
    def get(self, args: dict[str, Any]) -> Response:
        """Every enterprise the same filters list, as XLSX (list + figures in template form);
        ``year`` keeps one fiscal year's figures only."""
        year = args.pop("year", None)
        flt, today, factory = EnterpriseFilter(**args), beijing_today(), session_factory()

        def stream() -> Iterator[bytes]:
            """The workbook as it is built: the first bytes leave at once (issue 17). Its own
            session: the request's is closed before a streamed body runs."""
            book = StreamingBook()
            try:
                with factory() as session:
                    for _written in fill_steps(book, session, flt, today, year=year):
                        if data := book.take():
                            yield data
                yield book.finish()
            finally:
                book.abandon()

        name = f"yumiao-enterprises-{today:%Y%m%d}.xlsx"
        return Response(stream_with_context(stream()), mimetype=XLSX_TYPE,
                        headers={"Content-Disposition": f"attachment; filename={name}",
                                 "X-Total-Count": str(count(get_session(), flt))})
