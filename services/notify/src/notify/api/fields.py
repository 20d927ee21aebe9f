"""Field types notify's schemas share: timestamps always with their offset, bounded numbers.

SQLite (``make up``, the e2e stack) hands timestamps back without their zone, and marshmallow
writes a naive value without an offset — not an RFC 3339 ``date-time``, which the document
promises. Every stored timestamp is UTC, so a naive one is written as UTC; a naive one given
in a query is read as UTC too.
"""

from __future__ import annotations

from typing import Any

from marshmallow import fields
from marshmallow import validate

#: Yuan, as the registry bounds money (``registry.api.fields.MAX_MONEY``): a quadrillion.
MAX_YUAN = 10**15
#: Optimistic-lock versions are INTEGER columns.
MAX_VERSION = 2**31 - 1




class StrictBoolean(fields.Boolean):
    """A JSON ``true``/``false`` only: ``1``, ``"yes"`` or ``"true"`` in a body are refused."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


def query_boolean(**kwargs: Any) -> fields.Boolean:
    """``true`` or ``false`` in a query string, as documented (not ``1``, ``yes``, ``on``)."""
    return fields.Boolean(truthy={"true"}, falsy={"false"}, **kwargs)


def version_field(*, minimum: int = 1, **kwargs: Any) -> fields.Integer:
    """The version a write was based on (optimistic locking): an INTEGER column's range."""
    return fields.Integer(strict=True, validate=validate.Range(min=minimum, max=MAX_VERSION),
                          **kwargs)
