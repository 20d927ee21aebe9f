"""Timestamps served with their offset, as the documented RFC 3339 ``date-time`` requires.

SQLite (``make up``, the e2e stack) hands ``DateTime(timezone=True)`` columns back naive;
every stored timestamp is UTC, so a naive one is written as UTC rather than without an offset.
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from typing import Any

from marshmallow import fields


class UtcDateTime(fields.DateTime):
    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)
