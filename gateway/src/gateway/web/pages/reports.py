"""The progress report page (/reports/progress): a plan's indicators against their targets for
a year, overall and per town, the trend over the plan's years, the reserve funnel and cohort
conversion, with the XLSX and PDF the registry makes beside it.

Everything is computed by the registry (``/api/v1/reports/progress``); the page only draws it.
Bureau roles only. ``/reports/plans/new`` is the admin's form for the next plan (title, document
number, period, each indicator's baseline and final target; the registry journals it).
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
                  xlsx_url=f"{API}/reports/progress.xlsx{query}",
                  pdf_url=f"{API}/reports/progress.pdf{query}", **charts)


def _plan_form(form: dict[str, str], measures: list[dict[str, Any]]) -> dict[str, Any]:
    """The registry's plan body from the form: the indicators ticked, blanks left out."""
    indicators = []
    for m in measures:
        key = m["key"]
        if not form.get(f"use_{key}"):
            continue
        item: dict[str, Any] = {"measure": key}
        for name in ("baseline", "final_target"):
            value = form.get(f"{name}_{key}", "").strip()
            if value:
                item[name] = value
        indicators.append(item)
    body: dict[str, Any] = {"title": form.get("title", "").strip(),
                            "document_number": form.get("document_number", "").strip() or None,
                            "indicators": indicators,
                            "reason": form.get("reason", "").strip() or None}
    for name in ("start_year", "end_year"):
        raw = form.get(name, "").strip()
        body[name] = int(raw) if raw.isdigit() and len(raw) == 4 else raw
    return body


@blp.route("/reports/plans/new", methods=["GET", "POST"])
def new_plan() -> Any:
    """The admin's form for a new plan; refused fields come back beside the form."""
    ensure("admin")  # a cookie session must present its CSRF token on POST (auth does it)
    measures = soft(lambda: clients().registry.every_item(f"{API}/plans/measures"))
    form = request.form.to_dict() if request.method == "POST" else {}
    problems: dict[str, list[str]] = {}
    if request.method == "POST":
        registry = clients().registry
        try:
            created = registry.json_or_raise(registry.request(
                "POST", f"{API}/plans", json=_plan_form(form, measures.data or [])))
        except DomainError as exc:
            if exc.status != 422:
                raise
            problems = {k: [pick(m) for m in v] for k, v in (exc.fields or {}).items()}
        else:
            return redirect(url_for("web.progress", plan=created["id"]), code=303)
    return render("plan_form.html", 422 if problems else 200, measures=measures,
                  form=form, problems=problems)
