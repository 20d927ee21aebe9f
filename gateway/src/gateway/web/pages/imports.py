"""Excel import (check → a registry job → progress → row errors → 确认导入) and the exports.

An upload is always checked first (the registry's dry run writes nothing); the gateway keeps
the checked file, so a clean check is written with one click on its job page.

The registry answers an upload at once with a job; the job page shows its progress and, once
it has finished, every row error (row, column, problem) the registry found. The page polls
the job through the gateway's own API (``/api/v1/imports/{id}``, same cookie) with a few
lines of JavaScript and reloads when the job ends; without JavaScript it has a refresh link.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from flask import redirect
from flask import request
from flask import url_for

from gateway.handlers import pending_imports
from gateway.web import upstream
from gateway.web.catalogue import POOLS
from gateway.web.catalogue import RANKING_EXPORT_CAP
from gateway.web.core import WRITERS
from gateway.web.core import blp
from gateway.web.core import bureau
from gateway.web.core import render
from gateway.web.core import soft
from gateway.web.core import writer
from gateway.web.dashboard import CLOSED_STAGES
from gateway.web.dashboard import FUNNEL_STAGES
from gateway.web.i18n import pick
from gateway.web.i18n import t
from gateway.web.results import TIER_ORDER
from gateway.web.results import VERDICT_ORDER
from yumiao_common.clock import beijing_today
from yumiao_common.db.engine import get_session
from yumiao_common.web.errors import DomainError

FINISHED = frozenset({"succeeded", "validated", "failed"})
#: What an upload may hold (the registry's ``sheet``): the enterprise template first, then the
#: official lists — certificates, IP items, pool memberships (issue 12 item 2).
SHEETS = ("enterprises", "certifications", "ip", "pools")


def _page(status: int = 200, **values: Any) -> Any:
    values.setdefault("error", None)
    return render("imports.html", status, sheets=SHEETS,
                  chosen=values.pop("chosen", SHEETS[0]), history=_history(), **values)


def _history() -> Any:
    """The import history (newest first); a registry that does not answer leaves the upload
    form usable and says why the history is missing."""
    return soft(lambda: upstream.import_history(cursor=request.args.get("cursor") or None))


@blp.get("/imports")
def imports() -> Any:
    writer()
    chosen = request.args.get("sheet", "")
    return _page(chosen=chosen if chosen in SHEETS else SHEETS[0])


@blp.post("/imports")
def import_upload() -> Any:
    """Check the file first (a dry run: nothing is written) and keep it, so a clean check
    is committed from the job page in one click without uploading it again."""
    principal = writer()  # role, and the session's CSRF token (gateway.frontdoor.credentials)
    sheet = request.form.get("sheet", SHEETS[0])
    if sheet not in SHEETS:
        return _page(422, error=t("imp.bad_sheet"))
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(422, error=t("imp.choose"), chosen=sheet)
    data = upload.read()
    try:
        job = upstream.upload_import(data, upload.filename, dry_run=True, sheet=sheet)
    except DomainError as exc:
        if exc.status >= 500:
            raise
        fields = [f"{name}：{pick(m)}" if name != "file" else pick(m)
                  for name, msgs in (exc.fields or {}).items() for m in msgs]
        return _page(exc.status, error=pick(exc.message), problems=fields, chosen=sheet)
    session = get_session()
    pending_imports.keep(session, job_id=str(job["id"]), file_name=upload.filename,
                         content=data, uploaded_by=principal.actor)
    session.commit()
    return redirect(url_for("web.import_job", job_id=job["id"]), code=303)


@blp.post("/imports/<job_id>/commit")
def import_commit(job_id: str) -> Any:
    """Write the file the check ``job_id`` passed — the same bytes, kept by the gateway."""
    writer()
    session = get_session()
    pending = pending_imports.take(session, job_id)
    if pending is None:
        return _page(409, error=t("imp.gone"))
    checked = upstream.import_job(job_id)  # the sheet the check read the file as
    job = upstream.upload_import(pending.content, pending.file_name, dry_run=False,
                                 sheet=str(checked.get("sheet") or SHEETS[0]))
    session.commit()
    return redirect(url_for("web.import_job", job_id=job["id"]), code=303)


@blp.get("/imports/<job_id>")
def import_job(job_id: str) -> Any:
    principal = bureau()
    job = upstream.import_job(job_id)
    total = job.get("total_rows") or 0
    can_commit = (principal.role in WRITERS and job.get("dry_run")
                  and job.get("status") == "validated"
                  and pending_imports.waiting(get_session(), job_id))
    return render("import_job.html", job=job, finished=job.get("status") in FINISHED,
                  total=total, done=job.get("processed_rows") or 0, can_commit=can_commit)


@blp.get("/exports")
def exports() -> Any:
    """The downloads, each with the filters the lists offer (town, pool, stage, title held)
    and a roster per pool."""
    bureau()
    return _exports_page()


def _exports_page(status: int = 200, ranking: dict[str, Any] | None = None,
                  ranking_refused: str | None = None) -> Any:
    """The exports page; ``ranking`` keeps the ranking form's choices when it comes back with
    ``ranking_refused`` (why that download is not offered) instead of the file."""
    return render("exports.html", status, tiers=TIER_ORDER, pools=tuple(POOLS),
                  verdicts=VERDICT_ORDER, stages=(*FUNNEL_STAGES, *CLOSED_STAGES),
                  years=export_years(beijing_today()),
                  ranking=ranking or {"tier": TIER_ORDER[0], "verdict": []},
                  ranking_refused=ranking_refused)


#: The enterprise export's filters, passed on when chosen ("any" is left out, not sent empty).
ENTERPRISE_EXPORT_FILTERS = ("town", "pool", "stage", "tier", "year")


def export_years(today: date) -> list[int]:
    """The fiscal years a curator picks from: the last closed one first, five in all."""
    return list(range(today.year - 1, today.year - 6, -1))


@blp.get("/exports/enterprises")
def enterprise_export() -> Any:
    """The exports page's enterprise form → the registry's XLSX with the chosen filters (a
    fiscal year keeps that year's figures only, a smaller and faster file)."""
    bureau()
    query = [(k, v) for k in ENTERPRISE_EXPORT_FILTERS
             if (v := request.args.get(k, "").strip())]
    return redirect("/api/v1/exports/enterprises.xlsx" + (f"?{urlencode(query)}" if query
                                                          else ""), code=303)


#: The ranking export's filters besides the verdicts (as the rankings page's), passed on when
#: chosen.
RANKING_EXPORT_FILTERS = ("town", "industry", "pool")


@blp.get("/exports/ranking")
def ranking_export() -> Any:
    """The exports page's ranking form → that tier's XLSX with the chosen filters (the API
    path carries the tier, which a plain GET form cannot put there).

    Scoring refuses a ranking of more than its cap (a 422 in JSON, which a browser would show
    as it is), so the firms are counted first, as the rankings page does: past the cap the
    exports page comes back saying how many and the cap, and to narrow it, with the choices
    kept; a count scoring cannot give is said on the page too."""
    bureau()
    tier = request.args.get("tier", "")
    if tier not in TIER_ORDER:
        tier = TIER_ORDER[0]
    verdicts = [v for v in request.args.getlist("verdict") if v in VERDICT_ORDER]
    chosen = {k: v for k in RANKING_EXPORT_FILTERS if (v := request.args.get(k, "").strip())}
    counted = soft(lambda: upstream.ranking(tier, limit=1, verdict=verdicts, **chosen))
    kept = {"tier": tier, "verdict": verdicts, **chosen}
    if counted.error is not None:
        return _exports_page(503, ranking=kept,
                             ranking_refused=t("ent.unavailable", reason=counted.error))
    total = (counted.data or {}).get("total")
    if total is not None and total > RANKING_EXPORT_CAP:
        return _exports_page(422, ranking=kept, ranking_refused=t(
            "rank.export_too_large", n=f"{total:,}", cap=f"{RANKING_EXPORT_CAP:,}"))
    query = [("verdict", v) for v in verdicts] + list(chosen.items())
    return redirect(f"/api/v1/rankings/{tier}.xlsx" + (f"?{urlencode(query)}" if query else ""),
                    code=303)
