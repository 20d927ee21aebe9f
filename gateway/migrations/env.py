"""Alembic environment of the gateway: its metadata, run the way every service runs (batch mode).

The fallback URL is read from the environment, not from ``Settings``: building the gateway's
settings demands its secret key, which migrating does not need.
"""

from __future__ import annotations

import os

from gateway.models import Base
from yumiao_common.db.migrations import run_env

run_env(Base.metadata, lambda: os.environ.get("GATEWAY_DATABASE_URL", "sqlite:///gateway.db"))
