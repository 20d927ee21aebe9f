"""The declarative base of scoring's tables, on Yumiao's constraint naming convention."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from yumiao_common.db.engine import make_metadata


class Base(DeclarativeBase):
    """Every scoring model; its metadata names every constraint (identical on SQLite and PG)."""

    metadata = make_metadata()
