"""Contact persons of an enterprise: who the bureau reaches, how, and what they agreed to.

Personal data: ``mobile`` (normalised 11-digit mainland number) and ``email`` are shown in full
only to the bureau's curators and admins and to the enterprise itself; viewers, audit diffs
and logs see them masked (``yumiao_common.personal_data``). A channel may be used only with
consent and without an opt-out; an opt-out is kept (not turned back into "no consent") so the
record shows the person refused.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from registry.models.base import Base
from yumiao_common.clock import utcnow

#: At most this many contacts per enterprise (a short list the bureau can keep current).
MAX_CONTACTS = 20


class Contact(Base):
    """One contact person of one enterprise."""

    __tablename__ = "enterprise_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str | None] = mapped_column(String(100))
    mobile: Mapped[str | None] = mapped_column(String(11))
    email: Mapped[str | None] = mapped_column(String(254))
    sms_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    sms_opt_out: Mapped[bool] = mapped_column(Boolean, default=False)
    email_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    email_opt_out: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    __mapper_args__ = {"version_id_col": version}
