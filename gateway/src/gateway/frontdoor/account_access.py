"""What the API and the pages share about getting into an account: a bulk invitation and a
resend (committed before notify is asked), a reset request answered the same way in the same
time, setting a password with a link or code, and one page of an account's sign-in history
in the shared list dialect.

It lives in the front door (beside ``api`` and ``web``, imported by both) because it is the
HTTP side of these use cases — request address, rate limits, the after-answer pool — and
neither adapter may import the other.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime
from typing import Any

from flask import current_app
from flask import request

from gateway.adapters import ratelimit
from gateway.adapters.background import background
from gateway.adapters.http import clients
from gateway.frontdoor.credentials import settings
from gateway.handlers import invitations
from gateway.handlers import password_reset
from gateway.handlers import sign_ins
from gateway.handlers.admin_actions import checked_reason
from gateway.models import Account
from gateway.models import Invitation
from yumiao_common.clock import utcnow
from yumiao_common.db.engine import get_session
from yumiao_common.web.errors import ValidationFailed
from yumiao_common.web.pagination import decode_cursor
from yumiao_common.web.pagination import encode_cursor

#: Who asks notify for a reset message (nobody is signed in; notify requires an actor).
RESET_ACTOR = "system:password-reset"
BAD_CURSOR = "游标无效 / invalid cursor"


def _position(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    position = decode_cursor(cursor, {"at": str, "id": str})
    if position is None:
        return None
    try:
        return datetime.fromisoformat(str(position["at"])), uuid.UUID(str(position["id"]))
    except ValueError:
        raise ValidationFailed(fields={"cursor": [BAD_CURSOR]}) from None


def sign_in_page(account_id: uuid.UUID, query: dict[str, Any]) -> dict[str, Any]:
    rows, more = sign_ins.page(get_session(), account_id, limit=query["limit"],
                               after=_position(query.get("cursor")))
    last = rows[-1] if more and rows else None
    cursor = encode_cursor({"at": last.at.isoformat(), "id": str(last.id)}) if last else None
    return {"items": rows, "next_cursor": cursor, "total": None}


def ask_for_reset(username: str, channel: str) -> None:
    """The reset request both the API and the page make: the same answer time either way."""
    cfg, started = settings(), time.monotonic()
    ratelimit.account_allows("reset-identifier", cfg.ratelimit_password_reset_identifier,
                             username)
    ratelimit.count_failure("reset-identifier", cfg.ratelimit_password_reset_identifier,
                            username)
    session = get_session()
    message = password_reset.request_reset(
        session, username=username, channel=channel, key=cfg.signing_key,
        link_base=cfg.link_base, link_minutes=cfg.reset_link_minutes,
        code_minutes=cfg.reset_code_minutes, ip=request.remote_addr or "")
    session.commit()
    if message is not None:
        notify = clients().notify
        background(current_app).submit(
            lambda: notify.send_account_messages([message], actor=RESET_ACTOR),
            "password reset message")
    time.sleep(max(0.0, cfg.reset_answer_seconds - (time.monotonic() - started)))


def complete(body: dict[str, Any]) -> Account:
    """Set the password with a link's token or a user name and code (commits either way)."""
    cfg, session = settings(), get_session()
    if "token" in body:
        try:
            return password_reset.complete_with_link(
                session, token=body["token"], new_password=body["new_password"],
                key=cfg.signing_key)
        finally:
            session.commit()
    username = body["username"]
    ratelimit.account_allows("reset-code-account", cfg.ratelimit_reset_code_account, username)
    try:
        return password_reset.complete_with_code(
            session, username=username, code=body["code"], new_password=body["new_password"],
            key=cfg.signing_key, max_attempts=cfg.reset_code_attempts)
    except ValidationFailed as exc:
        if exc.code == password_reset.CODE_REFUSED:  # a wrong guess, not a weak password
            ratelimit.count_failure("reset-code-account", cfg.ratelimit_reset_code_account,
                                    username)
        raise
    finally:
        session.commit()  # a wrong code's count holds even though we refuse


def invitation_out(invitation: Invitation) -> dict[str, Any]:
    columns = {c.key: getattr(invitation, c.key) for c in Invitation.__table__.columns}
    return {**columns, "state": invitations.state_of(invitation, utcnow())}


def bulk_invite(*, filters: dict[str, Any], channel: str, reason: str, actor: str
                ) -> dict[str, Any]:
    """Invite every firm of ``filters`` without an account (the API's and the page's): the
    rows are committed before notify is asked, then again with what it said."""
    cfg = settings()
    reason = checked_reason(reason)  # a refusal in words before "not configured"
    link_base = invitations.require_link_base(cfg.link_base)
    session = get_session()
    outgoing, skipped = invitations.invite(
        session, clients=clients(), actor=actor, reason=reason, filters=filters,
        key=cfg.signing_key, hours=cfg.invitation_hours, max_firms=cfg.invitation_max_firms)
    session.commit()  # the links work before any of them is sent
    invitations.send(session, clients=clients(), outgoing=outgoing, actor=actor,
                     channel=channel, link_base=link_base)
    session.commit()
    items = [invitation_out(o.invitation) for o in outgoing]
    counts = {s: sum(1 for i in items if i["state"] == s)
              for s in ("sent", "no_contact", "send_failed")}
    return {"matched": len(outgoing) + skipped, "already_had_account": skipped,
            "invited": len(outgoing), **counts, "items": items}


def resend_invitation(*, invitation_id: uuid.UUID, channel: str, reason: str, actor: str
                      ) -> Invitation:
    """A new link for one invitation, sent (the old link stops working)."""
    cfg = settings()
    reason = checked_reason(reason)
    session = get_session()
    invitations.get_invitation(session, invitation_id=invitation_id)  # 404 before 503
    link_base = invitations.require_link_base(cfg.link_base)
    outgoing = invitations.renew(session, invitation_id=invitation_id, actor=actor,
                                 reason=reason, key=cfg.signing_key, hours=cfg.invitation_hours)
    session.commit()
    invitations.send(session, clients=clients(), outgoing=[outgoing], actor=actor,
                     channel=channel, link_base=link_base)
    session.commit()
    return outgoing.invitation
