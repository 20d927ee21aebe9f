"""Marshmallow field types every service's API shares.

``UtcDateTime``: timestamps are served with their offset, as the documented RFC 3339
``date-time`` requires. SQLite (``make up``, the e2e stack) hands ``DateTime(timezone=True)``
columns back naive; every stored timestamp is UTC, so a naive one is written (and read) as UTC
rather than without an offset.
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from typing import Any

from marshmallow import fields


class UtcDateTime(fields.AwareDateTime):
    """An RFC 3339 timestamp with its offset; naive values are UTC both ways."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(default_timezone=UTC, **kwargs)

    def _serialize(self, value: datetime | None, attr: str | None, obj: Any,
                   **kwargs: Any) -> Any:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)
