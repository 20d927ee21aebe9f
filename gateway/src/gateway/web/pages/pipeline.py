"""The enterprise page's data and its pipeline moves (form with reason and CSRF).

A move the state machine refuses comes back from the registry as a 409 whose details list the
allowed moves; the page is shown again with that list in words, so the curator sees at once
what is possible from the current stage instead of an error code.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from flask import redirect
from flask import request
from flask import url_for

from gateway.adapters.http import clients
from gateway.web import results
from gateway.web import upstream
from gateway.web.catalogue import POOLS
from gateway.web.core import blp
from gateway.web.core import render
from gateway.web.core import soft
from gateway.web.core import writer
from gateway.web.i18n import pick
from gateway.web.i18n import t
from yumiao_common.web.errors import DomainError

POOL_KEYS = tuple(POOLS)


def _memberships(uscc: str) -> list[dict[str, Any]]:
    rows = upstream.memberships(uscc)
    for row in rows:
        row["history"] = soft(partial(upstream.stage_history, row["pool"], uscc))
    return rows


def _audit(uscc: str) -> list[dict[str, Any]]:
    body = clients().registry.audit(uscc, limit=200)  # the shared dialect's largest page
    return list(reversed(body.get("items", [])))


def _notices(uscc: str) -> list[dict[str, Any]]:
    return list(clients().notify.notices(uscc, limit=20).get("items", []))


def enterprise_sections(uscc: str) -> dict[str, Any]:
    """Every part of the enterprise page; only the enterprise itself is mandatory."""
    enterprise = clients().registry.get_enterprise(uscc)
    profile = soft(lambda: clients().registry.get_profile(uscc))
    return {
        "enterprise": enterprise, "profile": profile,
        "financials": sorted((profile.data or {}).get("financials", []),
                             key=lambda r: r.get("year", 0), reverse=True),
        "memberships": soft(lambda: _memberships(uscc)),
        "audit": soft(lambda: _audit(uscc)),
        "verdicts": soft(lambda: results.from_stored(clients().scoring.evaluations(uscc))),
        "notices": soft(lambda: _notices(uscc)),
        "pools": POOL_KEYS,
    }


def _version(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


@blp.post("/enterprises/<uscc>/pools/<pool>/move")
def move(uscc: str, pool: str) -> Any:
    writer()  # role check; a cookie session must present its CSRF token (auth does it)
    to_stage = request.form.get("to_stage", "")
    try:
        upstream.move(pool, uscc, to_stage=to_stage, reason=request.form.get("reason", "").strip(),
                      version=_version(request.form.get("version")))
    except DomainError as exc:
        if exc.status not in (409, 422):
            raise
        return render("enterprise.html", exc.status, **enterprise_sections(uscc),
                      move_error=_refusal(pool, to_stage, exc))
    target = url_for("web.enterprise_page", uscc=uscc, moved=f"{pool}:{to_stage}")
    return redirect(target + "#pipeline", code=303)


@blp.post("/enterprises/<uscc>/nominate")
def nominate(uscc: str) -> Any:
    writer()
    pool = request.form.get("pool", "")
    try:
        upstream.nominate(pool, uscc, reason=request.form.get("reason", "").strip(),
                          cohort_year=date.today().year)
    except DomainError as exc:
        if exc.status not in (404, 409, 422):
            raise
        return render("enterprise.html", exc.status, **enterprise_sections(uscc),
                      move_error=_refusal(pool, "nominated", exc))
    target = url_for("web.enterprise_page", uscc=uscc, moved=f"{pool}:nominated")
    return redirect(target + f"#pool-{pool}", code=303)


def _refusal(pool: str, to_stage: str, exc: DomainError) -> dict[str, Any]:
    details = exc.details or {}
    allowed = details.get("allowed_moves")
    fields = "; ".join(", ".join(pick(m) for m in msgs) for msgs in (exc.fields or {}).values())
    return {"pool": pool, "to_stage": to_stage, "message": pick(exc.message) or fields,
            "fields": fields, "allowed": [t(f"stage.{s}") for s in allowed]
            if isinstance(allowed, list) else None}
