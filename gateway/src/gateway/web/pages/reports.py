"""The progress report page (/reports/progress): a plan's indicators against their targets for
a year, overall and per town, the trend over the plan's years, the reserve funnel and cohort
conversion, with the XLSX and PDF the registry makes beside it.

Everything is computed by the registry (``/api/v1/reports/progress``); the page only draws it.
Bureau roles only. ``/reports/plans/new`` is the admin's form for the next plan and
``/reports/plans/<id>/edit`` the same form on a plan held: title, document number, period, and
for each indicator its counting rule in words, baseline, final target, one target per year of
the period and a per-town split by town name (``web/plan_targets.py`` says what must add up).
The registry journals every save with who and why; a stale edit (409) comes back with what was
typed kept beside what is stored now and who changed it when.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from flask import redirect
from flask import request
from flask import url_for

from gateway.adapters.http import clients
from gateway.frontdoor.credentials import ensure
from gateway.web import plan_targets
from gateway.web.charts import funnel_chart
from gateway.web.core import blp
from gateway.web.core import bureau
from gateway.web.core import render
from gateway.web.core import soft
from gateway.web.i18n import pick
from gateway.web.progress_charts import Completion
from gateway.web.progress_charts import Series
from gateway.web.progress_charts import completion_chart
from gateway.web.progress_charts import trend_chart
from yumiao_common.clock import beijing_today
from yumiao_common.web.errors import DomainError

API = "/api/v1"


def _registry_json(path: str, params: dict[str, Any] | None = None) -> Any:
    registry = clients().registry
    return registry.json_or_raise(registry.request("GET", f"{API}{path}", params=params))


def _int_arg(name: str) -> int | None:
    raw = request.args.get(name, "").strip()
    return int(raw) if raw.isdigit() and len(raw) <= 9 else None


def _dec(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def progress_charts(report: dict[str, Any]) -> dict[str, Any]:
    """The page's three charts from the report."""
    rows = report["rows"]
    completion = completion_chart(
        pick("完成情况 / Completion"),
        [Completion(pick(r["name"]), _dec(r["actual"]), _dec(r["target"]),
                    f"{r['display']['actual']} / {r['display']['target']}")
         for r in rows if r["target"] is not None])
    trend = trend_chart(
        pick("逐年完成情况 / Year by year"),
        [Series(pick(r["name"]), [(t["year"], _dec(t["values"].get(r["measure"])),
                                   _dec(t["targets"].get(r["measure"])))
                                  for t in report["trend"]]) for r in rows])
    funnel = funnel_chart(pick("高企后备库流转漏斗 / Reserve funnel"),
                          [(f["stage"], pick(f["label"]), f["count"]) for f in report["funnel"]])
    return {"completion_svg": completion, "trend_svg": trend, "funnel_svg": funnel}


@blp.get("/reports/progress")
def progress() -> Any:
    bureau()
    params = {k: v for k in ("plan", "year") if (v := _int_arg(k)) is not None}
    report = soft(lambda: _registry_json("/reports/progress", params))
    plans = soft(lambda: clients().registry.every_item(f"{API}/plans"))  # the plan picker
    charts = progress_charts(report.data) if report.data else {}
    query = f"?{urlencode(params)}" if params else ""
    return render("progress.html", report=report, plans=plans.data or [], params=params,
                  not_begun=_not_begun(report, plans.data or [], params),
                  xlsx_url=f"{API}/reports/progress.xlsx{query}",
                  pdf_url=f"{API}/reports/progress.pdf{query}", **charts)


def _not_begun(report: Any, plans: list[dict[str, Any]], params: dict[str, int]
               ) -> dict[str, Any] | None:
    """The chosen plan when its period starts after this year and no year was asked for: the
    registry has nothing to count yet (a report year is never in the future), and the page says
    so in words instead of showing the refusal of a year nobody typed (a plan just saved for
    the next period lands here)."""
    if report.data is not None or "year" in params or "plan" not in params:
        return None
    plan = next((p for p in plans if p.get("id") == params["plan"]), None)
    if plan is None or not isinstance(plan.get("start_year"), int):
        return None
    return plan if plan["start_year"] > beijing_today().year else None


def _measures() -> Any:
    return soft(lambda: clients().registry.every_item(f"{API}/plans/measures"))


def _towns() -> list[dict[str, Any]]:
    """The district's current towns and streets by name, from the registry's vocabulary (a
    retired one only where the form holds a target for it)."""
    towns = soft(lambda: clients().registry.every_item(f"{API}/reference/towns")).data or []
    return [{"code": t["code"], "name": pick(f"{t['name']} / {t['name_en']}"),
             "retired": t.get("retired_in") is not None} for t in towns]


def _problems(exc: DomainError, body: dict[str, Any],
              measures: list[dict[str, Any]]) -> dict[str, list[str]]:
    """The registry's refusal by field, an indicator's fields named by its indicator."""
    if exc.status not in (400, 409, 422, 428):
        raise exc
    names = {m["key"]: pick(m["name"]) for m in measures}
    keys = [i["measure"] for i in body.get("indicators") or []]
    out: dict[str, list[str]] = {}
    for field, messages in (exc.fields or {"_form": [exc.message]}).items():
        label = field
        head, _, rest = field.partition(".")
        index, _, sub = rest.partition(".")
        if head == "indicators" and index.isdigit() and int(index) < len(keys):
            label = f"{names.get(keys[int(index)], keys[int(index)])} · {sub or head}"
        out.setdefault(label, []).extend(pick(m) for m in messages)
    return out


def _plan_page(*, form: dict[str, str], plan_id: int | None = None, status: int = 200,
               **extra: Any) -> Any:
    measures = extra.pop("measures", None) or _measures()
    checks = plan_targets.check(form, measures.data or [])
    if status == 200 and checks.errors and form.get("action") != "years":
        status = 422
    years = {m["key"]: plan_targets.years_shown(form, m["key"]) for m in measures.data or []}
    towns = _towns()
    typed_towns = {m["c"] for n, v in form.items()
                   if (m := plan_targets.TOWN_FIELD.match(n)) and v.strip()}
    towns = [t for t in towns if not t["retired"] or t["code"] in typed_towns]
    action = (url_for("web.edit_plan", plan_id=plan_id) if plan_id is not None
              else url_for("web.new_plan"))
    extra.setdefault("problems", {})
    extra.setdefault("stored", None)
    extra.setdefault("differs", set())
    return render("plan_form.html", status, measures=measures, form=form, plan_id=plan_id,
                  action=action, years=years, towns=towns, checks=checks,
                  towns_typed=plan_targets.towns_typed(form),
                  town_totals={k: plan_targets.fmt(v) for k, v in checks.town_sums.items()},
                  period=plan_targets.period(form), **extra)


def _submit(form: dict[str, str], measures: list[dict[str, Any]], *, plan_id: int | None
            ) -> Any:
    """Check the form, then create or replace the plan; the plan saved, or None when the form
    must come back (refusals, or warnings not yet confirmed)."""
    checks = plan_targets.check(form, measures)
    body = plan_targets.body_of(form, measures)
    if form.get("action") == "years" or checks.errors or (
            checks.warnings and not form.get("accept_warnings")):
        return None
    registry = clients().registry
    if plan_id is None:
        return registry.json_or_raise(registry.request("POST", f"{API}/plans", json=body))
    version = form.get("version", "").strip()
    body["version"] = int(version) if version.isdigit() and len(version) <= 9 else None
    return registry.json_or_raise(registry.request("PUT", f"{API}/plans/{plan_id}", json=body))


def _next_period() -> dict[str, str]:
    """A new plan starts the year after the latest one ends and runs three years."""
    plans = soft(lambda: clients().registry.every_item(f"{API}/plans")).data or []
    ends = [int(p["end_year"]) for p in plans if isinstance(p.get("end_year"), int)]
    if not ends:
        return {}
    return {"start_year": str(max(ends) + 1), "end_year": str(max(ends) + 3)}


@blp.route("/reports/plans/new", methods=["GET", "POST"])
def new_plan() -> Any:
    """The admin's form for a new plan; refused fields come back beside the form."""
    ensure("admin")  # a cookie session must present its CSRF token on POST (auth does it)
    measures = _measures()
    if request.method == "GET":
        return _plan_page(form=_next_period(), measures=measures)
    form = request.form.to_dict()
    try:
        created = _submit(form, measures.data or [], plan_id=None)
    except DomainError as exc:
        body = plan_targets.body_of(form, measures.data or [])
        return _plan_page(form=form, measures=measures, status=exc.status,
                          problems=_problems(exc, body, measures.data or []))
    if created is None:
        return _plan_page(form=form, measures=measures)
    return redirect(url_for("web.progress", plan=created["id"]), code=303)


def _plan(plan_id: int) -> dict[str, Any]:
    return dict(_registry_json(f"/plans/{plan_id}"))


def _last_change(plan_id: int) -> dict[str, Any] | None:
    """Who changed the plan last, when and why (the registry's plan journal)."""
    entries = soft(lambda: clients().registry.every_item(f"{API}/plans/{plan_id}/journal"))
    return (entries.data or [None])[-1]


@blp.route("/reports/plans/<int:plan_id>/edit", methods=["GET", "POST"])
def edit_plan(plan_id: int) -> Any:
    """The same form on a plan the registry holds; a stale save (409) comes back with what was
    typed kept, the stored values beside the fields that differ and who changed it when."""
    ensure("admin")
    measures = _measures()
    if request.method == "GET":
        plan = _plan(plan_id)
        return _plan_page(form={**plan_targets.form_of(plan), "version": str(plan["version"])},
                          plan_id=plan_id, measures=measures, plan=plan)
    form = request.form.to_dict()
    try:
        saved = _submit(form, measures.data or [], plan_id=plan_id)
    except DomainError as exc:
        if exc.status == 409 and exc.code == "stale_version":
            return _stale(plan_id, form, measures)
        body = plan_targets.body_of(form, measures.data or [])
        return _plan_page(form=form, measures=measures, plan_id=plan_id, status=exc.status,
                          problems=_problems(exc, body, measures.data or []))
    if saved is None:
        return _plan_page(form=form, measures=measures, plan_id=plan_id)
    return redirect(url_for("web.progress", plan=plan_id), code=303)


def _stale(plan_id: int, form: dict[str, str], measures: Any) -> Any:
    """Someone saved the plan first: the typed form again, on the stored version."""
    plan = _plan(plan_id)
    stored = plan_targets.form_of(plan)
    differs = plan_targets.differences(form, stored)
    return _plan_page(form={**form, "version": str(plan["version"])}, measures=measures,
                      plan_id=plan_id, status=409, plan=plan, stored=stored, differs=differs,
                      conflict=_last_change(plan_id) or {})
