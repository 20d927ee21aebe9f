"""The event envelope of architecture.md, common to every message on ``yumiao.events``."""

from __future__ import annotations

import uuid

from pydantic import AwareDatetime
from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import Field

from yumiao_common.clock import utcnow


class Event(BaseModel):
    """Envelope: ``type`` is also the routing key; ``payload`` is defined by each subclass.

    Consumers ignore unknown fields (``extra="ignore"``) so producers may add fields within a
    schema version without breaking older consumers.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: str
    schema_version: int
    occurred_at: AwareDatetime = Field(default_factory=utcnow)
    producer: str
    correlation_id: str | None = None
