"""The ``parked_messages`` table, declared once for every service's own metadata.

gunicorn workers never talk AMQP, so a consumer's parking keeper drains the broker's parking
queues into this table (insert by message id, then ack) and republishes the rows the bureau
asked to replay. Nothing parked is lost: it is in the queue until it is in this table. A
service maps it on its own ``Base`` (``class ParkedMessage(ParkedMessageColumns, Base)``) so the
row commits in the service's database and its alembic history owns the table.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import DateTime
from sqlalchemy import LargeBinary
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import Uuid
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from yumiao_common.clock import utcnow

#: parked → replay_requested → replayed (parked again if the replay fails its attempts too)
STATUSES = ("parked", "replay_requested", "replayed")
TABLE = "parked_messages"


class ParkedMessageColumns:
    """The columns of a parked message; mixed into a service's declarative ``Base``."""

    __tablename__ = TABLE

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    message_id: Mapped[str] = mapped_column(String(100), unique=True)
    source_queue: Mapped[str] = mapped_column(String(200))
    routing_key: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    headers: Mapped[dict[str, Any]] = mapped_column(JSON)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(20), default="parked")
    #: Who asked for the replay and why (the audit of the one state change a person makes).
    replay_requested_by: Mapped[str | None] = mapped_column(String(200))
    replay_reason: Mapped[str | None] = mapped_column(Text)
    parked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    replayed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
