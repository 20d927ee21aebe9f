"""The bureau's dashboard figures: the plan's 2025 targets against today, and the funnel.

No aggregate API exists for these, so they are computed here from the registry's list
endpoints: ``total`` of the filtered enterprise list (a count the registry does in SQL), the
pools' per-stage counts, and one pass over the high-tech reserve's members for this year's
entries. Counting rules, written out so the bureau can check them:

* 高新技术企业 / 科技型中小企业: enterprises holding a valid (unexpired) certificate;
* 省级以上专精特新: holders of 专精特新 or 小巨人, each enterprise once;
* 新增龙头企业: firms certified on an agricultural-leader rung since 2023 (plan start);
* 高企后备库 per year: members nominated in the current calendar year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from gateway.adapters.http import clients
from gateway.web import upstream
from gateway.web.charts import Progress
from gateway.web.charts import Stacked
from gateway.web.i18n import t

TARGETS = (("target.hnte", 120), ("target.srdi", 35), ("target.tech_sme", 150),
           ("target.agri", 20), ("target.reserve", 20))
FUNNEL_STAGES = ("nominated", "screened", "admitted", "cultivating", "applied", "certified")
CLOSED_STAGES = ("rejected", "withdrawn")
PLAN_START = date(2023, 1, 1)  # 《三年行动计划（2023-2025年）》: "new" counts from here
AGRI_POOLS = ("agri_leader_district", "agri_leader_municipal", "agri_leader_provincial",
              "agri_leader_national")


@dataclass(frozen=True)
class Dashboard:
    targets: list[Progress]
    pools: list[dict[str, Any]]
    funnel: list[tuple[str, str, int]]
    bars: list[Stacked]


def _reserve_entries_this_year(today: date) -> int:
    return sum(1 for member in upstream.pool_members("hnte_reserve")
               if str(member.get("nominated_at") or "").startswith(str(today.year)))


def _new_agri_leaders(pools: list[dict[str, Any]]) -> int:
    """Enterprises certified on any agricultural-leader rung since the plan began (2023).

    "新增 20 家" counts firms, not certificates: one promoted from district to municipal
    leader is one new leader, and leaders certified before the plan are the base, not new.
    """
    firms: set[str] = set()
    for pool in pools:
        if pool["key"] not in AGRI_POOLS or not pool["members_by_stage"].get("certified"):
            continue
        for member in upstream.pool_members(pool["key"], stage="certified"):
            if str(member.get("stage_changed_at") or "")[:10] >= PLAN_START.isoformat():
                firms.add(str(member.get("uscc")))
    return len(firms)


def _today_counts(pools: list[dict[str, Any]], today: date) -> list[int]:
    srdi = upstream.enterprise_usccs(tier="srdi_sme") | upstream.enterprise_usccs(
        tier="little_giant")
    return [upstream.enterprise_total(tier="hnte"), len(srdi),
            upstream.enterprise_total(tier="tech_sme"), _new_agri_leaders(pools),
            _reserve_entries_this_year(today)]


def load(today: date | None = None) -> Dashboard:
    """Everything the dashboard shows (several registry calls; no other service is needed)."""
    today = today or date.today()
    pools = [dict(p, members_by_stage=p.get("members_by_stage") or {})
             for p in clients().registry.pools()]
    counts = _today_counts(pools, today)
    targets = [Progress(t(key), count, target)
               for (key, target), count in zip(TARGETS, counts, strict=True)]
    funnel = [(stage, t("dash.certified_total") if stage == "certified" else t(f"stage.{stage}"),
               sum(p["members_by_stage"].get(stage, 0) for p in pools))
              for stage in FUNNEL_STAGES]
    bars = [Stacked(t(f"pool.{p['key']}"),
                    [(s, p["members_by_stage"].get(s, 0)) for s in FUNNEL_STAGES + CLOSED_STAGES])
            for p in pools]
    return Dashboard(targets, pools, funnel, bars)
