"""Per-enterprise notification preferences: channels, language, addresses, webhook secret.

Without a row an enterprise gets the in-app inbox only, in zh-CN: push channels need an
address the enterprise gave us. The webhook secret is stored so the sender can sign; the API
never returns it (write-only).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON
from sqlalchemy import DateTime
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from notify.db import Base
from notify.db import utcnow

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
