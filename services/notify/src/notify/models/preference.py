"""Per-enterprise notification preferences: channels, language, addresses, webhook secret.

Without a row an enterprise gets the in-app inbox only, in zh-CN: push channels need an
address the enterprise gave us. The webhook secret is stored so the sender can sign; the API
never returns it (write-only). Every change leaves a ``PreferenceAudit`` row: who, when, why
and what changed, with secrets redacted (see ``notify.handlers.preferences``).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import Uuid
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from notify.models.base import Base
from yumiao_common.clock import utcnow

DEFAULT_LANGUAGE = "zh-CN"
LANGUAGES = ("zh-CN", "en")
CHANNELS = ("inapp", "email", "webhook")


class Preference(Base):
    __tablename__ = "preferences"

    uscc: Mapped[str] = mapped_column(String(18), primary_key=True)
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8), default=DEFAULT_LANGUAGE)
    channels: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["inapp"])
    email: Mapped[str | None] = mapped_column(String(254))
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    webhook_secret: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(default=1)
    updated_by: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __mapper_args__ = {"version_id_col": version}

    def push_channels(self) -> list[str]:
        """Push channels that are both chosen and addressable (in-app is not a push)."""
        out = []
        if "email" in self.channels and self.email:
            out.append("email")
        if "webhook" in self.channels and self.webhook_url and self.webhook_secret:
            out.append("webhook")
        return out


class PreferenceAudit(Base):
    """Who changed an enterprise's preferences, when, why, and what changed (redacted)."""

    __tablename__ = "preference_audit"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    uscc: Mapped[str] = mapped_column(ForeignKey("preferences.uscc"))
    action: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    #: The preferences' version after this change.
    version: Mapped[int]
    #: ``{field: {"before": …, "after": …}}`` for each field that changed.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_preference_audit_uscc_at", "uscc", "at"),)
