"""``GET /api/v1/rankings/{tier}`` (cursor pages) and ``/rankings/{tier}.xlsx`` (export).

Readiness order: eligible by score, then near-misses by the size of their gap, then unknown,
then ineligible (``scoring.domain.ranking`` defines the keys).
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from datetime import UTC
from datetime import datetime
from typing import Any

import orjson
from flask import Response
from flask import stream_with_context
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from scoring.adapters.files.ranking_xlsx import ranking_chunks
from scoring.adapters.sql.rankings import RankingFilter
from scoring.adapters.sql.rankings import pools_of
from scoring.adapters.sql.rankings import ranking_count
from scoring.adapters.sql.rankings import ranking_page
from scoring.adapters.sql.rankings import ranking_stream
from scoring.api.rankings.schemas import RankingPage
from scoring.api.rankings.schemas import RankingPageQuery
from scoring.api.rankings.schemas import RankingQuery
from yumiao_common.contracts.profile import TIER_KEYS
from yumiao_common.db.engine import get_session
from yumiao_common.db.engine import session_factory
from yumiao_common.web.errors import NotFound
from yumiao_common.web.errors import ValidationFailed
from yumiao_common.web.openapi import ErrorSchema

blp = Blueprint("rankings", __name__, description="排名 / Rankings")
#: Firms one XLSX export holds. Writing a row costs ~1.5 ms (openpyxl's cells are most of it):
#: 100,000 rows took 157 s on a busy two-core machine, past the worker timeout (130 s) that
#: would cut the download off; 50,000 leave room (issue 16). Narrower filters export the rest.
EXPORT_CAP = 50_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filter(tier: str, args: Mapping[str, Any]) -> RankingFilter:
    if tier not in TIER_KEYS:
        raise NotFound(f"未知等级：{tier} / Unknown tier: {tier}",
                       details={"allowed": list(TIER_KEYS)})
    return RankingFilter(tier=tier, verdicts=tuple(args.get("verdict") or ()),
                         town=args.get("town"), industry=args.get("industry"),
                         pool=args.get("pool"))


def ranking_item(row: Mapping[str, Any], pools: list[str]) -> dict[str, Any]:
    """A page's item: the row's columns and what it shows of its answer (``parts``)."""
    parts = row["parts"]
    item = {
        "position": row["position"], "uscc": row["uscc"], "name": row["name"],
        "town_code": row["town_code"], "industry_code": row["industry_code"], "pools": pools,
        "verdict": row["verdict"], "route": row["route"], "score": parts["score"],
        "failing": row["failing"], "gaps": parts["gaps"], "to_collect": parts["to_collect"],
        "rulebook_version": row["rulebook_version"],
        "uses_local_parameter": row["uses_local_parameter"], "evaluated_at": row["evaluated_at"],
    }
    if "pending_review" in parts:
        item["pending_review"] = parts["pending_review"]
    return item


@blp.route("/rankings/<string:tier>")
class Ranking(MethodView):
    @blp.arguments(RankingPageQuery, location="query", unknown=RAISE)
    @blp.response(200, RankingPage)
    def get(self, args: dict[str, Any], tier: str) -> Response:
        """等级排名（按成熟度）/ Ranking of a tier by readiness, cursor-paginated."""
        flt = _filter(tier, args)
        session = get_session()
        rows, next_cursor = ranking_page(session, flt, limit=args["limit"],
                                         cursor=args.get("cursor"))
        pools = pools_of(session, [r["uscc"] for r in rows])
        items = [ranking_item(r, pools[r["uscc"]]) for r in rows]
        page = {"tier": tier, "items": items, "next_cursor": next_cursor,
                "total": ranking_count(session, flt)}
        return Response(ranking_page_json(page), mimetype="application/json")


def ranking_page_json(page: Mapping[str, Any]) -> bytes:
    """The page as ``RankingPage`` dumps it, written directly with orjson.

    Every value is already what goes over the wire (the answer's parts are stored JSON) but
    the timestamps; marshmallow walking 50 items with their nested gaps was a third of the
    route's time at province scale (issue 16). A test holds it equal to the schema's dump."""
    items = [{**item, "evaluated_at": _rfc3339(item["evaluated_at"])} for item in page["items"]]
    return orjson.dumps({**page, "items": items})


def _rfc3339(value: datetime | None) -> str | None:
    """A timestamp as ``UtcDateTime`` dumps it (naive values are UTC)."""
    if value is None:
        return None
    return (value if value.tzinfo is not None else value.replace(tzinfo=UTC)).isoformat()


@blp.route("/rankings/<string:tier>.xlsx")
class RankingExport(MethodView):
    @blp.arguments(RankingQuery, location="query", unknown=RAISE)
    @blp.response(200, {"type": "string", "format": "binary"}, content_type=XLSX,
                  description="XLSX 文件 / XLSX file", headers={"X-Total-Count": {
                      "description": "导出的企业数 / Firms in the file",
                      "schema": {"type": "integer"}}})
    @blp.alt_response(422, schema=ErrorSchema, description=(
        "参数无效，或超过导出上限（details: total, cap）/ Invalid query, or more firms than "
        "one export holds (details: total, cap)"))
    def get(self, args: dict[str, Any], tier: str) -> Response:
        """导出排名为 Excel / Export the ranking as an XLSX workbook (same filters).

        Streamed as it is written: the download starts at once. A ranking of more than
        ``EXPORT_CAP`` firms is refused (422, with how many and the cap) rather than cut off."""
        flt = _filter(tier, args)
        session = get_session()
        total = ranking_count(session, flt)
        if total > EXPORT_CAP:
            raise ValidationFailed(
                f"该排名共 {total:,} 家企业，超过单次导出上限 {EXPORT_CAP:,} 家，请按镇街、行业或"
                f"结论筛选后分批导出 / {total:,} firms: more than one export holds "
                f"({EXPORT_CAP:,}); narrow it by town, industry or verdict",
                details={"total": total, "cap": EXPORT_CAP}, code="export_too_large")
        factory = session_factory()

        def chunks() -> Iterator[bytes]:
            with factory() as own:  # the request's session is closed before the body runs
                yield from ranking_chunks(tier, ranking_stream(own, flt, cap=EXPORT_CAP))

        return Response(stream_with_context(chunks()), mimetype=XLSX, headers={
            "Content-Disposition": f'attachment; filename="ranking-{tier}.xlsx"',
            "X-Total-Count": str(total)})
