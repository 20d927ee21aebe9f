"""Sign-in history: record each password check of an existing account, list an account's.

Recorded in a transaction of its own (the session factory's), because a failed sign-in ends
its request with a 401 and no commit — and a failed attempt is exactly what the account's
owner wants to see. The address is ``request.remote_addr``: behind the trusted proxies
(``GATEWAY_TRUSTED_PROXY_COUNT``, werkzeug's ``ProxyFix``) the one the outermost proxy saw.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Any

from flask import current_app
from flask import has_request_context
from flask import request
from sqlalchemy import Select
from sqlalchemy import and_
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.models import SignIn

log = logging.getLogger(__name__)
#: Where a sign-in came from, by the endpoint that checked the password.
METHODS = {"auth.Login": "api", "auth.BrowserSession": "browser", "web.login_submit": "web"}


def record_sign_in(account_id: uuid.UUID, *, success: bool) -> None:
    """Keep one sign-in attempt of ``account_id`` (never fails the sign-in itself)."""
    if not has_request_context():
        return
    row = SignIn(account_id=account_id, success=success, ip=(request.remote_addr or "")[:64],
                 method=METHODS.get(request.endpoint or "", "api"),
                 user_agent=(request.user_agent.string or "")[:200])
    try:
        with current_app.extensions["yumiao.session_factory"].begin() as session:
            session.add(row)
    except Exception:  # noqa: BLE001 - history must never lock anyone out
        log.exception("could not record a sign-in of %s", account_id)


def history(account_id: uuid.UUID, *, after: tuple[datetime, uuid.UUID] | None
            ) -> Select[Any]:
    """An account's sign-ins, newest first (keyset: strictly after ``after``)."""
    stmt = select(SignIn).where(SignIn.account_id == account_id)
    if after is not None:
        at, row_id = after
        stmt = stmt.where(or_(SignIn.at < at, and_(SignIn.at == at, SignIn.id > row_id)))
    return stmt.order_by(SignIn.at.desc(), SignIn.id)


def page(session: Session, account_id: uuid.UUID, *, limit: int,
         after: tuple[datetime, uuid.UUID] | None) -> tuple[list[SignIn], bool]:
    rows = list(session.scalars(history(account_id, after=after).limit(limit + 1)))
    return rows[:limit], len(rows) > limit
