"""Local parameters, preview first (/admin/parameters, /admin/reevaluations/<id>): admins only.

The list shows each parameter with the criterion it sets, its source and the value in force in
its unit. A change is never written straight away: the form proposes it to scoring's
re-evaluation (``POST /reevaluations``), whose job computes who would gain and who would lose
a tier and through which criterion; the preview page lists them by firm name, paged, and only
then offers "确认生效" (with a reason, audited here and in scoring). When the parameters moved
after the preview, scoring refuses the activation with 409 参数已变更 — the page says so in
words and offers to preview the same change again on the parameters now in force.
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from flask import redirect
from flask import request
from flask import url_for

from gateway.adapters.http import clients
from gateway.handlers import admin_actions
from gateway.web.admin_words import ADMIN_HELPERS
from gateway.web.admin_words import parse_param_input
from gateway.web.core import Section
from gateway.web.core import admin
from gateway.web.core import blp
from gateway.web.core import render
from gateway.web.core import soft
from gateway.web.i18n import pick
from gateway.web.results import TIER_ORDER
from yumiao_common.db.engine import get_session
from yumiao_common.web.errors import DomainError
from yumiao_common.web.errors import ValidationFailed

API = "/api/v1"
IMPACT_PAGE = 20
IMPACT_KINDS = ("gain", "loss", "change")
RUNNING = frozenset({"pending", "previewing", "activating"})


def _scoring(method: str, path: str, **kwargs: Any) -> Any:
    scoring = clients().scoring
    return scoring.json_or_raise(scoring.request(method, f"{API}{path}", **kwargs))


def _by_tier(items: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    order = {tier: i for i, tier in enumerate(TIER_ORDER)}
    tiers = sorted({p["definition"].get("tier", "") for p in items},
                   key=lambda tier: (order.get(tier, len(order)), tier))
    return [(tier, [p for p in items if p["definition"].get("tier", "") == tier])
            for tier in tiers]


def _list_page(code: int = 200, **context: Any) -> Any:
    listed = soft(lambda: {"items": clients().scoring.every_item(f"{API}/parameters")})
    groups = _by_tier(listed.data["items"]) if listed.data else []
    return render("admin_parameters.html", code, listed=listed, groups=groups,
                  **{"problems": [], **context}, **ADMIN_HELPERS)


@blp.get("/admin/parameters")
def admin_parameters() -> Any:
    admin()
    return _list_page()


def _edit_page(parameter_id: str, code: int = 200, **context: Any) -> Any:
    parameter = _scoring("GET", f"/parameters/{parameter_id}")
    return render("admin_parameter.html", code, parameter=parameter,
                  d=parameter["definition"], **{"problems": [], "form": {}, **context},
                  **ADMIN_HELPERS)


@blp.get("/admin/parameters/<parameter_id>")
def admin_parameter(parameter_id: str) -> Any:
    admin()
    return _edit_page(parameter_id)


def _proposed_value(parameter: dict[str, Any]) -> Any:
    if request.form.get("restore"):
        return None
    d = parameter["definition"]
    return parse_param_input(request.form.get("value", "").strip(), d.get("unit"),
                             parameter.get("default"))


def _problems(exc: DomainError) -> list[str]:
    found = [pick(m) for msgs in (exc.fields or {}).values() for m in msgs]
    return found or [pick(exc.message)]


@blp.post("/admin/parameters/<parameter_id>/preview")
def admin_parameter_preview(parameter_id: str) -> Any:
    """Propose the change to scoring (nothing is applied) and open its preview."""
    admin()
    parameter = _scoring("GET", f"/parameters/{parameter_id}")
    try:
        reason = admin_actions.checked_reason(request.form.get("reason"))
        job = _scoring("POST", "/reevaluations", json={
            "parameters": {parameter_id: _proposed_value(parameter)}, "reason": reason})
    except DomainError as exc:
        if exc.status >= 500:
            raise
        return _edit_page(parameter_id, exc.status,
                          problems=_problems(exc), form=request.form)
    return redirect(url_for("web.admin_reevaluation", job_id=job["id"]), code=303)


def _criterion_names() -> dict[str, Any]:
    """Criterion id → its title (from scoring's rulebooks; every version, newest last)."""
    books = soft(lambda: {"items": clients().scoring.every_item(f"{API}/rulebooks")})
    names: dict[str, Any] = {}
    for book in sorted((books.data or {}).get("items", []), key=lambda b: b["effective_from"]):
        for criterion in book.get("criteria", []):
            names[str(criterion["id"])] = criterion.get("title")
    return names


def _firm_names(usccs: set[str]) -> dict[str, str]:
    """Credit code → firm name, from the registry (the code itself where it cannot say)."""
    registry = clients().registry
    names: dict[str, str] = {}
    for uscc in sorted(usccs):
        try:
            names[uscc] = str(registry.get_enterprise(uscc).get("name") or uscc)
        except DomainError:
            names[uscc] = uscc
    return names


def _proposal(job: dict[str, Any]) -> list[dict[str, Any]]:
    """Each proposed parameter with its meaning, the value in force and the value proposed."""
    rows = []
    for parameter_id, value in (job.get("parameters") or {}).items():
        found: Section[Any] = soft(partial(_scoring, "GET", f"/parameters/{parameter_id}"))
        parameter = found.data or {"definition": {}, "value": None, "default": None}
        rows.append({"id": parameter_id, "parameter": parameter, "d": parameter["definition"],
                     "proposed": parameter.get("default") if value is None else value,
                     "restore": value is None})
    return rows


def _job_args() -> dict[str, Any]:
    kind = request.args.get("kind", "")
    args: dict[str, Any] = {"limit": IMPACT_PAGE}
    if kind in IMPACT_KINDS:
        args["kind"] = kind
    if request.args.get("cursor"):
        args["cursor"] = request.args["cursor"][:512]
    return args


def _preview_page(job_id: uuid.UUID, code: int = 200, **context: Any) -> Any:
    args = _job_args()
    job = _scoring("GET", f"/reevaluations/{job_id}", params=args)
    impact = job.get("impact") or []
    return render("admin_reevaluation.html", code, job=job, impact=impact,
                  kind=args.get("kind", ""), running=job.get("status") in RUNNING,
                  firms=_firm_names({row["uscc"] for row in impact}),
                  criteria=_criterion_names() if impact else {}, proposal=_proposal(job),
                  stale=context.pop("stale", False) or _stale_failure(job),
                  **{"problems": [], **context}, **ADMIN_HELPERS)


def _stale_failure(job: dict[str, Any]) -> bool:
    """The jobs worker found the parameters moved (the same words as the 409)."""
    return job.get("status") == "failed" and "参数已变更" in str(job.get("error") or "")


@blp.get("/admin/reevaluations/<uuid:job_id>")
def admin_reevaluation(job_id: uuid.UUID) -> Any:
    admin()
    return _preview_page(job_id)


@blp.post("/admin/reevaluations/<uuid:job_id>/activate")
def admin_reevaluation_activate(job_id: uuid.UUID) -> Any:
    """Activate a previewed change with a reason; 409 参数已变更 is shown, not raised."""
    principal = admin()
    session = get_session()
    try:
        reason = admin_actions.checked_reason(request.form.get("reason"))
        job = _scoring("POST", f"/reevaluations/{job_id}/activate")
    except DomainError as exc:
        if exc.status >= 500:
            raise
        stale = exc.status == 409 and "参数已变更" in str(exc.message)
        return _preview_page(job_id, exc.status, stale=stale,
                             problems=[] if stale else _problems(exc))
    admin_actions.record(session, actor=principal.actor, action="reevaluation.activate",
                         target=f"reevaluation:{job_id}", reason=reason,
                         details={"parameters": job.get("parameters") or {}})
    session.commit()
    return redirect(url_for("web.admin_reevaluation", job_id=job_id), code=303)


@blp.post("/admin/reevaluations")
def admin_reevaluation_new() -> Any:
    """Preview a re-evaluation that changes no parameter (after a release that corrects the
    rules: docs/operations.md, "Releasing rule changes")."""
    admin()
    try:
        reason = admin_actions.checked_reason(request.form.get("reason"))
    except ValidationFailed as exc:
        return _list_page(422, problems=_problems(exc))
    job = _scoring("POST", "/reevaluations", json={"parameters": {}, "reason": reason})
    return redirect(url_for("web.admin_reevaluation", job_id=job["id"]), code=303)


@blp.post("/admin/reevaluations/<uuid:job_id>/again")
def admin_reevaluation_again(job_id: uuid.UUID) -> Any:
    """Preview the same proposal again, on the parameters in force now."""
    admin()
    old = _scoring("GET", f"/reevaluations/{job_id}", params={"limit": 1})
    if not old.get("parameters"):
        raise ValidationFailed(fields={"parameters": ["此任务没有拟修改的参数 / this job "
                                                      "proposes no parameter"]})
    job = _scoring("POST", "/reevaluations", json={
        "parameters": old["parameters"], "reason": old.get("reason") or "重新预览 / preview again"})
    return redirect(url_for("web.admin_reevaluation", job_id=job["id"]), code=303)
