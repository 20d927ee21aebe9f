"""Bulk invitations of enterprise accounts: create, send one link per firm, send again, list.

Keyword-only, given a Session, never committing (the route commits). An admin invites every
firm of a registry filter (a pool is one of its filters): firms that already have an account
are left alone; the others get an enterprise account named by their credit code with no
password yet (``UNUSABLE``: nothing signs in with it, after the same argon2 work as a wrong
password) and a set-password link valid ``invitation_hours``. The link leaves through notify
(``adapters.http.notify.send_account_messages``): one message per firm to one consenting
contact, e-mail or SMS; a firm without such a contact is listed ``no_contact`` and can be
sent again once the registry has one. The rows are committed before notify is asked, so a link
notify sends always works; a send notify did not take is ``send_failed`` (send again).
Every act is an ``admin_actions`` row: who, why, on which account.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from typing import Any

from sqlalchemy import Select
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from gateway.adapters.http import Clients
from gateway.adapters.http.registry import items_of
from gateway.adapters.password_hashing import UNUSABLE
from gateway.domain import one_time
from gateway.handlers.admin_actions import checked_reason
from gateway.handlers.admin_actions import record
from gateway.handlers.sessions import aware
from gateway.models import Account
from gateway.models import Invitation
from gateway.models import OneTimeSecret
from gateway.models import Role
from yumiao_common.clock import utcnow
from yumiao_common.web.errors import Conflict
from yumiao_common.web.errors import DomainError
from yumiao_common.web.errors import NotFound
from yumiao_common.web.errors import ValidationFailed

log = logging.getLogger(__name__)
NOT_FOUND = "邀请不存在 / Invitation not found"
NO_LINKS = ("未配置站点地址（GATEWAY_PUBLIC_URL），无法发送设置密码链接 / "
            "GATEWAY_PUBLIC_URL is not set: no set-password link can be sent")
NOTIFY_BATCH = 500


@dataclass(frozen=True)
class Outgoing:
    """An invitation whose fresh link is to be sent (the token exists only in memory)."""

    invitation: Invitation
    token: str


def _too_many(limit: int) -> ValidationFailed:
    return ValidationFailed(fields={"filter": [
        f"超过 {limit} 家企业，请缩小筛选范围 / more than {limit} firms: narrow the filter"]})


def firms_of(clients: Clients, *, filters: dict[str, Any], limit: int
             ) -> list[tuple[str, str]]:
    """(credit code, name) of every firm the registry lists for ``filters``, at most ``limit``."""
    firms: dict[str, str] = {}
    cursor: str | None = None
    registry = clients.registry
    while True:
        params = {"limit": 200, **filters, **({"cursor": cursor} if cursor else {})}
        body = registry.json_or_raise(registry.request("GET", "/api/v1/enterprises",
                                                       params=params))
        firms.update((row["uscc"], row.get("name", "")) for row in items_of(body)
                     if isinstance(row, dict) and "uscc" in row)
        cursor = body.get("next_cursor") if isinstance(body, dict) else None
        if len(firms) > limit:
            raise _too_many(limit)
        if not cursor:
            return list(firms.items())


def new_link(session: Session, *, account_id: uuid.UUID, purpose: str, key: str,
             expires_at: datetime, actor: str) -> str:
    """A fresh one-time link for ``purpose``; every earlier live one of it is revoked."""
    revoke_secrets(session, account_id=account_id, purpose=purpose)
    token = one_time.new_link_token()
    session.add(OneTimeSecret(account_id=account_id, purpose=purpose, form="link",
                              secret_hash=one_time.link_hash(key, token), expires_at=expires_at,
                              created_by=actor))
    return token


def revoke_secrets(session: Session, *, account_id: uuid.UUID, purpose: str | None = None
                   ) -> None:
    stmt = update(OneTimeSecret).where(OneTimeSecret.account_id == account_id,
                                       OneTimeSecret.used_at.is_(None),
                                       OneTimeSecret.revoked_at.is_(None))
    if purpose is not None:
        stmt = stmt.where(OneTimeSecret.purpose == purpose)
    session.execute(stmt.values(revoked_at=utcnow()), execution_options={
        "synchronize_session": False})


def invite(session: Session, *, clients: Clients, actor: str, reason: str,
           filters: dict[str, Any], key: str, hours: int, max_firms: int
           ) -> tuple[list[Outgoing], int]:
    """Accounts and links for the firms of ``filters`` without an account; (to send, skipped)."""
    reason = checked_reason(reason)
    firms = firms_of(clients, filters=filters, limit=max_firms)
    taken = set(session.scalars(select(Account.username).where(
        Account.username.in_([uscc for uscc, _ in firms])))) if firms else set()
    expires_at = utcnow() + timedelta(hours=hours)
    fresh = [Account(id=uuid.uuid4(), username=uscc, uscc=uscc, role=Role.ENTERPRISE,
                     password_hash=UNUSABLE, display_name=name)
             for uscc, name in firms if uscc not in taken]
    session.add_all(fresh)
    session.flush()  # the accounts first: the rows below refer to them (one batch each)
    out = []
    for account in fresh:
        uscc = account.username
        invitation = Invitation(account_id=account.id, uscc=uscc,
                                enterprise_name=account.display_name, status="send_failed",
                                created_by=actor, reason=reason, sends=0, expires_at=expires_at)
        token = one_time.new_link_token()
        session.add_all([invitation, OneTimeSecret(
            account_id=account.id, purpose="invitation", form="link",
            secret_hash=one_time.link_hash(key, token), expires_at=expires_at,
            created_by=actor)])
        record(session, actor=actor, action="account.invite", target=f"account:{account.id}",
               reason=reason, details={"uscc": uscc, "expires_at": expires_at.isoformat()})
        out.append(Outgoing(invitation, token))
    session.flush()
    return out, len(firms) - len(out)


def send(session: Session, *, clients: Clients, outgoing: Sequence[Outgoing], actor: str,
         channel: str, link_base: str) -> None:
    """Ask notify to send each link (batches of 500); record where each went."""
    for start in range(0, len(outgoing), NOTIFY_BATCH):
        batch = list(outgoing[start:start + NOTIFY_BATCH])
        messages = [_message(o, channel, link_base) for o in batch]
        try:
            results = {r["key"]: r for r in clients.notify.send_account_messages(
                messages, actor=actor)}
        except DomainError as exc:  # the rows stay send_failed: an admin sends them again
            log.warning("notify refused %d invitation messages: %s", len(batch), exc.message)
            results = {}
        now = utcnow()
        for item, message in zip(batch, messages, strict=True):
            _settle(item.invitation, results.get(message["key"]), now)
    session.flush()


def _message(item: Outgoing, channel: str, link_base: str) -> dict[str, Any]:
    invitation = item.invitation
    assert invitation.expires_at is not None
    text = one_time.invitation_text(
        name=invitation.enterprise_name or invitation.uscc, uscc=invitation.uscc,
        link=one_time.set_password_link(link_base, item.token),
        expires_at=invitation.expires_at)
    # One key per link: a retried batch queues nothing twice, a new link is a new message.
    key = "invitation:" + hashlib.sha256(item.token.encode()).hexdigest()[:40]
    return {"key": key, "uscc": invitation.uscc,
            "enterprise_name": invitation.enterprise_name, "kind": "account_invitation",
            "channel": channel, "subject": text.subject, "body": text.body,
            "sms_params": text.sms_params}


def _settle(invitation: Invitation, result: dict[str, Any] | None, now: datetime) -> None:
    if result is None:
        invitation.status = "send_failed"
        return
    invitation.status = "sent" if result["status"] == "queued" else "no_contact"
    invitation.channel, invitation.sent_to = result.get("channel"), result.get("sent_to")
    message_id = result.get("message_id")
    invitation.message_id = uuid.UUID(message_id) if message_id else None
    if invitation.status == "sent":
        invitation.sends += 1
        invitation.last_sent_at = now


def get_invitation(session: Session, *, invitation_id: uuid.UUID) -> Invitation:
    invitation = session.get(Invitation, invitation_id)
    if invitation is None:
        raise NotFound(NOT_FOUND)
    return invitation


def renew(session: Session, *, invitation_id: uuid.UUID, actor: str, reason: str, key: str,
          hours: int) -> Outgoing:
    """A new link for an invitation not yet accepted (the old one stops working)."""
    reason = checked_reason(reason)
    invitation = get_invitation(session, invitation_id=invitation_id)
    if invitation.status == "accepted":
        raise Conflict("该企业已设置密码 / This firm has already set its password",
                       code="invitation_accepted")
    invitation.expires_at = utcnow() + timedelta(hours=hours)
    token = new_link(session, account_id=invitation.account_id, purpose="invitation", key=key,
                     expires_at=invitation.expires_at, actor=actor)
    record(session, actor=actor, action="account.invitation_resend",
           target=f"account:{invitation.account_id}", reason=reason,
           details={"uscc": invitation.uscc, "expires_at": invitation.expires_at.isoformat()})
    session.flush()
    return Outgoing(invitation, token)


def delivery_of(clients: Clients, invitation: Invitation) -> dict[str, Any] | None:
    """Where notify says the last message is (sent, delivered, failed …), or None when there
    is none or notify cannot say (the invitation itself still shows)."""
    if invitation.message_id is None:
        return None
    try:
        state = clients.notify.message_state(str(invitation.message_id))
    except DomainError:
        return None
    sent_at = state.get("sent_at")
    try:
        when = datetime.fromisoformat(str(sent_at).replace("Z", "+00:00")) if sent_at else None
    except ValueError:
        when = None
    return {"state": state.get("state"), "failure_reason": state.get("failure_reason"),
            "sent_at": when}


def state_of(invitation: Invitation, now: datetime) -> str:
    """What the admin's list says: accepted, expired, sent, no_contact or send_failed."""
    expires = invitation.expires_at
    if invitation.status == "sent" and expires is not None and aware(expires) <= now:
        return "expired"
    return invitation.status


def listing(*, state: str | None, uscc: str | None) -> Select[Any]:
    """The invitations of one state (derived as ``state_of`` does), in credit-code order."""
    stmt = select(Invitation)
    now = utcnow()
    if uscc:
        stmt = stmt.where(Invitation.uscc == uscc)
    if state == "expired":
        stmt = stmt.where(Invitation.status == "sent", Invitation.expires_at <= now)
    elif state == "sent":
        stmt = stmt.where(Invitation.status == "sent", Invitation.expires_at > now)
    elif state:
        stmt = stmt.where(Invitation.status == state)
    return stmt


class LinksNotConfigured(DomainError):
    """No ``GATEWAY_PUBLIC_URL`` outside demo mode: a link would point nowhere (or, taken
    from the request, wherever a forged Host header says)."""

    status, code = 503, "public_url_missing"

    def __init__(self) -> None:
        super().__init__(NO_LINKS)


def require_link_base(link_base: str | None) -> str:
    if not link_base:
        raise LinksNotConfigured()
    return link_base
