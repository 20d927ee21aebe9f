"""Auth sessions: rotating refresh tokens and browser sessions, stored as token hashes.

Both are opaque 256-bit random tokens; only their SHA-256 is stored, so a database leak
yields nothing usable. Refresh tokens rotate: each use revokes the row and issues a new one in
the same ``family``; presenting a revoked token again means it was stolen, and the whole
family is revoked. A browser session carries its CSRF token (synchronizer pattern).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import Uuid
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from gateway.models import Base
from gateway.models.accounts import Account
from yumiao_common.clock import utcnow


class SessionKind(StrEnum):
    REFRESH = "refresh"
    BROWSER = "browser"


class AuthSession(Base):
    __tablename__ = "auth_sessions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    account_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    family_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    csrf_token: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    account: Mapped[Account] = relationship(lazy="joined")
