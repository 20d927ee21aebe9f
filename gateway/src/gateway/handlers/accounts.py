"""Use cases for managing accounts and API keys (admin only; routes and the CLI call these).

Keyword-only, given a Session, never committing. Enterprise accounts must name a valid
credit code and are named by it, so "the account of 9137…" is unambiguous in every log.
Demo accounts (``create-demo-accounts``, demo mode only) are flagged ``is_demo`` and only
created, never updated: an account that already has the name keeps its password and state.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.adapters.http import Clients
from gateway.adapters.password_hashing import hash_password
from gateway.domain.passwords import password_problems
from gateway.domain.tokens import new_api_key
from gateway.handlers.sessions import revoke_all_sessions
from gateway.models import Account
from gateway.models import ApiKey
from gateway.models import Role
from yumiao_common.clock import utcnow
from yumiao_common.identifiers import uscc_problems
from yumiao_common.web.errors import Conflict
from yumiao_common.web.errors import NotFound
from yumiao_common.web.errors import ValidationFailed

ACCOUNT_NOT_FOUND = "账户不存在 / Account not found"
DEMO_STAFF = (("admin", "admin", "演示管理员 / Demo admin"),
              ("curator", "curator", "演示专员 / Demo curator"),
              ("viewer", "viewer", "演示只读 / Demo viewer"))


@dataclass(frozen=True)
class NewApiKey:
    key: str  # shown once
    row: ApiKey


def _check_password(password: str) -> None:
    problems = password_problems(password)
    if problems:
        raise ValidationFailed(fields={"password": problems})


def _check_role_uscc(role: str, uscc: str | None) -> None:
    if role == Role.ENTERPRISE:
        problems = uscc_problems(uscc or "")
        if problems:
            raise ValidationFailed(fields={"uscc": [f"{zh} / {en}" for zh, en in problems]})
    elif uscc:
        raise ValidationFailed(
            fields={"uscc": ["仅企业账户绑定信用代码 / only enterprise accounts carry a uscc"]}
        )


def create_account(
    session: Session, *, password: str, role: str, username: str | None = None,
    uscc: str | None = None, display_name: str = "",
) -> Account:
    _check_role_uscc(role, uscc)
    _check_password(password)
    name = uscc if role == Role.ENTERPRISE else (username or "").strip()
    if not name:
        raise ValidationFailed(fields={"username": ["必填 / required"]})
    if session.scalar(select(Account.id).where(Account.username == name)) is not None:
        raise Conflict("用户名已存在 / User name already taken", code="username_taken")
    account = Account(username=name, password_hash=hash_password(password), role=role,
                      uscc=uscc if role == Role.ENTERPRISE else None,
                      display_name=display_name)
    session.add(account)
    session.flush()
    return account


def get_account(session: Session, *, account_id: uuid.UUID) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound(ACCOUNT_NOT_FOUND)
    return account


def update_account(
    session: Session, *, account_id: uuid.UUID, version: int, display_name: str | None = None,
    role: str | None = None, is_active: bool | None = None, password: str | None = None,
) -> Account:
    """Edit an account; a stale ``version`` is a 409 so two admins never overwrite each other."""
    account = get_account(session, account_id=account_id)
    if account.version != version:
        raise Conflict("账户已被他人修改 / Account was changed meanwhile",
                       code="stale_version", details={"current_version": account.version})
    if role is not None and (role == Role.ENTERPRISE) != (account.role == Role.ENTERPRISE):
        raise ValidationFailed(fields={"role": [
            "企业账户与局内账户不可互转 / cannot switch between enterprise and bureau roles"]})
    if display_name is not None:
        account.display_name = display_name
    if role is not None:
        account.role = role
    if password is not None:
        _check_password(password)
        account.password_hash = hash_password(password)
    if is_active is not None:
        account.is_active = is_active
    if password is not None or is_active is False or role is not None:
        revoke_all_sessions(session, account_id=account.id)
    session.flush()
    return account


def create_api_key(session: Session, *, name: str, role: str, created_by: str) -> NewApiKey:
    if role not in (Role.ADMIN, Role.CURATOR, Role.VIEWER):
        raise ValidationFailed(fields={"role": ["须为局内角色 / must be a bureau role"]})
    if session.scalar(select(ApiKey.id).where(ApiKey.name == name)) is not None:
        raise Conflict("密钥名称已存在 / Key name already taken", code="name_taken")
    key, prefix, secret_hash = new_api_key()
    row = ApiKey(name=name, prefix=prefix, secret_hash=secret_hash, role=role,
                 created_by=created_by)
    session.add(row)
    session.flush()
    return NewApiKey(key, row)


def revoke_api_key(session: Session, *, key_id: uuid.UUID) -> ApiKey:
    row = session.get(ApiKey, key_id)
    if row is None:
        raise NotFound("密钥不存在 / API key not found")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    return row


def ensure_demo_account(session: Session, *, username: str, role: str, password: str,
                        uscc: str | None = None, display_name: str = "") -> bool:
    """Create the demo account when the name is free; True when made.

    An existing account — demo or not — is never touched: seeding must not reset a real
    admin's password or reactivate anyone.
    """
    if session.scalar(select(Account.id).where(Account.username == username)) is not None:
        return False
    account = create_account(session, username=username, password=password, role=role,
                             uscc=uscc, display_name=display_name)
    account.is_demo = True
    return True


def demo_accounts(session: Session, *, clients: Clients, password: str
                  ) -> list[tuple[str, str, bool]]:
    """Bureau demo staff plus one account per first five registry enterprises (stable order).

    Each row: (user name, role, made now); names already taken are left as they are.
    """
    made = []
    for username, role, display in DEMO_STAFF:
        created = ensure_demo_account(session, username=username, role=role, password=password,
                                      display_name=display)
        made.append((username, role, created))
    for row in clients.registry.list_enterprises(limit=5)[:5]:
        created = ensure_demo_account(session, username=row["uscc"], role="enterprise",
                                      uscc=row["uscc"], password=password,
                                      display_name=row.get("name", ""))
        made.append((row["uscc"], f"enterprise {row.get('name', '')}".strip(), created))
    return made
