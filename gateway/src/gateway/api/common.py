"""Schemas the gateway's resources share."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from typing import Any

from marshmallow import Schema
from marshmallow import fields


class PrincipalOut(Schema):
    actor = fields.String(metadata={"description": "X-Actor value, e.g. user:curator"})
    kind = fields.String()
    name = fields.String()
    role = fields.String(allow_none=True)
    uscc = fields.String(allow_none=True)
    via = fields.String()


class UtcDateTime(fields.DateTime):
    """Timestamps with their offset, as the documented ``date-time`` requires: SQLite (``make
    up``) hands stored UTC values back naive, and those are written as UTC."""

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)
