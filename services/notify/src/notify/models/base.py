"""notify's declarative base: one MetaData with Yumiao's constraint naming convention."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from yumiao_common.db.engine import make_metadata


class Base(DeclarativeBase):
    """Every notify table hangs off this metadata (Alembic autogenerates against it)."""

    metadata = make_metadata()
