"""A firm's cultivation records as the registry keeps them — service records and problems
raised (问题清单) — in the words and order the pages show them: the bureau's enterprise page
gets them with the registry's overview (``/api/v1/enterprises/{uscc}/overview``), the firm's
own page reads the problems shared with it (``…/shared-problems``); kept apart from the page
modules so the pages and their form handlers use them without importing each other."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from gateway.adapters.http import clients
from gateway.adapters.http.registry import items_of

API = "/api/v1"
#: The kinds of service, in the order a curator meets them (the registry's SERVICE_KINDS).
SERVICE_KINDS = {
    "visit": "走访 / Visit",
    "training": "培训 / Training",
    "policy_briefing": "政策宣讲 / Policy briefing",
    "financing_match": "融资对接 / Financing match",
    "expert_diagnosis": "专家诊断 / Expert diagnosis",
}


#: Where a problem stands, in the curator's words (the registry's PROBLEM_STATES).
PROBLEM_STATES = {
    "open": "待办 / Open",
    "in_progress": "办理中 / In progress",
    "resolved": "已解决 / Resolved",
}
#: What moving a problem to a status is called on its button (the registry's PROBLEM_MOVES
#: says which moves a problem allows: its ``allowed_moves``).
PROBLEM_MOVE_WORDS = {
    "in_progress": "开始办理 / Start work",
    "resolved": "已解决 / Resolved",
    "open": "重新打开 / Reopen",
}


def _records(uscc: str, kind: str) -> list[dict[str, Any]]:
    """One page of 200 of the firm's ``kind`` records (years of a firm's cultivation)."""
    registry = clients().registry
    body = registry.json_or_raise(registry.request(
        "GET", f"{API}/enterprises/{quote(uscc, safe='')}/{kind}", params={"limit": 200}))
    return items_of(body)


def newest_first(services: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Service records, newest first."""
    return sorted(services, key=lambda r: (r.get("served_on") or "", r.get("id") or 0),
                  reverse=True)


def in_order(problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Problems as the bureau follows them up: those still to answer first (earliest due,
    then oldest raised), then the resolved ones, latest resolved first."""
    pending = sorted((p for p in problems if p.get("status") != "resolved"),
                     key=lambda p: (p.get("due_on") or "9999", p.get("raised_on") or "",
                                    p.get("id") or 0))
    resolved = sorted((p for p in problems if p.get("status") == "resolved"),
                      key=lambda p: (p.get("resolved_on") or "", p.get("id") or 0),
                      reverse=True)
    return pending + resolved


def shared_problems(uscc: str) -> list[dict[str, Any]]:
    """The problems the bureau shared with the firm (what the firm's own page shows; the
    registry's ``shared-problems`` holds no bureau-only field), in the bureau's order."""
    return in_order(_records(uscc, "shared-problems"))
