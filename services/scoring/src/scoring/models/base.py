"""The declarative base of scoring's tables, on Yumiao's constraint naming convention."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

from sqlalchemy.orm import DeclarativeBase

from yumiao_common.db import make_metadata


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Every scoring model; its metadata names every constraint (identical on SQLite and PG)."""

    metadata = make_metadata()
