"""Self-service password reset, and the one-time link of an invitation: request and completion.

Keyword-only, given a Session, never committing. ``request_reset`` answers nothing to its
caller about the account: it returns the message to send, or None — and the route answers the
same words, status and (padded) time either way, sending the message after the answer. Only
enterprise accounts reset themselves (their contacts are in the registry); bureau staff ask an
admin. A code is six digits by SMS (dies after ``reset_code_attempts`` wrong tries); a link goes
by e-mail. Completing either (or an invitation's link) sets the password, spends the secret,
revokes every other live secret of the account and ends all its logins; an invitation is then
``accepted``. Each step is an ``admin_actions`` row naming who and why.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.adapters.password_hashing import hash_password
from gateway.domain import one_time
from gateway.domain.passwords import password_problems
from gateway.handlers.admin_actions import record
from gateway.handlers.invitations import new_link
from gateway.handlers.invitations import revoke_secrets
from gateway.handlers.sessions import aware
from gateway.handlers.sessions import may_sign_in
from gateway.handlers.sessions import revoke_all_sessions
from gateway.models import Account
from gateway.models import Invitation
from gateway.models import OneTimeSecret
from gateway.models import Role
from yumiao_common.clock import utcnow
from yumiao_common.web.errors import ValidationFailed

SAME_ANSWER = ("如该账户存在并留有同意接收的联系方式，验证码或链接已发出，请查收 / If the account "
               "exists and has a contact who agreed to receive it, a code or link is on its way")
LINK_UNKNOWN = "链接无效，请核对或重新申请 / This link is not valid: check it or ask again"
LINK_USED = "链接已使用过，每个链接只能用一次 / This link was already used (each works once)"
LINK_REPLACED = "已有更新的链接，请使用最新收到的 / A newer link was sent: use the latest one"
LINK_EXPIRED = ("链接已过期，请重新申请重置，或请科技局重新发送邀请 / This link has expired: "
                "ask for a new reset, or ask the bureau to send the invitation again")
CODE_WRONG = ("验证码错误或已过期，请重新获取 / Wrong or expired code: ask for a new one")
INACTIVE = "账户已停用 / This account is disabled"
CODE_REFUSED = "reset_code_invalid"
SELF_SERVICE = "自助找回密码 / self-service password reset"


def request_reset(session: Session, *, username: str, channel: str, key: str,
                  link_base: str | None, link_minutes: int, code_minutes: int, ip: str
                  ) -> dict[str, Any] | None:
    """The message that carries a new code or link, or None (no such enterprise account)."""
    account = session.scalar(select(Account).where(Account.username == username.strip()))
    if (account is None or account.role != Role.ENTERPRISE or not may_sign_in(account)
            or (channel == "email" and not link_base)):
        return None
    assert account.uscc is not None
    name = account.display_name or account.uscc
    if channel == "sms":
        revoke_secrets(session, account_id=account.id, purpose="reset")
        code, row_id = one_time.new_code(), uuid.uuid4()
        session.add(OneTimeSecret(
            id=row_id, account_id=account.id, purpose="reset", form="code",
            secret_hash=one_time.code_hash(key, str(row_id), code), created_by="anonymous",
            expires_at=utcnow() + timedelta(minutes=code_minutes)))
        text = one_time.reset_code_text(name=name, uscc=account.uscc, code=code,
                                        minutes=code_minutes)
    else:
        assert link_base is not None
        expires_at = utcnow() + timedelta(minutes=link_minutes)
        token = new_link(session, account_id=account.id, purpose="reset", key=key,
                         expires_at=expires_at, actor="anonymous")
        row_id = uuid.uuid4()
        text = one_time.reset_link_text(name=name, uscc=account.uscc, expires_at=expires_at,
                                        link=one_time.set_password_link(link_base, token))
    record(session, actor="anonymous", action="account.reset_requested",
           target=f"account:{account.id}", reason=SELF_SERVICE,
           details={"channel": channel, "ip": ip})
    session.flush()
    return {"key": f"reset:{row_id}", "uscc": account.uscc, "enterprise_name": name,
            "kind": "password_reset", "channel": channel, "subject": text.subject,
            "body": text.body, "sms_params": text.sms_params}


def link_secret(session: Session, *, token: str, key: str) -> OneTimeSecret:
    """The live one-time link ``token`` names, or a 422 saying plainly why it does not work."""
    row = session.scalar(select(OneTimeSecret).where(
        OneTimeSecret.secret_hash == one_time.link_hash(key, token.strip()),
        OneTimeSecret.form == "link"))
    problem = None
    if row is None:
        problem = ("link_invalid", LINK_UNKNOWN)
    elif row.used_at is not None:
        problem = ("link_used", LINK_USED)
    elif row.revoked_at is not None:
        problem = ("link_replaced", LINK_REPLACED)
    elif aware(row.expires_at) <= utcnow():
        problem = ("link_expired", LINK_EXPIRED)
    if problem is not None:
        raise ValidationFailed(problem[1], code=problem[0], fields={"token": [problem[1]]})
    assert row is not None
    return row


def complete_with_link(session: Session, *, token: str, new_password: str, key: str
                       ) -> Account:
    row = link_secret(session, token=token, key=key)
    _check(new_password)
    return _set_password(session, row, new_password)


def complete_with_code(session: Session, *, username: str, code: str, new_password: str,
                       key: str, max_attempts: int) -> Account:
    """Set the password with an SMS code. A wrong code counts against it (the caller commits
    even when this raises, so the count holds)."""
    account = session.scalar(select(Account).where(Account.username == username.strip()))
    row = None if account is None else session.scalar(
        select(OneTimeSecret).where(OneTimeSecret.account_id == account.id,
                                    OneTimeSecret.purpose == "reset",
                                    OneTimeSecret.form == "code",
                                    OneTimeSecret.used_at.is_(None),
                                    OneTimeSecret.revoked_at.is_(None))
        .order_by(OneTimeSecret.created_at.desc()).limit(1))
    if row is None or aware(row.expires_at) <= utcnow() or not one_time.same_code(
            key, str(row.id), code, row.secret_hash):
        if row is not None:
            row.failed_attempts += 1
            if row.failed_attempts >= max_attempts:
                row.revoked_at = utcnow()
        raise ValidationFailed(CODE_WRONG, code=CODE_REFUSED,
                               fields={"code": [CODE_WRONG]})
    _check(new_password)
    return _set_password(session, row, new_password)


def _check(password: str) -> None:
    problems = password_problems(password)
    if problems:
        raise ValidationFailed(fields={"new_password": problems})


def _set_password(session: Session, row: OneTimeSecret, password: str) -> Account:
    account = session.get(Account, row.account_id)
    if account is None or not account.is_active:
        raise ValidationFailed(INACTIVE, code="account_inactive", fields={"token": [INACTIVE]})
    now = utcnow()
    account.password_hash = hash_password(password)
    row.used_at = now
    revoke_secrets(session, account_id=account.id)
    revoke_all_sessions(session, account_id=account.id)
    invited = row.purpose == "invitation"
    invitation = session.scalar(select(Invitation).where(Invitation.account_id == account.id))
    if invitation is not None and invitation.status != "accepted":  # a reset counts too
        invitation.status, invitation.accepted_at = "accepted", now
    record(session, actor=f"enterprise:{account.uscc}" if account.uscc else account.username,
           action="account.password_set" if invited else "account.password_reset",
           target=f"account:{account.id}",
           reason=("通过邀请链接设置密码 / password set with the invitation link" if invited
                   else f"{SELF_SERVICE} ({'code' if row.form == 'code' else 'link'})"))
    session.flush()
    return account
