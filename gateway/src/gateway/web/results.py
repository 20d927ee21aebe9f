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
