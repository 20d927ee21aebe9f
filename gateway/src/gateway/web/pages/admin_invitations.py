"""Enterprise invitations (/admin/invitations): open accounts for every firm of a pool (and
stage) and send each one set-password link; list where each stands; send one again. Admins
only; every act needs a reason and is audited in ``admin_actions``.

The page calls the same orchestration as ``POST /api/v1/accounts/invitations``
(``frontdoor.account_access``): the registry lists the firms, notify sends one message per
firm to a consenting contact. Refusals (no reason, registry or notify unavailable, no site
address configured) are shown above the form with what was chosen kept.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import redirect
from flask import request
from flask import url_for
from sqlalchemy import func
from sqlalchemy import select

from gateway.frontdoor.account_access import bulk_invite
from gateway.frontdoor.account_access import invitation_out
from gateway.frontdoor.account_access import resend_invitation
from gateway.handlers import invitations
from gateway.models import Invitation
from gateway.web.catalogue import POOLS
from gateway.web.catalogue import STAGES
from gateway.web.core import admin
from gateway.web.core import blp
from gateway.web.core import render
from gateway.web.i18n import pick
from yumiao_common.db.engine import get_session
from yumiao_common.web.errors import DomainError
from yumiao_common.web.errors import ValidationFailed

STATES = ("sent", "expired", "accepted", "no_contact", "send_failed")
CHANNELS = ("auto", "email", "sms")
PAGE = 50


def _problems(exc: DomainError) -> list[str]:
    found = [pick(m) for msgs in (exc.fields or {}).values() for m in msgs]
    return [pick(exc.message), *found] if not found or exc.status != 422 else found


def _page(code: int = 200, **context: Any) -> Any:
    state = request.args.get("state", "")
    state = state if state in STATES else ""
    session = get_session()
    stmt = invitations.listing(state=state or None, uscc=None)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    after = request.args.get("after", "")
    if after:
        stmt = stmt.where(Invitation.uscc > after)
    rows = list(session.scalars(stmt.order_by(Invitation.uscc).limit(PAGE + 1)))
    items = [invitation_out(i) for i in rows[:PAGE]]
    more = rows[PAGE - 1].uscc if len(rows) > PAGE else None
    return render("admin_invitations.html", code, items=items, total=total, state=state,
                  states=STATES, pools=POOLS, stages=STAGES, channels=CHANNELS, more=more,
                  saved=request.args.get("saved"),
                  **{"problems": [], "form": {}, "summary": None, **context})


@blp.get("/admin/invitations")
def admin_invitations() -> Any:
    admin()
    return _page()


@blp.post("/admin/invitations")
def admin_invitations_send() -> Any:
    principal = admin()
    form = request.form
    try:
        if form.get("pool") not in POOLS:
            raise ValidationFailed(fields={"pool": ["请选择培育库 / choose a pool"]})
        filters = {"pool": form["pool"]}
        if form.get("stage") in STAGES:
            filters["stage"] = form["stage"]
        channel = form.get("channel") if form.get("channel") in CHANNELS else "auto"
        summary = bulk_invite(filters=filters, channel=str(channel),
                              reason=form.get("reason", ""), actor=principal.actor)
    except DomainError as exc:
        get_session().rollback()
        return _page(exc.status, problems=_problems(exc), form=form)
    return _page(summary=summary)


@blp.post("/admin/invitations/<uuid:invitation_id>/resend")
def admin_invitation_resend(invitation_id: uuid.UUID) -> Any:
    principal = admin()
    try:
        resend_invitation(invitation_id=invitation_id, channel="auto",
                          reason=request.form.get("reason", ""), actor=principal.actor)
    except DomainError as exc:
        get_session().rollback()
        return _page(exc.status, problems=_problems(exc))
    return redirect(url_for("web.admin_invitations", saved=1), code=303)
