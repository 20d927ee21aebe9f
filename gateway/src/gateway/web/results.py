"""Verdicts as the pages show them: one ordered list of tier results, whatever their source.

The what-if answer keys results by tier; stored evaluations are a list with the result nested.
Both become ``[{"tier", "verdict", "score", "criteria", "next_steps", …}]`` in the ladder's
order, so one template macro renders a verdict wherever it appears.
"""

from __future__ import annotations

from typing import Any

TIER_ORDER = ("tech_sme", "hnte", "innovative_sme", "srdi_sme", "little_giant",
              "agri_leader_municipal", "agri_leader_provincial", "agri_leader_national")
VERDICT_ORDER = ("eligible", "near", "unknown", "ineligible")


def _ordered(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    def key(result: dict[str, Any]) -> int:
        tier = result.get("tier", "")
        return TIER_ORDER.index(tier) if tier in TIER_ORDER else len(TIER_ORDER)

    return sorted(results, key=key)


def from_evaluate(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Results of ``POST /evaluate`` (what-if and self-check)."""
    results = body.get("results") or {}
    return _ordered([{**result, "tier": result.get("tier") or tier}
                     for tier, result in results.items()])


def from_stored(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Results of ``GET /enterprises/{uscc}/evaluations`` (what scoring holds today)."""
    rows = []
    for row in body.get("evaluations") or []:
        result = dict(row.get("result") or {})
        result.setdefault("tier", row.get("tier"))
        result.setdefault("verdict", row.get("verdict"))
        result["evaluated_at"] = row.get("evaluated_at")
        rows.append(result)
    return _ordered(rows)


def failing(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The criteria a tier still fails, each with its gap (what the owner has to close)."""
    return [c for c in result.get("criteria") or [] if c.get("status") == "fail"]


def summary(results: list[dict[str, Any]]) -> dict[str, int]:
    """How many tiers per verdict (the headline of the eligibility page)."""
    counts = dict.fromkeys(VERDICT_ORDER, 0)
    for result in results:
        verdict = result.get("verdict", "unknown")
        counts[verdict] = counts.get(verdict, 0) + 1
    return counts


def _fails(result: dict[str, Any]) -> int:
    counts = result.get("counts")
    if isinstance(counts, dict) and "fail" in counts:
        return int(counts.get("fail") or 0)
    return len(failing(result))


def _reachable_score(result: dict[str, Any]) -> bool:
    """Whether the score range still reaches the pass mark (no score: nothing to reach)."""
    score = result.get("score")
    if not isinstance(score, dict) or score.get("pass_mark") in (None, ""):
        return True
    try:
        return float(score.get("max") or 0) >= float(score["pass_mark"])
    except (TypeError, ValueError):
        return True


def outlook(results: list[dict[str, Any]], industry_code: str | None = None
            ) -> dict[str, list[Any]]:
    """What a firm qualifies for now, what it would once it confirms the open items, and
    where it is close: the one sentence above a self-check's or what-if's verdicts.

    ``possible``: tiers the firm fails on nothing but whose verdict waits for facts it has
    not given (信息不足 with no failing criterion and a score range reaching the pass mark);
    ``open_items``: the titles of those facts, each once, in the order of the tiers.
    """
    results = split_by_relevance(results, industry_code)[0]
    eligible = [r["tier"] for r in results if r.get("verdict") == "eligible"]
    near = [r["tier"] for r in results if r.get("verdict") == "near"]
    possible, items = [], []
    for r in results:
        if r.get("verdict") != "unknown" or _fails(r) or not _reachable_score(r):
            continue
        possible.append(r["tier"])
        for c in r.get("criteria") or []:
            if c.get("status") in ("unknown", "review") and c.get("title") not in items:
                items.append(c.get("title"))
    return {"eligible": eligible, "possible": possible, "near": near, "open_items": items}


def compare(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The what-if's table: each tier's verdict and score now and with the changed figures,
    ``changed`` when either moved (those rows are highlighted and their details open)."""
    now = {r.get("tier"): r for r in before}
    rows = []
    for result in after:
        was = now.get(result.get("tier")) or {}
        changed = (was.get("verdict") != result.get("verdict")
                   or _score_text(was) != _score_text(result))
        rows.append({"tier": result.get("tier"), "before": was or None, "after": result,
                     "changed": changed})
    return rows


def _score_text(result: dict[str, Any]) -> str:
    score = result.get("score")
    if not isinstance(score, dict):
        return ""
    lo, hi = score.get("min"), score.get("max")
    return str(lo) if lo == hi else f"{lo}–{hi}"


def score_text(result: dict[str, Any] | None) -> str:
    """``48`` or ``38–70`` (a range while expert items are open); ``—`` without a score."""
    return (_score_text(result) if result else "") or "—"


AGRI_TIERS = ("agri_leader_municipal", "agri_leader_provincial", "agri_leader_national")
#: GB/T 4754 codes of agriculture and of processing farm produce (农副食品加工, 食品, 酒饮料茶,
#: 烟草, 纺织, 木材, 造纸 …): the firms the agricultural-leader ladder is meant for.
AGRI_INDUSTRY = ("A", "C13", "C14", "C15", "C16", "C17", "C18", "C19", "C20", "C21", "C22")


def split_by_relevance(results: list[dict[str, Any]], industry_code: str | None
                       ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(tiers to show first, tiers folded below): an auto-parts maker does not read the
    agricultural-leader ladder first; a firm of unknown industry, or one that qualifies or
    nearly does, keeps every tier in the main list."""
    code = (industry_code or "").upper()
    if not code or code.startswith(AGRI_INDUSTRY):
        return results, []
    main = [r for r in results if r.get("tier") not in AGRI_TIERS
            or r.get("verdict") in ("eligible", "near")]
    return main, [r for r in results if r not in main]
