"""The bureau's round desk (/rounds, /rounds/<id>): run a yearly reserve round in the browser
— open it with its quota and dates, pick candidates from the readiness ranking (the registry's
filters: verdicts, minimum score, town, industry; holders and members already left out), move
a ticked batch nominate → screen → admit with one reason, and publish the 入库名单, which then
links to the printable roster and its XLSX.

Everything is the registry's ``/api/v1/rounds`` API; the page adds words, not rules. A refused
form comes back with what was typed kept: 422 field errors beside their fields, a 409 (round
exists, quota full, stale version, firm not at that stage) explained above the form. Viewers
read; curators and admins write; enterprise accounts get the 403 page.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import redirect
from flask import request
from flask import url_for

from gateway.adapters.http import clients
from gateway.adapters.http.registry import items_of
from gateway.web.catalogue import POOLS
from gateway.web.catalogue import VERDICTS
from gateway.web.core import blp
from gateway.web.core import bureau
from gateway.web.core import render
from gateway.web.core import soft
from gateway.web.core import writer
from gateway.web.i18n import pick
from yumiao_common.web.errors import DomainError

API = "/api/v1"
PAGE = 20
#: Actions a batch may take from the page, with the stage a firm must be at for it.
BATCH_FROM = {"nominate": None, "screen": "nominated", "admit": "screened"}


def _call(method: str, path: str, **kwargs: Any) -> Any:
    registry = clients().registry
    return registry.json_or_raise(registry.request(method, f"{API}{path}", **kwargs))


def _int_or_raw(raw: str | None) -> Any:
    """A number as a number; anything else as typed, so the registry names what is wrong."""
    text = (raw or "").strip()
    if not text:
        return None
    return int(text) if text.isdigit() and len(text) <= 9 else text


def refusal(exc: DomainError) -> dict[str, Any]:
    """A refusal in words: field errors (422) beside their fields, the rest above the form —
    a 409 says nothing changed and why."""
    fields = {k: [pick(m) for m in v] for k, v in (exc.fields or {}).items()}
    message = pick(exc.message)
    if exc.status == 409:
        message = pick("未执行，数据未改动 / Not done, nothing changed") + " — " + message
    return {"status": exc.status, "message": message, "fields": fields}


def _rounds() -> list[dict[str, Any]]:
    return items_of(_call("GET", "/rounds", params={"limit": 200}))


def _list_page(code: int = 200, **context: Any) -> Any:
    return render("rounds.html", code, rounds=soft(_rounds), pools=POOLS,
                  **{"problem": None, "form": {}, **context})


@blp.get("/rounds")
def rounds() -> Any:
    bureau()
    return _list_page()


@blp.post("/rounds")
def round_create() -> Any:
    writer()
    form = request.form
    body = {"pool": form.get("pool") or None, "year": _int_or_raw(form.get("year")),
            "quota": _int_or_raw(form.get("quota")),
            "opens_on": (form.get("opens_on") or "").strip() or None,
            "closes_on": (form.get("closes_on") or "").strip() or None}
    if (form.get("reason") or "").strip():
        body["reason"] = form["reason"].strip()
    body = {k: v for k, v in body.items() if v is not None}
    try:
        made = _call("POST", "/rounds", json=body)
    except DomainError as exc:
        return _list_page(exc.status, problem=refusal(exc), form=form)
    made_id = made.get("id") if isinstance(made, dict) else None
    if not isinstance(made_id, int):  # an answer without its id: the list shows the round
        return redirect(url_for("web.rounds"), code=303)
    return redirect(url_for("web.round_desk", round_id=made_id), code=303)


def _filters() -> dict[str, Any]:
    args = request.args
    verdicts = [v for v in args.getlist("verdict") if v in ("eligible", "near")]
    params: dict[str, Any] = {"limit": PAGE}
    if verdicts:
        params["verdict"] = verdicts
    for key in ("min_score", "town", "industry", "cursor"):
        if (args.get(key) or "").strip():
            params[key] = args[key].strip()
    return params


def _members(round_id: int, stage: str) -> list[dict[str, Any]]:
    return items_of(_call("GET", f"/rounds/{round_id}/members",
                          params={"stage": stage, "limit": 200}))


def _desk(round_id: int, code: int = 200, **context: Any) -> Any:
    found = _call("GET", f"/rounds/{round_id}")
    params = _filters()
    candidates = soft(lambda: _call("GET", f"/rounds/{round_id}/candidates", params=params))
    stages = {s: soft(partial(_members, round_id, s))
              for s in ("nominated", "screened", "admitted")}
    shown = {k: v for k, v in params.items() if k not in ("limit", "cursor")}
    return render("round.html", code, r=found, round_id=round_id, candidates=candidates,
                  stages=stages,
                  filters=shown, verdicts=VERDICTS, pools=POOLS, items_of=items_of,
                  moved=request.args.get("moved"), count=request.args.get("n"),
                  **{"problem": None, "form": {}, **context})


@blp.get("/rounds/<int:round_id>")
def round_desk(round_id: int) -> Any:
    bureau()
    return _desk(round_id)


@blp.post("/rounds/<int:round_id>/batches")
def round_batch(round_id: int) -> Any:
    writer()
    form = request.form
    action = form.get("action", "")
    body = {"action": action, "usccs": form.getlist("uscc"),
            "reason": (form.get("reason") or "").strip()}
    try:
        result = _call("POST", f"/rounds/{round_id}/batches", json=body)
    except DomainError as exc:
        return _desk(round_id, exc.status, problem={**refusal(exc), "action": action},
                     form=form)
    moved = len(result.get("moved") or []) if isinstance(result, dict) else 0
    return redirect(url_for("web.round_desk", round_id=round_id, moved=action, n=moved)
                    + "#desk-moved", code=303)


@blp.post("/rounds/<int:round_id>/publication")
def round_publish(round_id: int) -> Any:
    writer()
    form = request.form
    body = {"version": _int_or_raw(form.get("version")),
            "reason": (form.get("reason") or "").strip()}
    try:
        _call("POST", f"/rounds/{round_id}/publication", json=body)
    except DomainError as exc:
        return _desk(round_id, exc.status, problem={**refusal(exc), "action": "publish"},
                     form=form)
    return redirect(url_for("web.round_desk", round_id=round_id, moved="publish"), code=303)
