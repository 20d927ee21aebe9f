"""The enterprise page's data and its pipeline moves (form with reason and CSRF).

Either way a move answers with a 303 back to the enterprise page, at the pool it concerns: the
confirmation, or — when the registry refuses (409/422) — the refusal in the curator's words and
language (stage names, never codes), the moves allowed now, and the reason they typed kept in
the form. A reload never posts again; the stage list offers only the allowed moves.
"""

from __future__ import annotations

from typing import Any

from flask import redirect
from flask import request
from flask import url_for

from gateway.adapters.http import clients
from gateway.adapters.http.registry import items_of
from gateway.web import results
from gateway.web import upstream
from gateway.web.catalogue import POOLS
from gateway.web.core import Section
from gateway.web.core import blp
from gateway.web.core import soft
from gateway.web.core import writer
from gateway.web.fanout import together
from gateway.web.i18n import t
from gateway.web.service_records import PROBLEM_MOVE_WORDS
from gateway.web.service_records import PROBLEM_STATES
from gateway.web.service_records import SERVICE_KINDS
from gateway.web.service_records import in_order
from gateway.web.service_records import newest_first
from gateway.web.submission_form import status_name
from yumiao_common.clock import beijing_today
from yumiao_common.web.errors import DomainError

POOL_KEYS = tuple(POOLS)


def _notices(uscc: str) -> list[dict[str, Any]]:
    return list(clients().notify.notices(uscc, limit=20).get("items", []))


def enterprise_sections(uscc: str) -> dict[str, Any]:
    """Every part of the enterprise page. The registry's parts come in one read, its
    overview (the firm, profile, memberships with their stage histories, audit trail, service
    records, problems, curator, yearly reports: issue 16); it is mandatory, as the enterprise
    itself always was (a 404 for an unknown firm). The verdicts (scoring) and the notices
    (notify) are read beside it (``fanout``); one of those that fails becomes its panel's
    message, the rest of the page still shows."""
    got = together({
        "overview": lambda: clients().registry.overview(uscc),
        "verdicts": lambda: soft(lambda: results.from_stored(clients().scoring.evaluations(uscc))),
        "notices": lambda: soft(lambda: _notices(uscc)),
    }, first="overview")
    overview = got.pop("overview")
    profile = overview.get("profile") or {}
    reports = overview.get("submissions") or {}
    return {
        **got,
        "enterprise": overview["enterprise"],
        "profile": Section(profile),
        "memberships": Section([{**m, "history": Section(m.get("history") or [])}
                                for m in overview.get("memberships") or []]),
        # the trail's first page (its oldest 200, the shared dialect's largest), newest first
        "audit": Section(list(reversed(items_of(overview.get("audit"))))),
        "services": Section(newest_first(items_of(overview.get("services")))),
        "curatorship": Section(overview.get("curator")),
        "problems": Section(in_order(items_of(overview.get("problems")))),
        # one report a year, so the 50 newest reach back decades
        "yearly_reports": Section({"items": items_of(reports),
                                   "more": bool(reports.get("next_cursor")),
                                   "total": reports.get("total")}),
        "financials": sorted(profile.get("financials", []),
                             key=lambda r: r.get("year", 0), reverse=True),
        "service_kinds": SERVICE_KINDS,
        "problem_states": PROBLEM_STATES,
        "problem_moves": PROBLEM_MOVE_WORDS,
        "submission_status": status_name,
        "today_iso": beijing_today().isoformat(),
        "pools": POOL_KEYS,
    }


def _version(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


@blp.post("/enterprises/<uscc>/pools/<pool>/move")
def move(uscc: str, pool: str) -> Any:
    """Move a member; either way the browser lands on the enterprise page (303, so a reload
    never re-posts), scrolled to the pool's result: the confirmation, or the refusal in
    words with the reason typed kept in the form."""
    writer()  # role check; a cookie session must present its CSRF token (auth does it)
    to_stage = request.form.get("to_stage", "")
    reason = request.form.get("reason", "").strip()
    try:
        upstream.move(pool, uscc, to_stage=to_stage, reason=reason,
                      version=_version(request.form.get("version")))
    except DomainError as exc:
        if exc.status not in (409, 422):
            raise
        return _back_refused(uscc, pool, to_stage, exc, reason)
    target = url_for("web.enterprise_page", uscc=uscc, moved=f"{pool}:{to_stage}")
    return redirect(target + f"#moved-{pool}", code=303)


@blp.post("/enterprises/<uscc>/nominate")
def nominate(uscc: str) -> Any:
    writer()
    pool = request.form.get("pool", "")
    reason = request.form.get("reason", "").strip()
    try:
        upstream.nominate(pool, uscc, reason=reason, cohort_year=beijing_today().year)
    except DomainError as exc:
        if exc.status not in (404, 409, 422):
            raise
        return _back_refused(uscc, pool, "nominated", exc, reason)
    target = url_for("web.enterprise_page", uscc=uscc, moved=f"{pool}:nominated")
    return redirect(target + f"#moved-{pool}", code=303)


def _back_refused(uscc: str, pool: str, to_stage: str, exc: DomainError, reason: str) -> Any:
    """Back to the enterprise page at the refusal (the reason rides along, at most 500
    characters as the registry allows, so nothing typed is lost)."""
    why = exc.code if exc.code in REFUSALS else ("reason_missing" if exc.status == 422
                                                 and not reason else "other")
    target = url_for("web.enterprise_page", uscc=uscc, refused=pool, to=to_stage, why=why,
                     reason=reason[:500] or None)
    return redirect(target + "#move-error", code=303)


#: Why the registry refused a move, in the curator's words (stage names, never codes).
REFUSALS = ("illegal_move", "prerequisite_missing", "stale_version", "already_member")


def refusal(args: Any, memberships: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The refusal the page shows, rebuilt from the query of ``_back_refused``; the moves
    allowed now come from the membership as it is now."""
    pool = args.get("refused")
    if not pool:
        return None
    to_stage, why = args.get("to", ""), args.get("why", "other")
    member = next((m for m in memberships if m.get("pool") == pool), None)
    here = t(f"stage.{member['stage']}") if member else "—"
    words = {
        "illegal_move": t("move.illegal", here=here, to=t(f"stage.{to_stage}")),
        "prerequisite_missing": t("move.prerequisite"),
        "stale_version": t("move.stale"),
        "already_member": t("move.already_member"),
        "reason_missing": t("move.reason_missing"),
    }
    allowed = member.get("allowed_moves") if member else None
    return {"pool": pool, "to_stage": to_stage, "reason": args.get("reason", ""),
            "message": words.get(why, t("move.other")),
            "allowed": [t(f"stage.{s}") for s in allowed] if isinstance(allowed, list)
            else None}
