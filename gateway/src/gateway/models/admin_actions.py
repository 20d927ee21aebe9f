"""What an admin did through the gateway, who did it and why: the admin pages' audit trail.

Account changes live in the gateway's own tables, and a parking replay is a request the gateway
makes of a service whose API takes no reason; either way the bureau must later be able to read
who changed what and why, so each such act is one row here, written in the same transaction as
the change it records (a replay: after the service accepted it).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import DateTime
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import Uuid
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from gateway.models import Base
from yumiao_common.clock import utcnow


class AdminAction(Base):
    __tablename__ = "admin_actions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    #: e.g. ``account.create``, ``account.role``, ``account.disable``, ``parking.replay``
    action: Mapped[str] = mapped_column(String(40))
    #: What it acted on: ``account:<id>``, ``parking:<service>:<id>``
    target: Mapped[str] = mapped_column(String(200), index=True)
    reason: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
