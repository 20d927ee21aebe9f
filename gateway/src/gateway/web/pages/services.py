"""Service records and problems raised on the enterprise page (bureau roles): what the bureau
did for a firm — visit, training, policy briefing, financing match, expert diagnosis — with
its follow-up due, private to the bureau unless shared with the firm. A follow-up past due
appears on the curator's /worklist (the registry composes it). Problems the firm raised
(问题清单) are listed with where they stand (待办 / 办理中 / 已解决), raised with a due date,
moved open → in progress → resolved with a note, and reopened when they come back.

Viewers read the records; curators and admins write them (``POST /enterprises/<uscc>/services``,
``/problems`` and ``/problems/<id>`` → the registry's ``/api/v1/enterprises/{uscc}/…``). A
refused write comes back on the enterprise page with its field errors beside the fields and
everything typed kept.
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


def _send(uscc: str, method: str, path: str, body: dict[str, Any]) -> DomainError | None:
    """One write of the firm's cultivation at the registry; its refusal, if any."""
    registry = clients().registry
    try:
        registry.json_or_raise(registry.request(
            method, f"{API}/enterprises/{quote(uscc, safe='')}/{path}", json=body))
    except DomainError as exc:
        return exc
    return None


def _done(uscc: str, section: str, **args: Any) -> Any:
    """Back to the enterprise page at ``section`` (303: a reload never posts again)."""
    return redirect(url_for("web.enterprise_page", uscc=uscc, **args) + f"#{section}",
                    code=303)


def _refused(uscc: str, exc: DomainError, **refusal_context: Any) -> Any:
    """The enterprise page again, the refusal in words where the context puts it, everything
    typed kept."""
    sections = enterprise_sections(uscc)
    return render("enterprise.html", exc.status, **sections, moved=None, move_error=None,
                  **refusal_context)


def _text(name: str) -> str | None:
    return (request.form.get(name) or "").strip() or None


def _version() -> int | None:
    raw = request.form.get("version") or ""
    return int(raw) if raw.isdigit() and len(raw) <= 9 else None


@blp.post("/enterprises/<uscc>/services")
def service_add(uscc: str) -> Any:
    writer()
    form = request.form
    body: dict[str, Any] = {
        "kind": form.get("kind") or None,
        "served_on": _text("served_on"),
        "summary": (form.get("summary") or "").strip(),
        "follow_up": _text("follow_up"),
        "follow_up_due": _text("follow_up_due"),
        "shared_with_firm": form.get("shared_with_firm") == "1",
    }
    body = {k: v for k, v in body.items() if v is not None or k in ("follow_up",
                                                                     "follow_up_due")}
    exc = _send(uscc, "POST", "services", body)
    if exc is not None:
        return _refused(uscc, exc, service_problem=refusal(exc), service_form=form)
    return _done(uscc, "services", served=1)


@blp.post("/enterprises/<uscc>/curator")
def curator_take(uscc: str) -> Any:
    """The signed-in curator becomes the firm's responsible curator (its follow-ups then land
    on their /worklist); a stale version (someone else took it meanwhile) is explained. From
    the /worklist page (``back=worklist``) the curator lands back there, at the firm."""
    principal = writer()
    body: dict[str, Any] = {"curator": principal.actor,
                            "reason": "由我负责 / I take responsibility"}
    if _version() is not None:
        body["version"] = _version()
    exc = _send(uscc, "PUT", "curator", body)
    if request.form.get("back") == "worklist":
        if exc is not None and exc.status not in (404, 409, 422, 428):
            raise exc
        outcome: dict[str, Any] = {"refused" if exc is not None else "taken": uscc}
        return redirect(url_for("web.worklist", **outcome) + "#unassigned", code=303)
    if exc is not None:
        return _refused(uscc, exc, service_problem=refusal(exc), service_form={})
    return _done(uscc, "services")


@blp.post("/enterprises/<uscc>/problems")
def problem_raise(uscc: str) -> Any:
    """Put a problem the firm raised on its list (问题清单), open; shared with the firm only
    when 是 is chosen."""
    writer()
    form = request.form
    body: dict[str, Any] = {
        "title": (form.get("title") or "").strip(),
        "detail": _text("detail"),
        "raised_on": _text("raised_on"),
        "due_on": _text("due_on"),
        "shared_with_firm": form.get("shared_with_firm") == "1",
    }
    body = {k: v for k, v in body.items() if v is not None or k in ("detail", "due_on")}
    exc = _send(uscc, "POST", "problems", body)
    if exc is not None:
        return _refused(uscc, exc, problem_refusal=refusal(exc), problem_form=form)
    return _done(uscc, "problems", raised=1)


@blp.post("/enterprises/<uscc>/problems/<int:problem_id>")
def problem_move(uscc: str, problem_id: int) -> Any:
    """Move a problem open → in progress → resolved (the note is its resolution), or reopen
    it; the note is the change's reason in the audit. A stale version or an illegal move is
    a 409 explained beside the problem, the note kept."""
    writer()
    status, note = request.form.get("status") or None, _text("note")
    body: dict[str, Any] = {"status": status, "version": _version(), "reason": note}
    if status == "resolved" and note is not None:
        body["resolution"] = note
    body = {k: v for k, v in body.items() if v is not None or k == "status"}
    exc = _send(uscc, "PATCH", f"problems/{problem_id}", body)
    if exc is not None:
        return _refused(uscc, exc, problem_move_refusal={
            **refusal(exc), "id": problem_id, "note": note or "", "status": status or ""})
    return _done(uscc, f"problem-{problem_id}", moved_problem=problem_id)
