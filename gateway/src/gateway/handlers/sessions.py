"""Use cases for sign-in and sessions: keyword-only, given a Session, never committing.

Routes, the web UI and the CLI call these and commit. Failures raise the shared domain
errors, with one message for every sign-in failure so it never reveals which user names exist.

Outside demo mode a demo account (``is_demo``) never signs in, and neither does any account
whose password is the published demo password (accounts seeded before the flag existed): both
fail exactly like a wrong password, after the same argon2 work.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from flask import current_app
from flask import has_app_context
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from gateway.adapters import ratelimit
from gateway.adapters.password_hashing import hash_password
from gateway.adapters.password_hashing import needs_rehash
from gateway.adapters.password_hashing import verify_password
from gateway.domain.tokens import AccessClaims
from gateway.domain.tokens import AccessTokenSigner
from gateway.domain.tokens import new_token
from gateway.domain.tokens import token_hash
from gateway.handlers.sign_ins import record_sign_in
from gateway.models import Account
from gateway.models import AuthSession
from gateway.models import SessionKind
from yumiao_common.clock import utcnow
from yumiao_common.web.errors import Unauthorized

BAD_LOGIN = "用户名或密码错误 / Wrong user name or password"
BAD_REFRESH = "登录已失效，请重新登录 / Session expired, please sign in again"
#: The documented demo password (README); never a way in outside demo mode.
DEFAULT_DEMO_PASSWORD = "yumiao-demo"


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    account: Account


@dataclass(frozen=True)
class BrowserSession:
    token: str  # the cookie value (only its hash is stored)
    csrf_token: str
    expires_at: datetime
    account: Account


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored moment is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def demo_mode() -> bool:
    """The running gateway's demo mode (False outside an app, e.g. a bare script)."""
    if not has_app_context():
        return False
    settings = current_app.extensions.get("gateway.settings")
    return bool(settings is not None and settings.demo_mode)


def demo_passwords() -> frozenset[str]:
    return frozenset({DEFAULT_DEMO_PASSWORD, os.environ.get("YUMIAO_DEMO_PASSWORD") or ""}) - {""}


def may_sign_in(account: Account, *, password: str | None = None) -> bool:
    """Active, and outside demo mode neither a demo account nor using the demo password."""
    if not account.is_active:
        return False
    if demo_mode():
        return True
    return not account.is_demo and (password is None or password not in demo_passwords())


def _account_limit(purpose: str) -> tuple[str, str] | None:
    """(scope, limit) of failed password checks per account for ``purpose``, in an app."""
    if not has_app_context() or "gateway.settings" not in current_app.extensions:
        return None
    settings = current_app.extensions["gateway.settings"]
    if purpose == "password":
        return "password-account", str(settings.ratelimit_password_account)
    return "login-account", str(settings.ratelimit_login_account)


def authenticate(session: Session, *, username: str, password: str, purpose: str = "login"
                 ) -> Account:
    """The account for these credentials; ``purpose`` is "login" or "password" (a change).

    Failed checks are counted per account (whatever the client address); once an account
    has used up its limit, further attempts are a 429 before any argon2 work.
    """
    limit = _account_limit(purpose)
    if limit is not None:
        ratelimit.account_allows(*limit, username)
    account = session.scalar(select(Account).where(Account.username == username.strip()))
    ok = verify_password(account.password_hash if account else None, password)
    if account is not None and purpose == "login":  # the account's sign-in history
        record_sign_in(account.id, success=ok and may_sign_in(account, password=password))
    if account is None or not ok or not may_sign_in(account, password=password):
        if limit is not None:
            ratelimit.count_failure(*limit, username)
        raise Unauthorized(BAD_LOGIN, code="invalid_credentials")
    if needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    return account


def _new_session_row(
    session: Session, *, account: Account, kind: SessionKind, ttl: int,
    family_id: uuid.UUID | None = None, csrf_token: str | None = None,
) -> tuple[str, AuthSession]:
    raw = new_token()
    row = AuthSession(
        account_id=account.id, kind=kind.value, token_hash=token_hash(raw),
        family_id=family_id or uuid.uuid4(), csrf_token=csrf_token,
        expires_at=utcnow() + timedelta(seconds=ttl),
    )
    row.account = account
    session.add(row)
    return raw, row


def issue_tokens(
    session: Session, *, account: Account, signer: AccessTokenSigner, refresh_ttl: int,
    family_id: uuid.UUID | None = None,
) -> TokenPair:
    raw, row = _new_session_row(
        session, account=account, kind=SessionKind.REFRESH, ttl=refresh_ttl, family_id=family_id
    )
    claims = AccessClaims(str(account.id), account.username, account.role, account.uscc,
                          str(row.family_id))
    return TokenPair(signer.sign(claims), raw, signer.ttl_seconds, account)


def _live_row(session: Session, raw: str, kind: SessionKind) -> AuthSession | None:
    row = session.scalar(
        select(AuthSession).where(
            AuthSession.token_hash == token_hash(raw), AuthSession.kind == kind.value
        )
    )
    return row


def revoke_family(session: Session, *, family_id: uuid.UUID) -> None:
    session.execute(
        update(AuthSession)
        .where(AuthSession.family_id == family_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def rotate_refresh_token(
    session: Session, *, refresh_token: str, signer: AccessTokenSigner, refresh_ttl: int
) -> TokenPair:
    """Spend a refresh token for a new pair; a reused (already spent) token revokes its family.

    The caller must commit even when this raises, so a detected reuse stays revoked.
    """
    row = _live_row(session, refresh_token, SessionKind.REFRESH)
    if row is None:
        raise Unauthorized(BAD_REFRESH, code="invalid_refresh_token")
    if row.revoked_at is not None:
        revoke_family(session, family_id=row.family_id)
        raise Unauthorized(BAD_REFRESH, code="refresh_token_reused")
    if aware(row.expires_at) <= utcnow() or not may_sign_in(row.account):
        raise Unauthorized(BAD_REFRESH, code="invalid_refresh_token")
    row.revoked_at = utcnow()
    return issue_tokens(session, account=row.account, signer=signer, refresh_ttl=refresh_ttl,
                        family_id=row.family_id)


def logout_refresh_token(session: Session, *, refresh_token: str) -> None:
    """Revoke the whole login (every rotated descendant); unknown tokens are ignored."""
    row = _live_row(session, refresh_token, SessionKind.REFRESH)
    if row is not None:
        revoke_family(session, family_id=row.family_id)


def start_browser_session(session: Session, *, account: Account, ttl: int) -> BrowserSession:
    csrf = new_token()
    raw, row = _new_session_row(
        session, account=account, kind=SessionKind.BROWSER, ttl=ttl, csrf_token=csrf
    )
    return BrowserSession(raw, csrf, row.expires_at, account)


def find_browser_session(session: Session, *, token: str) -> AuthSession | None:
    """The live browser session for a cookie value, or None (expired, revoked, inactive)."""
    row = _live_row(session, token, SessionKind.BROWSER)
    if row is None or row.revoked_at is not None or aware(row.expires_at) <= utcnow():
        return None
    return row if may_sign_in(row.account) else None


def end_browser_session(session: Session, *, token: str) -> None:
    row = _live_row(session, token, SessionKind.BROWSER)
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()


def revoke_all_sessions(session: Session, *, account_id: uuid.UUID) -> None:
    """Sign an account out everywhere (deactivation, password reset by an admin)."""
    session.execute(
        update(AuthSession)
        .where(AuthSession.account_id == account_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
