"""A curator's worklist page (/worklist): my firms, overdue follow-ups, firms that became
eligible or near since my last visit, certificates expiring, open problems — as the registry
composes it (``/api/v1/worklist``, for the signed-in account) — and the district's pool members
nobody is responsible for, one page at a time (``?unassigned_cursor=``), each with a "由我负责 /
Make me responsible" button for curators and admins. Bureau roles only.
"""

from __future__ import annotations

from typing import Any

from flask import request

from gateway.adapters.http import clients
from gateway.web.core import blp
from gateway.web.core import bureau
from gateway.web.core import render
from gateway.web.core import soft
from gateway.web.service_records import PROBLEM_STATES
from yumiao_common.web.errors import Unavailable

API = "/api/v1"
#: The sections every registry release answers (``unassigned`` came later: shown when there).
SECTIONS = ("firms", "overdue_follow_ups", "readiness_changes", "expiring_certificates",
            "open_problems")


def _worklist(cursor: str | None) -> Any:
    registry = clients().registry
    params: dict[str, Any] = {"limit": 200}
    if cursor:
        params["unassigned_cursor"] = cursor
    body = registry.json_or_raise(registry.request("GET", f"{API}/worklist", params=params))
    if not isinstance(body, dict) or not all(isinstance(body.get(k), dict) for k in SECTIONS):
        raise Unavailable("工作清单暂不可用 / The worklist is not available right now")
    return body


@blp.get("/worklist")
def worklist() -> Any:
    bureau()
    cursor = (request.args.get("unassigned_cursor") or "")[:512] or None
    return render("worklist.html", work=soft(lambda: _worklist(cursor)), cursor=cursor,
                  taken=request.args.get("taken"), refused=request.args.get("refused"),
                  problem_states=PROBLEM_STATES)
