"""A firm's service records as the registry keeps them (``/api/v1/enterprises/{uscc}/services``),
read for the enterprise page; kept apart from the page modules so both the page and its form
handler use it without importing each other."""

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


def service_records(uscc: str) -> list[dict[str, Any]]:
    """The firm's service records, newest first (one page of 200 is years of visits)."""
    registry = clients().registry
    body = registry.json_or_raise(registry.request(
        "GET", f"{API}/enterprises/{quote(uscc, safe='')}/services", params={"limit": 200}))
    return sorted(items_of(body), key=lambda r: (r.get("served_on") or "", r.get("id") or 0),
                  reverse=True)


def responsible(uscc: str) -> dict[str, Any] | None:
    """The firm's responsible curator (None when nobody is yet: the registry answers 404)."""
    registry = clients().registry
    response = registry.request("GET", f"{API}/enterprises/{quote(uscc, safe='')}/curator")
    if response.status_code == 404:
        return None
    found: dict[str, Any] = registry.json_or_raise(response)
    return found
