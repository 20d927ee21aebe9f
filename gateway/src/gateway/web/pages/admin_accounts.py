"""Accounts and roles (/admin/accounts): list and search, create a bureau account, change a
role, disable or enable — each with a reason, audited in ``admin_actions``. Admins only.
An account's page also shows its recent sign-ins (time, address, outcome).

The gateway owns accounts, so these pages call its own handlers (``handlers.admin_actions``)
in the request's transaction instead of going through its HTTP API. An enterprise account is
listed with its firm but keeps its role; enterprise accounts are made from the firm's record.
A stale form (someone changed the account meanwhile) answers 409 and shows the account as it
is now.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import redirect
from flask import request
from flask import url_for

from gateway.handlers import accounts
from gateway.handlers import admin_actions
from gateway.handlers import sign_ins
from gateway.web.core import admin
from gateway.web.core import blp
from gateway.web.core import render
from gateway.web.i18n import pick
from yumiao_common.db.engine import get_session
from yumiao_common.web.errors import DomainError
from yumiao_common.web.errors import ValidationFailed

ROLES = ("admin", "curator", "viewer", "enterprise")
BUREAU_ROLES = ("admin", "curator", "viewer")
PAGE = 50


def _problems(exc: DomainError) -> list[str]:
    found = [pick(m) for msgs in (exc.fields or {}).values() for m in msgs]
    return [pick(exc.message), *found] if not found or exc.status != 422 else found


def _list_page(code: int = 200, **context: Any) -> Any:
    text = request.args.get("q", "").strip()[:100]
    role = request.args.get("role", "")
    role = role if role in ROLES else ""
    page = admin_actions.search_accounts(get_session(), text=text, role=role,
                                         after=request.args.get("after") or None, limit=PAGE)
    return render("admin_accounts.html", code, page=page, q=text, role=role, roles=ROLES,
                  bureau_roles=BUREAU_ROLES, **{"problems": [], "form": {}, **context})


@blp.get("/admin/accounts")
def admin_accounts() -> Any:
    admin()
    return _list_page()


@blp.post("/admin/accounts")
def admin_account_create() -> Any:
    principal = admin()
    session = get_session()
    form = request.form
    try:
        account = admin_actions.create_bureau_account(
            session, actor=principal.actor, reason=form.get("reason", ""),
            username=form.get("username", "").strip(), password=form.get("password", ""),
            role=form.get("role", ""), display_name=form.get("display_name", "")[:200])
    except DomainError as exc:
        session.rollback()
        return _list_page(exc.status, problems=_problems(exc), form=form)
    session.commit()
    return redirect(url_for("web.admin_account", account_id=account.id, saved=1), code=303)


def _detail_page(account_id: uuid.UUID, code: int = 200, **context: Any) -> Any:
    principal = admin()
    session = get_session()
    account = accounts.get_account(session, account_id=account_id)
    trail = admin_actions.history(session, target=f"account:{account.id}")
    recent, _ = sign_ins.page(session, account.id, limit=20, after=None)
    return render("admin_account.html", code, account=account, trail=trail, sign_ins=recent,
                  own=str(account.id) == principal.account_id, bureau_roles=BUREAU_ROLES,
                  saved=request.args.get("saved"), **{"problems": [], **context})


@blp.get("/admin/accounts/<uuid:account_id>")
def admin_account(account_id: uuid.UUID) -> Any:
    admin()
    return _detail_page(account_id)


def _version() -> int:
    try:
        return int(request.form.get("version", ""))
    except ValueError:
        raise ValidationFailed(fields={"version": ["缺少版本号，请刷新页面 / missing version, "
                                                   "reload the page"]}) from None


def _actor_id(account_id: str | None) -> uuid.UUID | None:
    return uuid.UUID(account_id) if account_id else None


@blp.post("/admin/accounts/<uuid:account_id>/role")
def admin_account_role(account_id: uuid.UUID) -> Any:
    principal = admin()
    session = get_session()
    role = request.form.get("role", "")
    try:
        if role not in BUREAU_ROLES:
            raise ValidationFailed(fields={"role": ["须为局内角色 / must be a bureau role"]})
        admin_actions.change_role(session, actor=principal.actor,
                                  actor_id=_actor_id(principal.account_id),
                                  reason=request.form.get("reason", ""), account_id=account_id,
                                  version=_version(), role=role)
    except DomainError as exc:
        session.rollback()
        return _detail_page(account_id, exc.status, problems=_problems(exc))
    session.commit()
    return redirect(url_for("web.admin_account", account_id=account_id, saved=1), code=303)


@blp.post("/admin/accounts/<uuid:account_id>/active")
def admin_account_active(account_id: uuid.UUID) -> Any:
    principal = admin()
    session = get_session()
    try:
        admin_actions.set_active(session, actor=principal.actor,
                                 actor_id=_actor_id(principal.account_id),
                                 reason=request.form.get("reason", ""), account_id=account_id,
                                 version=_version(), active=request.form.get("active") == "1")
    except DomainError as exc:
        session.rollback()
        return _detail_page(account_id, exc.status, problems=_problems(exc))
    session.commit()
    return redirect(url_for("web.admin_account", account_id=account_id, saved=1), code=303)


