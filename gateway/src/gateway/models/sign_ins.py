"""Sign-in history: who signed in (or tried to) from where and when.

``SignIn`` rows are written for every password check of an existing account at sign-in (API,
browser, web form), successful or not, with the client address as the gateway sees it (behind
``GATEWAY_TRUSTED_PROXY_COUNT`` proxies, the one the outermost trusted proxy saw). Attempts on
user names that do not exist belong to no account and are not kept. The account shows its
own history (``/api/v1/me/sign-ins``); admins see anyone's.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import Uuid
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from gateway.models import Base
from yumiao_common.clock import utcnow


class SignIn(Base):
    __tablename__ = "sign_ins"
    __table_args__ = (Index("ix_sign_ins_account_at", "account_id", "at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    account_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("accounts.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ip: Mapped[str] = mapped_column(String(64))
    success: Mapped[bool] = mapped_column(Boolean)
    #: "api" (bearer tokens), "browser" (session cookie over the API), "web" (sign-in page).
    method: Mapped[str] = mapped_column(String(16))
    user_agent: Mapped[str] = mapped_column(String(200), default="")

