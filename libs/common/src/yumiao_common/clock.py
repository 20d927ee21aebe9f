"""The one clock every service reads: timezone-aware UTC now.

Row timestamps (a callable column default, so every row gets its own instant), event times,
token and session expiry all come from here. Aware UTC compares alike on PostgreSQL
(``timestamptz``) and SQLite, and one definition is one place to read when a change or a test
has to reason about "now".
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime


def utcnow() -> datetime:
    """Timezone-aware now in UTC."""
    return datetime.now(UTC)
