"""The admin pages' use cases: account changes with a reason, and the audit trail they write.

Keyword-only, given a Session, never committing (the page commits). Every act an admin does
through these pages is one ``admin_actions`` row (who, what, on what, why), written beside
the change; a reason is required, so the trail always says why. An admin cannot disable or
demote their own account here: the bureau would otherwise lock itself out with one click.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.handlers import accounts
from gateway.models import Account
from gateway.models import AdminAction
from gateway.models import Role
from yumiao_common.web.errors import Conflict
from yumiao_common.web.errors import ValidationFailed

MAX_REASON = 1000
REASON_REQUIRED = "请填写原因 / A reason is required"
BUREAU_ROLES = (Role.ADMIN, Role.CURATOR, Role.VIEWER)


def checked_reason(reason: str | None) -> str:
    """The reason, trimmed; a 422 naming ``reason`` when it is empty or too long."""
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed(fields={"reason": [REASON_REQUIRED]})
    if len(text) > MAX_REASON:
        raise ValidationFailed(fields={"reason": [
            f"原因最多{MAX_REASON}字 / A reason has at most {MAX_REASON} characters"]})
    return text


def record(session: Session, *, actor: str, action: str, target: str, reason: str,
           details: dict[str, Any] | None = None) -> AdminAction:
    row = AdminAction(actor=actor, action=action, target=target, reason=reason,
                      details=details or {})
    session.add(row)
    return row


def history(session: Session, *, target: str | None = None, prefix: str | None = None,
            limit: int = 20) -> list[AdminAction]:
    """The newest acts on ``target`` (or on every target starting with ``prefix``)."""
    stmt = select(AdminAction)
    if target is not None:
        stmt = stmt.where(AdminAction.target == target)
    if prefix is not None:
        stmt = stmt.where(AdminAction.target.startswith(prefix, autoescape=True))
    return list(session.scalars(stmt.order_by(AdminAction.at.desc()).limit(limit)))


@dataclass(frozen=True)
class AccountPage:
    items: list[Account]
    total: int
    next_after: str | None


def search_accounts(session: Session, *, text: str = "", role: str = "",
                    after: str | None = None, limit: int = 50) -> AccountPage:
    """Accounts whose user name, display name or credit code contains ``text`` (any case),
    optionally of one ``role``; keyset pages in user-name order (``after`` = last name)."""
    stmt: Select[Any] = select(Account)
    if text.strip():
        like = f"%{text.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(Account.username).like(like),
                              func.lower(Account.display_name).like(like),
                              func.lower(func.coalesce(Account.uscc, "")).like(like)))
    if role:
        stmt = stmt.where(Account.role == role)
    total = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    if after:
        stmt = stmt.where(Account.username > after)
    rows = list(session.scalars(stmt.order_by(Account.username).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return AccountPage(rows, total, rows[-1].username if more and rows else None)


def create_bureau_account(session: Session, *, actor: str, reason: str, username: str,
                          password: str, role: str, display_name: str = "") -> Account:
    """A new staff account (admin, curator or viewer); enterprise accounts are made from the
    firm's own record, never typed in here."""
    reason = checked_reason(reason)
    if role not in BUREAU_ROLES:
        raise ValidationFailed(fields={"role": ["须为局内角色 / must be a bureau role"]})
    account = accounts.create_account(session, username=username, password=password, role=role,
                                      display_name=display_name.strip())
    record(session, actor=actor, action="account.create", target=f"account:{account.id}",
           reason=reason, details={"username": account.username, "role": role})
    return account


def change_role(session: Session, *, actor: str, actor_id: uuid.UUID | None, reason: str,
                account_id: uuid.UUID, version: int, role: str) -> Account:
    reason = checked_reason(reason)
    account = accounts.get_account(session, account_id=account_id)
    if account.id == actor_id and role != account.role:
        raise Conflict("不能更改自己的角色 / You cannot change your own role",
                       code="own_account")
    before = account.role
    account = accounts.update_account(session, account_id=account_id, version=version,
                                      role=role)
    record(session, actor=actor, action="account.role", target=f"account:{account.id}",
           reason=reason, details={"from": before, "to": role})
    return account


def set_active(session: Session, *, actor: str, actor_id: uuid.UUID | None, reason: str,
               account_id: uuid.UUID, version: int, active: bool) -> Account:
    """Enable or disable an account; disabling also ends every login it has."""
    reason = checked_reason(reason)
    if account_id == actor_id and not active:
        raise Conflict("不能停用自己的账户 / You cannot disable your own account",
                       code="own_account")
    account = accounts.update_account(session, account_id=account_id, version=version,
                                      is_active=active)
    record(session, actor=actor, action="account.enable" if active else "account.disable",
           target=f"account:{account.id}", reason=reason)
    return account
