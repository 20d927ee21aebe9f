"""Alembic environment of scoring: its metadata, run the way every service runs (batch mode)."""

from __future__ import annotations

from scoring.models import Base
from scoring.settings import Settings
from yumiao_common.db.migrations import run_env

run_env(Base.metadata, lambda: Settings().database_url)
