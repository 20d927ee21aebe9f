"""Statistics read by ``/statistics``: SQL counts labelled in words (tiers, stages, towns)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from registry.adapters.sql import statistics as sql
from registry.domain.monitoring import growth_pct
from registry.domain.pipeline import STAGE_LABELS
from registry.domain.pipeline import Stage
from registry.domain.tiers import TIERS
from registry.domain.towns import TOWNS_BY_CODE
from yumiao_common.web.errors import ValidationFailed

SIZE_LABELS = {"large": "大型 / Large", "medium": "中型 / Medium", "small": "小型 / Small",
               "micro": "微型 / Micro"}
MAX_YEARS = 30


def group_label(by: str, key: Any) -> str:
    if by == "none":
        return "全区 / Whole district"
    if key is None:
        return "未填 / Not recorded"
    if by == "town":
        town = TOWNS_BY_CODE.get(key)
        return f"{town.name} / {town.name_en}" if town else str(key)
    if by == "size_class":
        return SIZE_LABELS.get(key, str(key))
    return str(key)


def _key(by: str, key: Any) -> str | None:
    return None if by == "none" or key is None else str(key)


def tier_counts(session: Session, *, as_of: date | None, by: str, today: date
                ) -> list[dict[str, Any]]:
    day = as_of or today
    sql.without_jit(session)
    return [{"tier": tier, "tier_label": TIERS[tier].label if tier in TIERS else tier,
             "group": _key(by, key), "group_label": group_label(by, key), "enterprises": n}
            for tier, key, n in sql.certifications_held(session, day, by, today)]


def stage_counts(session: Session, *, as_of: date | None, by: str, today: date
                 ) -> list[dict[str, Any]]:
    day = as_of or today
    sql.without_jit(session)
    return [{"pool": pool, "stage": stage, "stage_label": STAGE_LABELS[Stage(stage)],
             "group": _key(by, key), "group_label": group_label(by, key), "members": n}
            for pool, stage, key, n in sql.stages_on(session, day, by, today)]


def figure_years(session: Session, *, year_from: int | None, year_to: int | None, by: str,
                 today: date) -> list[dict[str, Any]]:
    """Sums per year and group, with growth against the year before (like for like)."""
    last = year_to or today.year - 1
    first = year_from or last - 4
    if first > last or last - first >= MAX_YEARS:
        raise ValidationFailed(fields={"year_from": [
            f"须不晚于 year_to，且跨度不超过 {MAX_YEARS} 年 / Must not be after year_to and "
            f"span at most {MAX_YEARS} years."]})
    sql.without_jit(session)
    rows: dict[tuple[int, Any], dict[str, Any]] = {}
    for figure in ("rd_expense", "hightech_revenue"):
        for year, key, total, n in sql.figure_totals(session, figure, range(first, last + 1),
                                                     by, today):
            row = rows.setdefault((year, _key(by, key)), {
                "year": year, "group": _key(by, key), "group_label": group_label(by, key),
                "rd_expense": None, "rd_expense_enterprises": 0, "hightech_revenue": None,
                "hightech_revenue_enterprises": 0, "rd_growth_pct": None,
                "hightech_growth_pct": None})
            row[figure], row[f"{figure}_enterprises"] = total, n
    for (year, key), row in rows.items():
        for figure, out in (("rd_expense", "rd_growth_pct"),
                            ("hightech_revenue", "hightech_growth_pct")):
            sums = sql.like_for_like_by_town(session, figure, year, date(year, 12, 31), today) \
                if by in ("none", "town") else {}
            if by == "none":
                cur = sum(s.current for s in sums.values())
                prev = sum(s.previous for s in sums.values())
                row[out] = growth_pct(cur, prev)
            elif by == "town" and key in sums:
                row[out] = growth_pct(sums[key].current, sums[key].previous)
    return sorted(rows.values(), key=lambda r: (r["year"], r["group"] or ""))
