"""The printable 入库名单 of a reserve round (/rounds/<id>/roster): the round's admitted firms
as the registry lists them (``/api/v1/rounds/{id}`` and its ``/roster`` pages), with the XLSX
beside it. Bureau roles only; the browser's print (Ctrl+P) prints the page without its
navigation (``base.html``'s print rules).
"""

from __future__ import annotations

from typing import Any

from gateway.adapters.http import clients
from gateway.web.core import blp
from gateway.web.core import bureau
from gateway.web.core import render
from gateway.web.core import soft

API = "/api/v1"
#: Pages of 200 read at most: ten times the plan's yearly figure of about 20 firms is room
#: enough; a longer roster is cut and says so.
MAX_PAGES = 10
#: Why a member left, in words (the registry's EXIT_REASONS).
EXIT_REASONS = {
    "certified": "已认定 / Certified",
    "lapsed": "入库有效期届满 / Admission period lapsed",
    "withdrew": "企业主动退出 / The firm withdrew",
    "disqualified": "不再符合条件 / Disqualified",
}


def _registry_json(path: str, params: dict[str, Any] | None = None) -> Any:
    registry = clients().registry
    return registry.json_or_raise(registry.request("GET", f"{API}{path}", params=params))


def _roster(round_id: int) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        params: dict[str, Any] = {"limit": 200, **({"cursor": cursor} if cursor else {})}
        page = _registry_json(f"/rounds/{round_id}/roster", params)
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return {"items": items, "cut": False}
    return {"items": items, "cut": True}


@blp.get("/rounds/<int:round_id>/roster")
def round_roster(round_id: int) -> Any:
    bureau()
    found = soft(lambda: _registry_json(f"/rounds/{round_id}"))
    roster = soft(lambda: _roster(round_id)) if found.data else None
    return render("round_roster.html", found=found, roster=roster,
                  xlsx_url=f"{API}/rounds/{round_id}/roster.xlsx", exit_reasons=EXIT_REASONS)
