"""A curator's worklist page (/worklist): my firms, overdue follow-ups, firms that became
eligible or near since my last visit, certificates expiring, open problems — as the registry
composes it (``/api/v1/worklist``, for the signed-in account). Bureau roles only.
"""

from __future__ import annotations

from typing import Any

from gateway.adapters.http import clients
from gateway.web.core import blp
from gateway.web.core import bureau
from gateway.web.core import render
from gateway.web.core import soft

API = "/api/v1"


def _worklist() -> Any:
    registry = clients().registry
    return registry.json_or_raise(registry.request("GET", f"{API}/worklist",
                                                   params={"limit": 200}))


@blp.get("/worklist")
def worklist() -> Any:
    bureau()
    return render("worklist.html", work=soft(_worklist))
