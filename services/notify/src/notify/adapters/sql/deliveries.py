"""The sender's database side: load, claim and settle a batch of deliveries in bulk.

Claiming is the "state check before send": ``UPDATE … SET state='sending' WHERE state IN
('queued','failed') OR (state='sending' AND lease expired) RETURNING id``, committed before
any network call. A delivery already sent or delivered is never claimed again, so a
duplicated or redelivered message sends nothing. A fresh ``sending`` lease belongs to
another sender that may still be sending: the message is deferred, not dropped.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from typing import Any

from sqlalchemy import Table
from sqlalchemy import and_
from sqlalchemy import bindparam
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from notify.adapters.sql.bulk import one_of
from notify.adapters.sql.notice_status import refresh_notice_status
from notify.domain.links import notice_url
from notify.domain.links import with_link
from notify.models.delivery import Delivery
from notify.models.notice import ACCOUNT_KINDS
from notify.models.notice import Notice
from notify.models.preference import Preference
from yumiao_common.clock import utcnow

LEASE = timedelta(minutes=2)


@dataclass(frozen=True)
class Job:
    """Everything a channel needs to push one delivery, read in the claim transaction."""

    delivery_id: uuid.UUID
    notice_id: uuid.UUID
    channel: str
    target: str
    attempts: int
    subject: str
    body: str
    payload: bytes
    secret: str | None
    #: The X-Request-ID of the change that caused the notice (logged with every push line).
    correlation_id: str | None = None
    #: "" for the enterprise's own address, ``contact:<id>`` for one of its contacts.
    recipient: str = ""
    uscc: str = ""
    kind: str = ""
    #: SMS template parameters, in template order: (name, value).
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Outcome:
    job: Job
    ok: bool
    permanent: bool = False
    error: str | None = None  #: the coarse reason the enterprise may read
    detail: str | None = None  #: the bureau's precise reason (logs and parking only)
    provider_ref: str | None = None  #: the SMS provider's message id (its receipt names it)


def claim(session: Session, ids: list[uuid.UUID], now: datetime) -> list[uuid.UUID]:
    """Mark claimable deliveries ``sending`` (attempts + 1); returns the ids claimed."""
    if not ids:
        return []
    claimable = or_(
        Delivery.state.in_(("queued", "failed")) & Delivery.failure.is_distinct_from("permanent"),
        and_(Delivery.state == "sending", Delivery.updated_at < now - LEASE),
    )
    stmt = (
        update(Delivery).where(one_of(session, Delivery.id, ids), claimable)
        .values(state="sending", attempts=Delivery.attempts + 1, updated_at=now)
        .returning(Delivery.id)
    )
    return list(session.execute(stmt, execution_options={"synchronize_session": False}).scalars())


def states(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    stmt = select(Delivery.id, Delivery.state).where(one_of(session, Delivery.id, ids))
    rows = session.execute(stmt)
    return {i: s for i, s in rows}


def load_jobs(session: Session, ids: list[uuid.UUID], *, public_url: str | None = None
              ) -> list[Job]:
    """Plain columns (no ORM entities: a batch is a few hundred rows on every sender pass).

    With the site's ``public_url`` an e-mail ends with the link to its notice in the portal
    and a webhook payload carries it as ``url``.
    """
    stmt = (
        select(Delivery.id.label("delivery_id"), Delivery.channel, Delivery.target,
               Delivery.attempts, Delivery.correlation_id, Delivery.recipient,
               Notice.id.label("notice_id"),
               Notice.uscc,
               Notice.enterprise_name, Notice.kind, Notice.policy_code, Notice.language,
               Notice.subject, Notice.body, Notice.amount_yuan, Notice.deadline, Notice.cause,
               Notice.template_version, Notice.created_at, Preference.webhook_secret)
        .join(Notice, Notice.id == Delivery.notice_id)
        .outerjoin(Preference, Preference.uscc == Notice.uscc)
        .where(one_of(session, Delivery.id, ids))
    )
    return [_job(r, notice_url(public_url, r.notice_id, r.kind, r.cause))
            for r in session.execute(stmt)]


def _job(r: Any, url: str | None) -> Job:
    account = r.kind in ACCOUNT_KINDS  # a one-time link or code: it carries its own link
    body = (with_link(r.body, r.language, url, r.kind) if r.channel == "email" and not account
            else r.body)
    return Job(r.delivery_id, r.notice_id, r.channel, r.target, r.attempts, r.subject, body,
               webhook_payload(r, url) if r.channel == "webhook" else b"", r.webhook_secret,
               r.correlation_id, r.recipient, r.uscc, r.kind,
               _sms_params(r) if r.channel == "sms" else ())


def _sms_params(r: Any) -> tuple[tuple[str, str], ...]:
    """Template parameters: ``name`` and ``subject``; an account message's own (the gateway's
    ``sms_params``: ``name`` and ``code`` or ``link``)."""
    if r.kind in ACCOUNT_KINDS:
        params = (r.cause or {}).get("sms_params") or {}
        return tuple((str(k), str(v)) for k, v in params.items())
    return (("name", r.enterprise_name), ("subject", r.subject))


def webhook_payload(row: Any, url: str | None = None) -> bytes:
    """The JSON a webhook receives, from a ``load_jobs`` row (``url``: the notice in the
    portal, null when the site's public address is not configured)."""
    doc = {
        "delivery_id": str(row.delivery_id), "notice_id": str(row.notice_id), "uscc": row.uscc,
        "enterprise_name": row.enterprise_name, "kind": row.kind,
        "policy_code": row.policy_code, "language": row.language,
        "subject": row.subject, "body": row.body, "amount_yuan": row.amount_yuan,
        "deadline": row.deadline.isoformat() if row.deadline else None,
        "cause": row.cause, "template_version": row.template_version,
        "created_at": row.created_at.isoformat(), "correlation_id": row.correlation_id,
        "url": url,
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


def settle(session: Session, outcomes: list[Outcome], max_attempts: int) -> None:
    """Record each outcome and refresh the notices' status; the caller commits."""
    if not outcomes:
        return
    now = utcnow()
    rows = []
    for o in outcomes:
        exhausted = not o.ok and not o.permanent and o.job.attempts >= max_attempts
        state = ("delivered" if o.job.channel == "webhook" else "sent") if o.ok else "failed"
        failure = None if o.ok else ("permanent" if o.permanent or exhausted else "temporary")
        error = o.error if not exhausted else f"{o.error}; 重试次数用尽 / attempts exhausted"
        rows.append({"b_id": o.job.delivery_id, "state": state, "failure": failure,
                     "last_error": error, "sent_at": now if o.ok else None, "updated_at": now,
                     "provider_ref": o.provider_ref})
    table: Table = Delivery.__table__  # type: ignore[assignment]
    stmt = update(table).where(table.c.id == bindparam("b_id"))
    session.connection().execute(stmt, rows)
    refresh_notice_status(session, [o.job.notice_id for o in outcomes])


def is_exhausted(outcome: Outcome, max_attempts: int) -> bool:
    return not outcome.ok and (outcome.permanent or outcome.job.attempts >= max_attempts)
