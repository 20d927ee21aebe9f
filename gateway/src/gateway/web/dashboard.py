"""The bureau's dashboard figures: the plan in force against its targets, and the funnel.

The targets are the plan's, not constants: the registry computes the progress table of the plan
in force at its latest year (``/api/v1/reports/progress``: counts in SQL, frozen year-end
snapshots, each indicator's counting rule written out) and the dashboard draws the indicators
counted in firms; the same report gives each indicator per year and per town, and the full
table, its XLSX and PDF are on ``/reports/progress``. The funnel is the pools' per-stage counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from typing import Any

from gateway.adapters.http import clients
from gateway.web.charts import Progress
from gateway.web.charts import Stacked
from gateway.web.i18n import pick
from gateway.web.i18n import t
from yumiao_common.web.errors import DomainError

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


def plan_progress() -> dict[str, Any] | None:
    """The progress table of the plan in force at its latest year, as the registry counts it."""
    registry = clients().registry
    try:
        report = registry.json_or_raise(registry.request("GET", "/api/v1/reports/progress"))
    except DomainError:
        return None
    return report if isinstance(report, dict) and "rows" in report else None


def _targets(report: dict[str, Any] | None) -> list[Progress]:
    """The indicators counted in firms that have a target this year, as progress bars."""
    return [Progress(pick(row["name"]), int(Decimal(row["actual"] or 0)),
                     int(Decimal(row["target"])))
            for row in (report or {}).get("rows", [])
            if row.get("target") is not None and row.get("unit") != "%"]


def load() -> Dashboard:
    """Everything the dashboard shows (two registry calls; no other service is needed)."""
    pools = [dict(p, members_by_stage=p.get("members_by_stage") or {})
             for p in clients().registry.pools()]
    report = plan_progress()
    targets = _targets(report)
    funnel = [(stage, t("dash.certified_total") if stage == "certified" else t(f"stage.{stage}"),
               sum(p["members_by_stage"].get(stage, 0) for p in pools))
              for stage in FUNNEL_STAGES]
    bars = [Stacked(t(f"pool.{p['key']}"),
                    [(s, p["members_by_stage"].get(s, 0)) for s in FUNNEL_STAGES + CLOSED_STAGES])
            for p in pools]
    return Dashboard(targets, pools, funnel, bars, report)
