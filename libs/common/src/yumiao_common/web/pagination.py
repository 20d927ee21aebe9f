"""The one pagination dialect of every Yumiao list (registry, scoring, notify, gateway).

Query: ``limit`` (1–200, default 50) and ``cursor`` (opaque, ≤ 512 characters; absent = the
first page). Answer: ``{"items": [...], "next_cursor": "<opaque>" | null, "total": n | null}``
(``total`` counts every match where the service counts; null where it does not).

Cursors are keyset positions (the sort key of the last row served) so pages stay stable while
rows are added and cost the same however deep a client pages. They are base64url-encoded JSON
objects, opaque to clients and never trusted: ``decode_cursor`` checks the encoding, the keys
and the type of every value and answers a 422 naming ``cursor`` otherwise — a forged cursor can
shift where a page starts, nothing more.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any
from typing import TypeVar

from marshmallow import RAISE
from marshmallow import Schema
from marshmallow import fields
from marshmallow import validate

from yumiao_common.web.errors import ValidationFailed

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_CURSOR = 512
MAX_TEXT_IN_CURSOR = 200
LIMIT_HELP = (f"每页条数，1–{MAX_LIMIT}，缺省 {DEFAULT_LIMIT} / Items per page, 1–{MAX_LIMIT}, "
              f"default {DEFAULT_LIMIT}")
CURSOR_HELP = ("上一页返回的 next_cursor，原样传回；缺省为第一页 / The previous page's "
               "next_cursor, passed back unchanged; absent = the first page. Opaque.")
BAD_CURSOR = "无效的分页游标，请从第一页重新开始 / Invalid cursor; start again from the first page"

CursorValue = int | str
T = TypeVar("T")


def limit_field(**kw: Any) -> Any:
    return fields.Integer(load_default=DEFAULT_LIMIT,
                          validate=validate.Range(min=1, max=MAX_LIMIT),
                          metadata={"description": LIMIT_HELP}, **kw)


def cursor_field(**kw: Any) -> Any:
    return fields.String(load_default=None, validate=validate.Length(min=1, max=MAX_CURSOR),
                         metadata={"description": CURSOR_HELP}, **kw)


class PageQuerySchema(Schema):
    """``limit`` and ``cursor``; a list's own filters subclass it."""

    class Meta:
        unknown = RAISE

    limit = limit_field()
    cursor = cursor_field()


def page_schema(item: type[Schema] | Schema, *, name: str) -> type[Schema]:
    """The answer of one page of ``item`` (a component named ``name``)."""
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item), required=True),
        "next_cursor": fields.String(required=True, allow_none=True, metadata={
            "description": "下一页的游标，最后一页为 null / Cursor of the next page; null on the "
                           "last page"}),
        "total": fields.Integer(required=True, allow_none=True, metadata={
            "description": "匹配总数（不计数时为 null）/ Count of all matches (null where not "
                           "counted)"}),
    }, name=name)


def encode_cursor(position: Mapping[str, CursorValue]) -> str:
    """The opaque cursor of a keyset position (e.g. ``{"id": 42}``)."""
    raw = json.dumps(dict(position), separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, shape: Mapping[str, type]) -> dict[str, CursorValue] | None:
    """The position ``cursor`` names (None for the first page), or a 422 naming ``cursor``.

    ``shape`` maps each key the position must have to ``int`` or ``str``.
    """
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        position = json.loads(raw.decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise _bad_cursor() from None
    if not isinstance(position, dict) or set(position) != set(shape):
        raise _bad_cursor()
    for key, kind in shape.items():
        if not _is_kind(position[key], kind):
            raise _bad_cursor()
    return position


def sequence_page(rows: Sequence[T], *, key: Callable[[T], CursorValue], kind: type,
                  limit: int, cursor: str | None) -> dict[str, Any]:
    """One page of a short list held in memory (a catalogue: pools, towns, rulebooks…).

    A catalogue is small, but it answers in the same dialect as every other list, so a
    client pages everything one way and a catalogue that grows never changes its contract.
    ``rows`` are in their stable order and ``key`` is unique among them; the cursor carries
    the key of the last row served. A cursor naming no row of the list is a 422 naming
    ``cursor`` (the catalogue changed, or the cursor was forged): start again.
    """
    start = 0
    position = decode_cursor(cursor, {"after": kind})
    if position is not None:
        keys = [key(row) for row in rows]
        if position["after"] not in keys:
            raise _bad_cursor()
        start = keys.index(position["after"]) + 1
    items = list(rows[start:start + limit])
    more = start + limit < len(rows)
    return {"items": items, "total": len(rows),
            "next_cursor": encode_cursor({"after": key(items[-1])}) if more and items else None}


def _is_kind(value: Any, kind: type) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool) and \
            -(2**63) < value < 2**63
    return isinstance(value, str) and len(value) <= MAX_TEXT_IN_CURSOR and "\x00" not in value


def _bad_cursor() -> ValidationFailed:
    return ValidationFailed(fields={"cursor": [BAD_CURSOR]})
