"""The web blueprint and what every page shares: rendering, access, errors, soft sections.

Pages reuse the gateway's own authentication (``gateway.frontdoor.credentials``): the browser
session cookie and its CSRF token, ``ensure`` for roles. Errors raised inside a page become HTML (a
sign-in redirect for 401, a page naming the problem otherwise), never the JSON the API returns —
the blueprint's handler is consulted only for the blueprint's own views.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from typing import Generic
from typing import TypeVar

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from werkzeug.exceptions import HTTPException

from gateway.adapters.http import clients
from gateway.domain.principal import Principal
from gateway.frontdoor.credentials import current_principal
from gateway.frontdoor.credentials import ensure
from gateway.web.i18n import EN
from gateway.web.i18n import ZH
from gateway.web.i18n import current_lang
from gateway.web.i18n import pick
from gateway.web.i18n import remember_lang
from gateway.web.i18n import t
from gateway.web.wording import HELPERS
from yumiao_common.web.errors import DomainError
from yumiao_common.web.errors import Unauthorized
from yumiao_common.web.errors import error_response

log = logging.getLogger(__name__)
T = TypeVar("T")
BUREAU = ("admin", "curator", "viewer")
WRITERS = ("admin", "curator")
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")

blp = Blueprint("web", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/web")


@dataclass(frozen=True)
class Section(Generic[T]):
    """Data of one part of a page, or why it is missing (the rest of the page still shows)."""

    data: T | None
    error: str | None = None


def soft(fetch: Callable[[], T]) -> Section[T]:
    """Run ``fetch``; an upstream failure becomes a message instead of failing the page."""
    try:
        return Section(fetch())
    except DomainError as exc:
        return Section(None, pick(exc.message))


def bureau() -> Principal:
    return ensure(*BUREAU)


def writer() -> Principal:
    return ensure(*WRITERS)


def admin() -> Principal:
    """The admin pages: admins only (curators and viewers get the 403 page, enterprises too)."""
    return ensure("admin")


def enterprise() -> Principal:
    principal = ensure("enterprise")
    assert principal.uscc is not None
    return principal


def render(name: str, code: int = 200, **context: Any) -> tuple[str, int]:
    return render_template(f"web/{name}", **context), code


def lang_url(lang: str) -> str:
    """This page in ``lang`` (the switch link keeps the page's arguments)."""
    values: dict[str, Any] = {**request.args.to_dict(), **(request.view_args or {}),
                              "lang": lang}
    if request.endpoint and request.method == "GET":
        return url_for(request.endpoint, **values)
    return url_for("web.home", lang=lang)


def nav_items(principal: Principal) -> list[tuple[str, str]]:
    """The header's links for ``principal``: only pages this gateway serves (a page whose
    module is not registered yet is left out rather than failing every page's header)."""
    served = current_app.view_functions
    return [(endpoint, key) for endpoint, key in _nav_all(principal) if endpoint in served]


def _nav_all(principal: Principal) -> list[tuple[str, str]]:
    if principal.is_bureau:
        items = [("web.dashboard", "nav.dashboard"), ("web.rankings", "nav.rankings"),
                 ("web.enterprises", "nav.enterprises"),
                 ("web.rounds", "nav.rounds"),  # the round desk (web.pages.round_desk)
                 ("web.submissions", "nav.submissions")]  # firms' reports (issue 15)
        if principal.role in WRITERS:  # worklist: a curator's firms and follow-ups
            items += [("web.worklist", "nav.worklist"), ("web.imports", "nav.imports")]
        items.append(("web.exports", "nav.exports"))
        items.append(("web.policies", "nav.policies"))  # the policy library (web.pages.policies)
        if principal.role == "admin":  # the admin pages (web.pages.admin_*)
            items += [("web.admin_parameters", "adm.nav.parameters"),
                      ("web.admin_parking", "adm.nav.parking"),
                      ("web.admin_accounts", "adm.nav.accounts"),
                      ("web.admin_invitations", "acc.inv.title")]
        return items
    if principal.is_enterprise:
        return [("web.my", "nav.my"), ("web.what_if", "nav.whatif"),
                ("web.my_submissions", "nav.my_submissions"),  # yearly report (issue 15)
                ("web.my_policies", "nav.my_policies"),
                ("web.my_problems", "nav.my_problems"),  # problems shared with the firm
                ("web.my_contacts", "nav.my_contacts"),  # whom notices reach
                ("web.notices", "nav.notices"),
                ("web.preferences", "nav.preferences")]
    return [("web.self_check", "nav.check")]


def firm_name(uscc: str) -> str:
    """The enterprise's name for the header (the credit code if the registry cannot say);
    one registry read per page, the same the firm's own pages make anyway."""
    if "web_firm_name" not in g:
        try:
            g.web_firm_name = str(clients().registry.get_enterprise(uscc).get("name") or uscc)
        except DomainError:
            g.web_firm_name = uscc
    name: str = g.web_firm_name
    return name


def unread_notices(uscc: str) -> int | None:
    """How many of the enterprise's notices are unread (None when notify cannot say)."""
    if "web_unread" not in g:
        try:
            body = clients().notify.notices(uscc, read="false", limit=1)
            g.web_unread = int(body.get("total") or 0) if body.get("total") is not None \
                else len(body.get("items") or [])
        except DomainError:
            g.web_unread = None
    value: int | None = g.web_unread
    return value


def _who(principal: Principal | None) -> str | None:
    if principal is None or not principal.is_authenticated:
        return None
    if principal.is_enterprise and principal.uscc:
        # an error page makes no upstream call (a refused page must not reach a service)
        return principal.uscc if g.get("web_error") else firm_name(principal.uscc)
    return principal.name


@blp.context_processor
def _context() -> dict[str, Any]:
    try:
        principal = current_principal()
    except DomainError:
        principal = None
    enterprise_user = (principal is not None and principal.is_enterprise and principal.uscc
                       and not g.get("web_error"))
    return {"t": t, "pick": pick, "lang": current_lang(), "lang_url": lang_url,
            "other_lang": ZH if current_lang() == EN else EN, "principal": principal,
            "nav": nav_items(principal) if principal else [], "who": _who(principal),
            "unread": unread_notices(principal.uscc or "") if enterprise_user and principal
            else None, **HELPERS}


@blp.after_request
def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    return remember_lang(response)


@blp.errorhandler(DomainError)
def _domain_error(exc: DomainError) -> Any:
    g.web_error = True
    if isinstance(exc, Unauthorized) and exc.code != "csrf_failed":
        return redirect(url_for("web.login", next=request.full_path.rstrip("?")))
    message = t("err.forbidden") if exc.status == 403 and exc.code != "csrf_failed" else None
    return render("error.html", exc.status, message=message or pick(exc.message),
                  status=exc.status)


def wants_page() -> bool:
    """A browser asking for a page (not the API, not a client that wants JSON)."""
    return (not request.path.startswith("/api/")
            and "text/html" in (request.headers.get("Accept") or ""))


@blp.app_errorhandler(404)
def _unknown_page(exc: HTTPException) -> Any:
    """An unknown address answers a browser with a page in its language (links home and to
    the self-check); the API and JSON clients keep the shared error shape."""
    if not wants_page():
        return error_response(404)
    g.web_error = True
    # outside the blueprint its context processor does not run: pass its context along
    body = render_template("web/error.html", **_context(), message=t("err.not_found"),
                           status=404)
    response = Response(body, status=404, mimetype="text/html")
    return _headers(response)


@blp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Any:
    g.web_error = True
    message = t("err.not_found") if exc.code == 404 else exc.description
    return render("error.html", exc.code or 500, message=message, status=exc.code or 500)


@blp.errorhandler(Exception)
def _unexpected(exc: Exception) -> Any:
    g.web_error = True
    log.exception("web page failed")
    return render("error.html", 500, message=t("err.title"), status=500)
