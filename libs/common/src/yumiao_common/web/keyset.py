"""Keyset pages over SQL in the project's one pagination dialect (moved here from notify so
every service's ledgers and lists page the same way).

The dialect (``yumiao_common.web.pagination``: ``limit`` 1–200, opaque ``cursor``, answer
``{"items", "next_cursor", "total"}``) replaces page numbers, whose ``OFFSET`` made a huge page
number a 500 and a deep page a full scan. Each list declares its stable order as ``Key``s (the
last one unique); the cursor carries the last row's values of those keys, is decoded against
them (a cursor of another list, or one edited by hand, is a 422 naming ``cursor``) and becomes
the ``WHERE`` that continues strictly after that row.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy import Select
from sqlalchemy import and_
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.orm import Session

from yumiao_common.web.errors import ValidationFailed
from yumiao_common.web.pagination import BAD_CURSOR
from yumiao_common.web.pagination import decode_cursor
from yumiao_common.web.pagination import encode_cursor


@dataclass(frozen=True)
class Key:
    """One column of a list's stable order and how its value travels inside a cursor."""

    name: str
    column: InstrumentedAttribute[Any]
    descending: bool
    dump: Callable[[Any], str]
    load: Callable[[str], Any]

    def order(self) -> ColumnElement[Any]:
        return self.column.desc() if self.descending else self.column.asc()

    def after(self, value: Any) -> ColumnElement[bool]:
        return self.column < value if self.descending else self.column > value


def timestamp_key(name: str, column: InstrumentedAttribute[Any], *, descending: bool) -> Key:
    return Key(name, column, descending, lambda v: v.isoformat(), datetime.fromisoformat)


def uuid_key(name: str, column: InstrumentedAttribute[Any]) -> Key:
    return Key(name, column, False, str, uuid.UUID)


def text_key(name: str, column: InstrumentedAttribute[Any]) -> Key:
    return Key(name, column, False, str, str)


def ordered(stmt: Select[Any], keys: Sequence[Key]) -> Select[Any]:
    return stmt.order_by(*(key.order() for key in keys))


def keyset_page(session: Session, stmt: Select[Any], keys: Sequence[Key], *, limit: int,
                cursor: str | None) -> dict[str, Any]:
    """One page of ``stmt`` (filters only, unordered) in the order of ``keys``.

    ``total`` counts every match of ``stmt``, whatever the cursor.
    """
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    page = ordered(stmt, keys)
    if cursor is not None:
        page = page.where(_continues_after(keys, _decode(cursor, keys)))
    rows = list(session.scalars(page.limit(limit + 1)))
    items, more = rows[:limit], len(rows) > limit
    next_cursor = None
    if more and items:
        last = items[-1]
        next_cursor = encode_cursor({k.name: k.dump(getattr(last, k.column.key)) for k in keys})
    return {"items": items, "next_cursor": next_cursor, "total": total or 0}


def _decode(cursor: str, keys: Sequence[Key]) -> dict[str, Any]:
    raw = decode_cursor(cursor, {key.name: str for key in keys}) or {}
    values: dict[str, Any] = {}
    for key in keys:
        try:
            values[key.name] = key.load(str(raw[key.name]))
        except ValueError as exc:
            raise ValidationFailed(fields={"cursor": [BAD_CURSOR]}) from exc
    return values


def _continues_after(keys: Sequence[Key], values: dict[str, Any]) -> ColumnElement[bool]:
    """Rows strictly after the cursor's row: (k1 after v1) or (k1 = v1 and k2 after v2) …"""
    branches = []
    for i, key in enumerate(keys):
        equal = [prev.column == values[prev.name] for prev in keys[:i]]
        branches.append(and_(*equal, key.after(values[key.name])))
    return or_(*branches)
