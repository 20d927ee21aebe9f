"""Alembic environment of the registry: its metadata, run as every service runs (batch mode)."""

from __future__ import annotations

import registry.models  # noqa: F401 - registers every table on Base.metadata
from registry.models.base import Base
from registry.settings import Settings
from yumiao_common.db.migrations import run_env

run_env(Base.metadata, lambda: Settings().database_url)
