"""Service records on the enterprise page (bureau roles): what the bureau did for a firm —
visit, training, policy briefing, financing match, expert diagnosis — with its follow-up due,
private to the bureau unless shared with the firm. A follow-up past due appears on the
curator's /worklist (the registry composes it).

Viewers read the records; curators and admins add them (``POST /enterprises/<uscc>/services``
→ the registry's ``/api/v1/enterprises/{uscc}/services``). A refused record comes back on the
enterprise page with its field errors beside the fields and everything typed kept.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import redirect
from flask import request
from flask import url_for

from gateway.adapters.http import clients
from gateway.web.core import blp
from gateway.web.core import render
from gateway.web.core import writer
from gateway.web.pages.pipeline import enterprise_sections
from gateway.web.pages.round_desk import refusal
from yumiao_common.web.errors import DomainError

API = "/api/v1"


@blp.post("/enterprises/<uscc>/services")
def service_add(uscc: str) -> Any:
    writer()
    form = request.form
    body: dict[str, Any] = {
        "kind": form.get("kind") or None,
        "served_on": (form.get("served_on") or "").strip() or None,
        "summary": (form.get("summary") or "").strip(),
        "follow_up": (form.get("follow_up") or "").strip() or None,
        "follow_up_due": (form.get("follow_up_due") or "").strip() or None,
        "shared_with_firm": form.get("shared_with_firm") == "1",
    }
    body = {k: v for k, v in body.items() if v is not None or k in ("follow_up",
                                                                     "follow_up_due")}
    registry = clients().registry
    try:
        registry.json_or_raise(registry.request(
            "POST", f"{API}/enterprises/{quote(uscc, safe='')}/services", json=body))
    except DomainError as exc:
        sections = enterprise_sections(uscc)
        return render("enterprise.html", exc.status, **sections, moved=None, move_error=None,
                      service_problem=refusal(exc), service_form=form)
    return redirect(url_for("web.enterprise_page", uscc=uscc, served=1) + "#services",
                    code=303)


@blp.post("/enterprises/<uscc>/curator")
def curator_take(uscc: str) -> Any:
    """The signed-in curator becomes the firm's responsible curator (its follow-ups then land
    on their /worklist); a stale version (someone else took it meanwhile) is explained."""
    principal = writer()
    raw = request.form.get("version") or ""
    body: dict[str, Any] = {"curator": principal.actor,
                            "reason": "由我负责 / I take responsibility"}
    if raw.isdigit() and len(raw) <= 9:
        body["version"] = int(raw)
    registry = clients().registry
    try:
        registry.json_or_raise(registry.request(
            "PUT", f"{API}/enterprises/{quote(uscc, safe='')}/curator", json=body))
    except DomainError as exc:
        sections = enterprise_sections(uscc)
        return render("enterprise.html", exc.status, **sections, moved=None, move_error=None,
                      service_problem=refusal(exc), service_form={})
    return redirect(url_for("web.enterprise_page", uscc=uscc) + "#services", code=303)
