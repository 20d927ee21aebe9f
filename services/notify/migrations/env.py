"""Alembic environment of the notify: its metadata, run as every service runs (batch mode)."""

from __future__ import annotations

import notify.models  # noqa: F401 - registers every table on Base.metadata
from notify.models.base import Base
from notify.settings import Settings
from yumiao_common.db.migrations import run_env

run_env(Base.metadata, lambda: Settings().database_url)
