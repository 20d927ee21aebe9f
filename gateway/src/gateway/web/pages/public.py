"""Pages anyone may open: the start page, sign-in and sign-out, and the anonymous self-check.

Sign-in reuses the API's use case (``handlers.sessions.authenticate``) and browser session
(``credentials.login_browser``: HttpOnly SameSite=Lax cookie + CSRF token); it is rate-limited by
the same per-address login limit as ``POST /api/v1/auth/session``. The sign-in form itself is
protected against login CSRF with a double-submit token (there is no session yet to hold one).
"""

from __future__ import annotations

import hmac
import json
import secrets
from typing import Any

from flask import Response
from flask import redirect
from flask import request
from flask import url_for

from gateway.adapters.http import clients
from gateway.adapters.ratelimit import enforce
from gateway.domain.redirects import same_site_path
from gateway.frontdoor.credentials import current_principal
from gateway.frontdoor.credentials import login_browser
from gateway.frontdoor.credentials import logout_browser
from gateway.frontdoor.credentials import settings
from gateway.handlers import sessions
from gateway.web import forms
from gateway.web import results
from gateway.web.core import blp
from gateway.web.core import render
from gateway.web.i18n import pick
from yumiao_common.clock import beijing_today
from yumiao_common.db.engine import get_session
from yumiao_common.web.errors import DomainError
from yumiao_common.web.errors import Forbidden
from yumiao_common.web.errors import Unauthorized

LOGIN_CSRF_COOKIE = "yumiao_login_csrf"


@blp.get("/")
def home() -> Any:
    principal = current_principal()
    if principal.is_bureau:
        return redirect(url_for("web.dashboard"))
    if principal.is_enterprise:
        return redirect(url_for("web.my"))
    return redirect(url_for("web.login"))


def see_other(location: str) -> Response:
    """A 303 as a Flask ``Response`` (the session helpers set cookies on one)."""
    return Response(status=303, headers={"Location": location})


def _safe_next(target: str | None) -> str:
    """Only same-site paths, judged as the browser will read them (``gateway.domain.redirects``)."""
    return same_site_path(target) or url_for("web.home")


def _login_page(status: int = 200, error: str | None = None) -> Response:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)
    body, code = render("login.html", status, error=error, login_token=token,
                        next=request.values.get("next", ""))
    response = Response(body, status=code, mimetype="text/html")
    response.set_cookie(LOGIN_CSRF_COOKIE, token, max_age=3600, httponly=True,
                        samesite="Strict", secure=settings().secure_cookies, path="/login")
    return response


@blp.get("/login")
def login() -> Any:
    return _login_page()


@blp.post("/login")
def login_submit() -> Any:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not hmac.compare_digest(cookie, request.form.get("login_token", "")):
        raise Forbidden("CSRF 校验失败，请刷新页面重试 / CSRF check failed, reload the page",
                        code="csrf_failed")
    enforce("login", settings().ratelimit_login)
    session = get_session()
    try:
        account = sessions.authenticate(session, username=request.form.get("username", ""),
                                        password=request.form.get("password", ""))
    except Unauthorized as exc:
        return _login_page(401, pick(exc.message))
    response = see_other(_safe_next(request.form.get("next")))
    login_browser(response, account)
    session.commit()
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@blp.post("/logout")
def logout() -> Any:
    current_principal()  # a cookie session must present its CSRF token to sign out
    response = see_other(url_for("web.login"))
    logout_browser(response)
    get_session().commit()
    return response


@blp.route("/check", methods=["GET", "POST"])
def self_check() -> Any:
    """The anonymous self-check: the form → ``/evaluate`` via scoring; nothing stored."""
    values: dict[str, Any] = {}
    errors: dict[str, tuple[str, str]] = {}
    tiers: list[dict[str, Any]] | None = None
    problem = None
    if request.method == "POST":
        enforce("eligibility", settings().ratelimit_eligibility)
        values, errors = forms.parse(request.form)
        errors = {**forms.missing_required(values), **errors}
        if not errors:
            tiers, problem = evaluate(forms.build_profile(values, beijing_today()))
    return render("check.html", 422 if errors else 200, values=values, errors=errors,
                  tiers=tiers, problem=problem, fields=forms.FIELDS,
                  outlook=results.outlook(tiers, values.get("industry_code")) if tiers
                  else None,
                  year=forms.last_year(beijing_today()))


def evaluate(profile: dict[str, Any]) -> tuple[list[dict[str, Any]] | None, str | None]:
    """(ordered tier results, None) or (None, the upstream's message naming the fields)."""
    try:
        body = clients().scoring.evaluate(json.loads(json.dumps(profile, default=str)),
                                          view="summary")
    except DomainError as exc:
        reasons = dict.fromkeys(pick(m) for msgs in (exc.fields or {}).values() for m in msgs)
        return None, pick(exc.message) + (f"（{'；'.join(reasons)}）" if reasons else "")
    return results.from_evaluate(body), None


