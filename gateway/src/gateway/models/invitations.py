"""Invitations and one-time secrets: how an enterprise account gets (or gets back) a password.

An ``Invitation`` is the bureau's offer of an account to one firm (one row per account, kept
when it is sent again); ``status`` says where it stands for the admin's list. A
``OneTimeSecret`` is a link token (invitation, e-mail reset) or a six-digit SMS code (reset),
stored only as an HMAC, with its expiry; it works once (``used_at``), a newer one for the same
account and purpose revokes it (``revoked_at``), and a code dies after a few wrong guesses.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import Uuid
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from gateway.models import Base
from yumiao_common.clock import utcnow

#: sent (a message is on its way) · no_contact (no consenting contact: nothing sent) ·
#: send_failed (notify did not answer; send again) · accepted (the password was set)
INVITATION_STATUSES = ("sent", "no_contact", "send_failed", "accepted")
PURPOSES = ("invitation", "reset")


class Invitation(Base):
    __tablename__ = "invitations"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    account_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), unique=True)
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    enterprise_name: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16), default="sent", index=True)
    channel: Mapped[str | None] = mapped_column(String(8))
    #: The masked address the last message went to (``138****0001``, ``w***@example.com``).
    sent_to: Mapped[str | None] = mapped_column(String(120))
    #: notify's id of the last message (its delivery state is read from notify).
    message_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    sends: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OneTimeSecret(Base):
    __tablename__ = "one_time_secrets"
    __table_args__ = (Index("ix_one_time_secrets_account_purpose", "account_id", "purpose"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    account_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("accounts.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(16))
    #: "link" (a token in a URL) or "code" (six digits by SMS).
    form: Mapped[str] = mapped_column(String(8))
    #: HMAC-SHA256 of the secret under the gateway's key (a link's is unique: it finds the row).
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
