"""Schemas the gateway's resources share."""

from __future__ import annotations

from marshmallow import Schema
from marshmallow import fields


class PrincipalOut(Schema):
    actor = fields.String(metadata={"description": "X-Actor value, e.g. user:curator"})
    kind = fields.String()
    name = fields.String()
    role = fields.String(allow_none=True)
    uscc = fields.String(allow_none=True)
    via = fields.String()


