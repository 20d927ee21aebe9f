"""Enterprise pages: my eligibility, the what-if calculator, the problems the bureau shared
with me, my notices, my preferences.

The credit code always comes from the signed-in principal, never from the URL or a form, so
an enterprise account can only ever see and change its own data (the same rule the API's
``/me`` routes follow). Bureau accounts are refused here; they use the enterprise page.
"""

from __future__ import annotations

from typing import Any

from flask import redirect
from flask import request
from flask import url_for

from gateway.adapters.http import clients
from gateway.web import forms
from gateway.web import results
from gateway.web.core import blp
from gateway.web.core import enterprise
from gateway.web.core import render
from gateway.web.core import soft
from gateway.web.i18n import t
from gateway.web.pages.public import evaluate
from gateway.web.service_records import PROBLEM_STATES
from gateway.web.service_records import shared_problems
from gateway.web.wording import field_message
from yumiao_common.clock import beijing_today
from yumiao_common.web.errors import DomainError

CHANNELS = ("inapp", "email", "webhook")
LANGS = ("zh-CN", "en")


@blp.get("/my")
def my() -> Any:
    principal = enterprise()
    uscc = principal.uscc or ""
    company = soft(lambda: clients().registry.get_enterprise(uscc))
    verdicts = soft(lambda: results.from_stored(clients().scoring.evaluations(uscc)))
    main, other = results.split_by_relevance(verdicts.data or [],
                                             (company.data or {}).get("industry_code"))
    return render("my.html", company=company, verdicts=verdicts, main=main, other=other,
                  summary=results.summary(verdicts.data or []))


@blp.route("/my/what-if", methods=["GET", "POST"])
def what_if() -> Any:
    principal = enterprise()
    today = beijing_today()
    year = forms.last_year(today)
    base = soft(lambda: clients().registry.get_profile(principal.uscc or ""))
    values = forms.form_from_profile(base.data or {}, year)
    errors: dict[str, tuple[str, str]] = {}
    tiers, problem, comparison, changes = None, None, None, []
    if request.method == "POST":
        before = values
        values, errors = forms.parse(request.form)
        values["uscc"] = principal.uscc  # what-if of my own enterprise, whatever was posted
        if not errors:
            tiers, problem = evaluate(forms.build_profile(values, today, base.data))
            now, _ = evaluate(forms.build_profile({}, today, base.data)) if tiers else (None,
                                                                                       None)
            comparison = results.compare(now or [], tiers or [])
            changes = forms.changed_fields(before, values)
    return render("what_if.html", values=values, errors=errors, tiers=tiers, problem=problem,
                  fields=forms.FIELDS, year=year, base_error=base.error,
                  comparison=comparison, changes=changes,
                  outlook=results.outlook(tiers, values.get("industry_code")) if tiers
                  else None)


@blp.get("/my/problems")
def my_problems() -> Any:
    """The problems the bureau shared with the firm: where each stands and its due date
    (逾期 once past and unresolved). Only the registry's shared view is read."""
    principal = enterprise()
    page = soft(lambda: shared_problems(principal.uscc or ""))
    return render("my_problems.html", page=page, problem_states=PROBLEM_STATES,
                  today_iso=beijing_today().isoformat())


@blp.get("/my/notices")
def notices() -> Any:
    principal = enterprise()
    page = soft(lambda: clients().notify.notices(principal.uscc or "", limit=50))
    return render("notices.html", page=page, marked=request.args.get("marked"))


@blp.post("/my/notices/read-all")
def notices_read_all() -> Any:
    """Mark every unread notice read (notify marks one at a time; a page holds at most 200)."""
    principal = enterprise()  # CSRF checked with the session
    uscc = principal.uscc or ""
    notify = clients().notify
    unread = notify.notices(uscc, read="false", limit=200).get("items") or []
    for notice in unread:
        notify.mark_read(uscc, str(notice["id"]), read=True)
    return redirect(url_for("web.notices", marked=len(unread)), code=303)


@blp.post("/my/notices/<notice_id>")
def notice_mark(notice_id: str) -> Any:
    principal = enterprise()  # CSRF checked with the session
    read = request.form.get("read", "true") == "true"
    clients().notify.mark_read(principal.uscc or "", notice_id, read=read)
    return redirect(url_for("web.notices") + f"#n-{notice_id}", code=303)


def _preferences_form() -> dict[str, Any]:
    body: dict[str, Any] = {
        "language": request.form.get("language", "zh-CN"),
        "channels": [c for c in request.form.getlist("channels") if c in CHANNELS],
        "email": request.form.get("email", "").strip() or None,
        "webhook_url": request.form.get("webhook_url", "").strip() or None,
    }
    secret = request.form.get("webhook_secret", "").strip()
    if secret:
        body["webhook_secret"] = secret
    version = request.form.get("version", "")
    if version.isdigit():
        body["version"] = int(version)
    return body


@blp.route("/my/preferences", methods=["GET", "POST"])
def preferences() -> Any:
    """Notification preferences. A refusal is shown beside the field it concerns, in the
    page's language and the form's words, with everything the user ticked and typed kept."""
    principal = enterprise()
    uscc = principal.uscc or ""
    saved, problem, fields = False, None, {}
    posted: dict[str, Any] | None = None
    if request.method == "POST":
        posted = _preferences_form()
        try:
            clients().notify.put_preferences(uscc, posted)
            saved, posted = True, None
        except DomainError as exc:
            if exc.status >= 500:
                raise
            problem = t("p.problem")
            fields = {_FIELD_OF.get(k.split(".")[0], k.split(".")[0]):
                      [field_message(m) for m in v] for k, v in (exc.fields or {}).items()}
    current = soft(lambda: clients().notify.preferences(uscc))
    shown = {**(current.data or {}), **(posted or {})}
    return render("preferences.html", 422 if problem else 200, prefs=current, p=shown,
                  saved=saved, problem=problem, fields=fields, channels=CHANNELS, langs=LANGS)


#: The notify field a message names → the form field it belongs to.
_FIELD_OF = {"webhook_secret": "webhook_secret", "webhook_url": "webhook_url",
             "email": "email", "channels": "channels", "language": "language"}
