"""Optimistic concurrency, the same for every service: a stale write is a 409 ``stale_version``.

Each versioned write names the version it read (body ``version`` or ``If-Match``);
``check_version`` compares it with the one held and refuses a stale one with the same code,
message and details everywhere. Races that slip past that check (SQLAlchemy's version counter,
a unique index) are turned into 409s by ``register_conflict_handlers`` instead of 500s.
"""

from __future__ import annotations

from flask import Flask
from flask import Response
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from yumiao_common.web.errors import Conflict
from yumiao_common.web.errors import PreconditionRequired
from yumiao_common.web.errors import error_response

STALE_CODE = "stale_version"
STALE_MESSAGE = ("记录已被他人修改，请刷新后重试 / "
                 "The record changed meanwhile; reload and retry")
VERSION_REQUIRED = ("需要提供版本号（请求体 version 或 If-Match） / "
                    "A version is required (body field version or If-Match)")
DUPLICATE_MESSAGE = ("记录已存在或与现有数据冲突 / "
                     "Duplicate or conflicting record")


def check_version(current: int, expected: int | None, *, required: bool = True) -> None:
    """Refuse a write whose ``expected`` version is not the ``current`` one (409).

    ``required`` writes without any version answer 428; optional ones (``required=False``)
    proceed as last-writer-wins.
    """
    if expected is None:
        if required:
            raise PreconditionRequired(VERSION_REQUIRED, fields={"version": ["必填 / required"]})
        return
    if expected != current:
        raise Conflict(STALE_MESSAGE, code=STALE_CODE,
                       details={"current_version": current, "sent_version": expected})


def register_conflict_handlers(app: Flask) -> None:
    """Races the optimistic checks cannot see beforehand end as 409, never 500."""

    @app.errorhandler(StaleDataError)
    def _stale(_exc: StaleDataError) -> tuple[Response, int]:
        return error_response(409, code=STALE_CODE, message=STALE_MESSAGE)

    @app.errorhandler(IntegrityError)
    def _integrity(_exc: IntegrityError) -> tuple[Response, int]:
        return error_response(409, code="duplicate", message=DUPLICATE_MESSAGE)
