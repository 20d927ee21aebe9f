"""The bureau's parameter overrides as read from their table, and a per-process cache of them.

The what-if endpoint is the hot path (load-tested through gunicorn); reading the overrides
table on every request would add a database round trip to a pure computation. Each process
re-reads them at most every ``parameter_cache_seconds``; a write through this process clears
its cache at once, other processes see it within that interval (documented on the endpoint).
"""

from __future__ import annotations

import threading
import time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from scoring.models import ParameterOverride


def overrides_in_force(session: Session) -> dict[str, Any]:
    """Local parameter id → the bureau's value (absent ids use the rulebook default)."""
    rows = session.execute(select(ParameterOverride.parameter_id, ParameterOverride.value))
    return {pid: value for pid, value in rows}


class OverrideCache:
    """Overrides with a time-to-live; thread-safe for gthread workers."""

    def __init__(self, factory: sessionmaker[Session], ttl_seconds: float) -> None:
        self._factory = factory
        self._ttl = ttl_seconds
        self._lock = threading.Lock()
        self._value: dict[str, Any] = {}
        self._loaded_at = float("-inf")

    def get(self) -> dict[str, Any]:
        now = time.monotonic()
        if now - self._loaded_at < self._ttl:
            return self._value
        with self._lock, self._factory() as session:
            self._value = overrides_in_force(session)
            self._loaded_at = now
        return self._value

    def invalidate(self) -> None:
        self._loaded_at = float("-inf")
