"""What notify knows of each enterprise's contacts: the registry's latest contact list.

Kept whole per enterprise as ``registry.contacts.changed`` carries it (event-carried state),
with its version so an older snapshot arriving late never overwrites a newer one. Personal
data: the API never lists these; the sender reads them to reach a firm without a portal
account, honouring each contact's consent and opt-out per channel.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import Date
from sqlalchemy import DateTime
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from notify.models.base import Base
from yumiao_common.clock import utcnow


class ContactList(Base):
    __tablename__ = "contact_lists"

    uscc: Mapped[str] = mapped_column(String(18), primary_key=True)
    enterprise_name: Mapped[str] = mapped_column(String(200))
    version: Mapped[int]
    #: The contacts as the event carries them (``yumiao_common.contracts.registry.Contact``).
    contacts: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SmsUsage(Base):
    """SMS sent per day (China Standard Time): ``key`` ``*`` counts all, a number its own."""

    __tablename__ = "sms_usage"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    key: Mapped[str] = mapped_column(String(11), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
