"""Keyset cursors of the registry's lists: the last id served, in the shared dialect.

Every registry list pages by ascending primary key, so one position shape (``{"id": n}``)
serves them all; ``yumiao_common.web.pagination`` encodes it and refuses anything else (422 naming
``cursor``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from yumiao_common.web.pagination import decode_cursor
from yumiao_common.web.pagination import encode_cursor


def after_id(cursor: str | None) -> int:
    """The last id the previous page served (0 on the first page)."""
    position = decode_cursor(cursor, {"id": int})
    return int(position["id"]) if position else 0


def id_cursor(last_id: int | None) -> str | None:
    return None if last_id is None else encode_cursor({"id": last_id})


def after_int(cursor: str | None, name: str) -> int | None:
    """The last value of unique int column ``name`` served (None on the first page), for a
    list ordered by something else than its id (financials by fiscal year, snapshots by
    year)."""
    position = decode_cursor(cursor, {name: int})
    return int(position[name]) if position else None


def next_int_cursor(rows: Sequence[Any], limit: int, name: str) -> str | None:
    """The cursor after ``rows[limit - 1]`` by its ``name`` when more rows follow."""
    return encode_cursor({name: getattr(rows[limit - 1], name)}) if len(rows) > limit else None


def next_id_cursor(rows: Sequence[Any], limit: int) -> str | None:
    """The cursor after ``rows[limit - 1]`` when a ``limit + 1``-th row shows more follow."""
    return id_cursor(rows[limit - 1].id) if len(rows) > limit else None
