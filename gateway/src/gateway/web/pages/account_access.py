"""Pages for getting into an account: set a password with a one-time link (an invitation or an
e-mailed reset), ask for a reset, enter an SMS code, and read one's own sign-in history.

They reuse the API's use cases (``api.password_reset``: the same answer in the same time
whether or not the account exists, the same limits — the gate applies the per-address ones to
these endpoints too) and state every refusal in words beside the form. The public forms carry
a double-submit token (cookie + field), as the sign-in form does: there is no session to hold
one. Pages that show a link's token ask browsers not to pass it on (``Referrer-Policy``).
"""

from __future__ import annotations

import hmac
import secrets
import uuid
from typing import Any

from flask import Response
from flask import request

from gateway.frontdoor.account_access import ask_for_reset
from gateway.frontdoor.account_access import complete
from gateway.frontdoor.account_access import sign_in_page
from gateway.frontdoor.credentials import ensure
from gateway.frontdoor.credentials import settings
from gateway.handlers import password_reset
from gateway.models import Account
from gateway.web.core import blp
from gateway.web.core import render
from gateway.web.i18n import pick
from gateway.web.i18n import t
from yumiao_common.db.engine import get_session
from yumiao_common.web.errors import DomainError
from yumiao_common.web.errors import ValidationFailed

FORM_COOKIE = "yumiao_form_csrf"


def _page(template: str, status: int = 200, **context: Any) -> Response:
    """The page with a fresh double-submit token (cookie and hidden field alike)."""
    token = request.cookies.get(FORM_COOKIE) or secrets.token_urlsafe(24)
    body, code = render(template, status, form_token=token, **context)
    response = Response(body, status=code, mimetype="text/html")
    response.set_cookie(FORM_COOKIE, token, max_age=3600, httponly=True, samesite="Strict",
                        secure=settings().secure_cookies)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _form_ok() -> bool:
    cookie = request.cookies.get(FORM_COOKIE, "")
    return bool(cookie) and hmac.compare_digest(cookie, request.form.get("form_token", ""))


def _fields(exc: DomainError) -> dict[str, list[str]]:
    raw = getattr(exc, "fields", None) or {}
    return {name: [pick(m) for m in msgs] for name, msgs in raw.items()}


def _passwords() -> dict[str, list[str]]:
    if request.form.get("new_password", "") != request.form.get("confirm", ""):
        return {"confirm": [t("acc.mismatch")]}
    return {}


@blp.route("/account/set-password", methods=["GET", "POST"])
def set_password() -> Any:
    token = request.values.get("token", "")
    try:
        row = password_reset.link_secret(get_session(), token=token,
                                         key=settings().signing_key)
    except DomainError as exc:
        return _page("set_password.html", 410 if exc.code != "link_invalid" else 404,
                     problem=pick(exc.message), token=None, fields={}, account=None)
    account = get_session().get(Account, row.account_id)
    if request.method == "GET":
        return _page("set_password.html", token=token, fields={}, account=account)
    fields = {} if _form_ok() else {"form": [t("acc.csrf")]}
    fields = fields or _passwords()
    if not fields:
        try:
            done = complete({"token": token, "new_password": request.form["new_password"]})
            return _page("set_password.html", done=done.username, fields={}, account=account)
        except ValidationFailed as exc:
            fields = _fields(exc) or {"new_password": [pick(exc.message)]}
    return _page("set_password.html", 422, token=token, fields=fields, account=account)


@blp.route("/password-reset", methods=["GET", "POST"], endpoint="password_reset")
def password_reset_page() -> Any:
    if request.method == "GET":
        return _page("password_reset.html", step="ask", fields={}, values={})
    values = {"username": request.form.get("username", "").strip(),
              "channel": request.form.get("channel", "sms")}
    fields: dict[str, list[str]] = {}
    if not _form_ok():
        fields["form"] = [t("acc.csrf")]
    elif not values["username"] or len(values["username"]) > 64:
        fields["username"] = [pick("必填，至多 64 个字符 / required, at most 64 characters")]
    elif values["channel"] not in ("sms", "email"):
        fields["channel"] = [pick("请选择短信或邮件 / choose SMS or e-mail")]
    if fields:
        return _page("password_reset.html", 422, step="ask", fields=fields, values=values)
    ask_for_reset(values["username"], values["channel"])
    return _page("password_reset.html", 202, step="sent", fields={}, values=values)


@blp.route("/password-reset/code", methods=["GET", "POST"])
def password_reset_code() -> Any:
    values = {"username": request.values.get("username", "").strip()}
    if request.method == "GET":
        return _page("password_reset.html", step="code", fields={}, values=values)
    fields = {} if _form_ok() else {"form": [t("acc.csrf")]}
    fields = fields or _passwords()
    if not fields:
        try:
            done = complete({"username": values["username"],
                             "code": request.form.get("code", ""),
                             "new_password": request.form.get("new_password", "")})
            return _page("password_reset.html", step="done", done=done.username, fields={},
                         values=values)
        except ValidationFailed as exc:
            fields = _fields(exc) or {"code": [pick(exc.message)]}
    return _page("password_reset.html", 422, step="code", fields=fields, values=values)


@blp.get("/account/sign-ins")
def my_sign_ins() -> Any:
    principal = ensure()
    if principal.account_id is None:
        raise ValidationFailed("API 密钥没有登录记录 / API keys have no sign-in history")
    query = {"limit": 50, "cursor": request.args.get("cursor") or None}
    page = sign_in_page(uuid.UUID(principal.account_id), query)
    body, code = render("sign_ins.html", items=page["items"], next_cursor=page["next_cursor"])
    return Response(body, status=code, mimetype="text/html")
