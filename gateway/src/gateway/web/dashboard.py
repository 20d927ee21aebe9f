"""The bureau's dashboard figures: the plan in force against its targets, and the funnel.

The targets are the plan's, not constants: the registry computes the progress table of the plan
in force at its latest year (``/api/v1/reports/progress``: counts in SQL, frozen year-end
snapshots, each indicator's counting rule written out) and the dashboard draws the indicators
counted in firms; the same report gives each indicator per year and per town, and the full
table, its XLSX and PDF are on ``/reports/progress``. The funnel is the pools' per-stage counts.

The report is read in the dashboard's view (no reserve funnel or cohort table: the funnel
drawn here is the pools' own counts, so the registry need not count them on every change). The
two registry reads run side by side (the report in a second thread, with the signed-in
user's actor and request id), and the report is read conditionally: each gateway process keeps
the last one with its ETag and sends it back in ``If-None-Match``; the registry answers 304
while nothing the report is computed from has changed — it checks that on every read, so a
change made just before the dashboard is opened is on it — and the kept copy is drawn.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from typing import Any

from flask import g

from gateway.adapters.http import RegistryClient
from gateway.adapters.http import clients
from gateway.web.charts import Progress
from gateway.web.charts import Stacked
from gateway.web.i18n import pick
from gateway.web.i18n import t
from yumiao_common.web.errors import DomainError
from yumiao_common.web.wiring import REQUEST_ID_HEADER

FUNNEL_STAGES = ("nominated", "screened", "admitted", "cultivating", "applied", "certified")
CLOSED_STAGES = ("rejected", "withdrawn")


@dataclass(frozen=True)
class Dashboard:
    targets: list[Progress]
    pools: list[dict[str, Any]]
    funnel: list[tuple[str, str, int]]
    bars: list[Stacked]
    #: The registry's progress report of the plan in force (None when it cannot be read).
    report: dict[str, Any] | None = field(default=None)


PROGRESS = "/api/v1/reports/progress"
#: Per process: the last progress report read from each registry, with its ETag.
_KEPT: dict[str, tuple[str, dict[str, Any]]] = {}


def plan_progress(registry: RegistryClient | None = None, *, actor: str | None = None,
                  request_id: str | None = None) -> dict[str, Any] | None:
    """The progress table of the plan in force at its latest year, as the registry counts it
    (None when it cannot be read). Outside a request, ``actor`` and ``request_id`` say whose
    read it is."""
    registry = registry or clients().registry
    kept = _KEPT.get(registry.base_url)
    headers = {REQUEST_ID_HEADER: request_id} if request_id else {}
    if kept is not None:
        headers["If-None-Match"] = kept[0]
    try:
        response = registry.request("GET", PROGRESS, params={"view": "dashboard"},
                                    headers=headers, actor=actor)
        if response.status_code == 304 and kept is not None:
            return kept[1]
        report = registry.json_or_raise(response)
    except (DomainError, ValueError):
        return None
    if not isinstance(report, dict) or "rows" not in report:
        return None
    etag = response.headers.get("ETag")
    if etag:
        _KEPT[registry.base_url] = (etag, report)
    return report


def _targets(report: dict[str, Any] | None) -> list[Progress]:
    """The indicators counted in firms that have a target this year, as progress bars."""
    return [Progress(pick(row["name"]), int(Decimal(row["actual"] or 0)),
                     int(Decimal(row["target"])))
            for row in (report or {}).get("rows", [])
            if row.get("target") is not None and row.get("unit") != "%"]


def load() -> Dashboard:
    """Everything the dashboard shows (two registry calls side by side; no other service)."""
    registry, principal = clients().registry, g.get("principal")
    with ThreadPoolExecutor(1, thread_name_prefix="dashboard") as pool:
        reading = pool.submit(plan_progress, registry,
                              actor=principal.actor if principal is not None else None,
                              request_id=g.get("request_id"))
        pools = [dict(p, members_by_stage=p.get("members_by_stage") or {})
                 for p in registry.pools()]
        report = reading.result()
    targets = _targets(report)
    funnel = [(stage, t("dash.certified_total") if stage == "certified" else t(f"stage.{stage}"),
               sum(p["members_by_stage"].get(stage, 0) for p in pools))
              for stage in FUNNEL_STAGES]
    bars = [Stacked(t(f"pool.{p['key']}"),
                    [(s, p["members_by_stage"].get(s, 0)) for s in FUNNEL_STAGES + CLOSED_STAGES])
            for p in pools]
    return Dashboard(targets, pools, funnel, bars, report)
