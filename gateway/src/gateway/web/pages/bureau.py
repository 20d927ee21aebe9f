"""Bureau pages: the targets dashboard, rankings per tier, the enterprise list and page.

Viewers, curators and admins may open them; enterprise accounts get a 403 page. Every page
reads through the gateway's pooled clients, so the services see the bureau user as X-Actor.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import request

from gateway.web import dashboard as dashboard_data
from gateway.web import upstream
from gateway.web.catalogue import POOLS
from gateway.web.catalogue import RANKING_EXPORT_CAP
from gateway.web.charts import funnel_chart
from gateway.web.charts import funnel_chart_narrow
from gateway.web.charts import stacked_chart
from gateway.web.charts import stacked_chart_narrow
from gateway.web.charts import target_chart
from gateway.web.charts import target_chart_narrow
from gateway.web.core import blp
from gateway.web.core import bureau
from gateway.web.core import render
from gateway.web.core import soft
from gateway.web.dashboard import CLOSED_STAGES
from gateway.web.dashboard import FUNNEL_STAGES
from gateway.web.i18n import t
from gateway.web.pages.pipeline import enterprise_sections
from gateway.web.pages.pipeline import refusal
from gateway.web.results import TIER_ORDER
from gateway.web.results import VERDICT_ORDER

RANK_FILTERS = ("town", "industry", "pool")


@blp.get("/dashboard")
def dashboard() -> Any:
    bureau()
    data = dashboard_data.load()
    legend = [(s, t(f"stage.{s}")) for s in FUNNEL_STAGES + CLOSED_STAGES]
    return render(
        "dashboard.html", data=data, stages=FUNNEL_STAGES + CLOSED_STAGES,
        ranking_tiers=TIER_ORDER,
        targets_svg=target_chart(t("dash.title"), data.targets)
        + target_chart_narrow(t("dash.title"), data.targets),
        funnel_svg=funnel_chart(t("dash.funnel"), data.funnel)
        + funnel_chart_narrow(t("dash.funnel"), data.funnel),
        pools_svg=stacked_chart(t("dash.funnel"), data.bars, legend)
        + stacked_chart_narrow(t("dash.funnel"), data.bars, legend))


def _ranking_args() -> dict[str, Any]:
    args: dict[str, Any] = {k: request.args.get(k, "").strip() for k in RANK_FILTERS}
    args["verdict"] = [v for v in request.args.getlist("verdict") if v in VERDICT_ORDER]
    return args


@blp.get("/rankings")
def rankings() -> Any:
    bureau()
    tier = request.args.get("tier", "hnte")
    if tier not in TIER_ORDER:
        tier = "hnte"
    filters = _ranking_args()
    page = soft(lambda: upstream.ranking(tier, limit=50, cursor=request.args.get("cursor"),
                                         **filters))
    # the pool filter offers the catalogue's pools, as the enterprise list does: the
    # registry's pool summary counts every membership, a read that grows with the district
    return render("rankings.html", tier=tier, tiers=TIER_ORDER, verdicts=VERDICT_ORDER,
                  filters=filters, page=page, pools=tuple(POOLS),
                  export_url=_export_url(tier, filters), export_cap=RANKING_EXPORT_CAP)


def _export_url(tier: str, filters: dict[str, Any]) -> str:
    """The ranking's XLSX through the API proxy, with the same filters (no page cursor)."""
    query = [("verdict", v) for v in filters["verdict"]]
    query += [(k, filters[k]) for k in RANK_FILTERS if filters.get(k)]
    return f"/api/v1/rankings/{tier}.xlsx" + (f"?{urlencode(query)}" if query else "")


@blp.get("/enterprises")
def enterprises() -> Any:
    bureau()
    q = request.args.get("q", "").strip()
    pool = request.args.get("pool", "").strip()
    pool = pool if pool in POOLS else ""
    cursor = request.args.get("cursor") or None
    page = soft(lambda: upstream.enterprise_page(q=q or None, pool=pool or None, cursor=cursor,
                                                 limit=50))
    return render("enterprises.html", q=q, pool=pool, pools=tuple(POOLS), page=page)


@blp.get("/enterprises/<uscc>")
def enterprise_page(uscc: str) -> Any:
    bureau()
    sections = enterprise_sections(uscc)
    return render("enterprise.html", **sections, moved=request.args.get("moved"),
                  move_error=refusal(request.args, sections["memberships"].data or []))


