"""The parking queues (/admin/parking): messages that failed N times, inspected and replayed.

Admins only. Each service's consumers park a message after its attempts run out; the page
lists the parked messages of the service chosen (type, when, why, attempts, what it is about
in words), shows one in full and asks the service to replay one or all of them. Every
service keeps the same ledger (``yumiao_common.parking``): notify behind ``/api/v1/parking``,
registry and scoring behind ``/api/v1/parking/<service>``. The reason goes with the replay
request (the service keeps it beside who asked) and the gateway records it in
``admin_actions`` once the service has accepted it.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import abort
from flask import redirect
from flask import request
from flask import url_for

from gateway.adapters.http import clients
from gateway.handlers import admin_actions
from gateway.web.admin_words import ADMIN_HELPERS
from gateway.web.admin_words import parked_summary
from gateway.web.admin_words import parked_uscc
from gateway.web.core import admin
from gateway.web.core import blp
from gateway.web.core import render
from gateway.web.core import soft
from gateway.web.i18n import pick
from yumiao_common.db.engine import get_session
from yumiao_common.web.errors import DomainError

API = "/api/v1"
#: The services in the order the page shows them, and those that expose a parking ledger.
SERVICES = ("notify", "registry", "scoring")
LEDGERS = frozenset(SERVICES)
#: Where each service's ledger is, under /api/v1 (notify's came first and kept the bare path).
LEDGER_PATHS = {"notify": "/parking", "registry": "/parking/registry",
                "scoring": "/parking/scoring"}
STATES = ("parked", "replay_requested", "replayed")
PAGE = 20  # each row is read in full for its summary: a short page
#: "Replay all" asks for at most this many in one click (the rest stay listed as parked).
REPLAY_ALL_MAX = 1000


def _service(name: str) -> str:
    if name not in SERVICES:
        abort(404)
    return name


def _call(service: str, method: str, path: str, **kwargs: Any) -> Any:
    client = getattr(clients(), service)
    return client.json_or_raise(client.request(method, f"{API}{LEDGER_PATHS[service]}{path}",
                                                **kwargs))


def _names(bodies: list[Any]) -> dict[str, str]:
    """Firm names of the credit codes the messages name (one registry read per firm)."""
    registry = clients().registry
    names: dict[str, str] = {}
    for uscc in {u for b in bodies if (u := parked_uscc(b))}:
        try:
            names[uscc] = str(registry.get_enterprise(uscc).get("name") or uscc)
        except DomainError:
            names[uscc] = uscc
    return names


def _listing(service: str, state: str, cursor: str | None) -> dict[str, Any]:
    params: dict[str, Any] = {"limit": PAGE, **({"status": state} if state else {}),
                              **({"cursor": cursor[:512]} if cursor else {})}
    page = dict(_call(service, "GET", "", params=params))
    rows = [dict(row, detail=_call(service, "GET", f"/{row['id']}"))
            for row in page.get("items", [])]
    names = _names([row["detail"].get("body") for row in rows])
    for row in rows:
        row["summary"] = parked_summary(row["detail"].get("body"), names)
        row["type"] = row["detail"].get("routing_key") or row.get("routing_key")
    page["items"] = rows
    return page


def _parked_count(service: str) -> int | None:
    try:
        body = _call(service, "GET", "", params={"status": "parked", "limit": 1})
    except DomainError:
        return None
    total = body.get("total")
    return int(total) if total is not None else None


@blp.get("/admin/parking")
def admin_parking() -> Any:
    admin()
    service = _service(request.args.get("service", SERVICES[0]))
    state = request.args.get("state", "parked")
    state = state if state in STATES else ""
    listed = soft(lambda: _listing(service, state, request.args.get("cursor"))) \
        if service in LEDGERS else None
    return render("admin_parking.html", services=SERVICES, service=service, state=state,
                  states=STATES, listed=listed, has_ledger=service in LEDGERS,
                  parked=_parked_count(service) if service in LEDGERS else None,
                  replayed=request.args.get("replayed"), problems=[], **ADMIN_HELPERS)


def _detail_page(service: str, parked_id: uuid.UUID, code: int = 200, **context: Any) -> Any:
    if service not in LEDGERS:
        abort(404)
    row = _call(service, "GET", f"/{parked_id}")
    summary = parked_summary(row.get("body"), _names([row.get("body")]))
    trail = admin_actions.history(get_session(), target=f"parking:{service}:{parked_id}")
    return render("admin_parked.html", code, service=service, row=row, summary=summary,
                  trail=trail, **{"problems": [], **context}, **ADMIN_HELPERS)


@blp.get("/admin/parking/<service>/<uuid:parked_id>")
def admin_parked(service: str, parked_id: uuid.UUID) -> Any:
    admin()
    return _detail_page(_service(service), parked_id)


@blp.post("/admin/parking/<service>/<uuid:parked_id>/replay")
def admin_parked_replay(service: str, parked_id: uuid.UUID) -> Any:
    """Ask the service to replay one message; recorded with the reason once it accepted."""
    principal = admin()
    service = _service(service)
    session = get_session()
    try:
        reason = admin_actions.checked_reason(request.form.get("reason"))
        if service not in LEDGERS:
            abort(404)
        _call(service, "POST", f"/{parked_id}/replay", json={"reason": reason})
    except DomainError as exc:
        if exc.status >= 500:
            raise
        return _detail_page(service, parked_id, exc.status, problems=[pick(exc.message)] + [
            pick(m) for msgs in (exc.fields or {}).values() for m in msgs])
    admin_actions.record(session, actor=principal.actor, action="parking.replay",
                         target=f"parking:{service}:{parked_id}", reason=reason)
    session.commit()
    return redirect(url_for("web.admin_parked", service=service, parked_id=parked_id), code=303)


def _parked_ids(service: str) -> list[str]:
    """Every parked message id of ``service``, newest first, at most ``REPLAY_ALL_MAX``."""
    found: list[str] = []
    cursor: str | None = None
    while len(found) < REPLAY_ALL_MAX:
        params: dict[str, Any] = {"status": "parked", "limit": 200,
                                  **({"cursor": cursor} if cursor else {})}
        page = _call(service, "GET", "", params=params)
        found += [str(row["id"]) for row in page.get("items", [])]
        cursor = page.get("next_cursor")
        if not cursor:
            break
    return found[:REPLAY_ALL_MAX]


@blp.post("/admin/parking/<service>/replay-all")
def admin_parking_replay_all(service: str) -> Any:
    """Replay every parked message of a service; one audit row names them all. A message
    replayed meanwhile by someone else (409) is skipped, not counted."""
    principal = admin()
    service = _service(service)
    if service not in LEDGERS:
        abort(404)
    session = get_session()
    try:
        reason = admin_actions.checked_reason(request.form.get("reason"))
    except DomainError as exc:
        return render("admin_parking.html", exc.status, services=SERVICES, service=service,
                      state="parked", states=STATES, listed=soft(lambda: _listing(
                          service, "parked", None)), has_ledger=True,
                      parked=_parked_count(service), replayed=None,
                      problems=[pick(m) for msgs in exc.fields.values() for m in msgs],
                      **ADMIN_HELPERS)
    replayed: list[str] = []
    try:
        for parked_id in _parked_ids(service):
            try:
                _call(service, "POST", f"/{parked_id}/replay", json={"reason": reason})
            except DomainError as exc:
                if exc.status != 409:
                    raise
                continue
            replayed.append(parked_id)
    finally:  # a service failing half-way: what it accepted is still on the record
        admin_actions.record(session, actor=principal.actor, action="parking.replay_all",
                             target=f"parking:{service}", reason=reason,
                             details={"count": len(replayed), "ids": replayed})
        session.commit()
    return redirect(url_for("web.admin_parking", service=service, state="replay_requested",
                            replayed=len(replayed)), code=303)
