"""Waiting, in a test, until another PostgreSQL session of the same database blocks on a lock.

Race tests hold one write uncommitted, start the competing one in a thread, and must know it
has reached the lock before they commit the first: sleeping a guessed time is either slow or
flaky, while ``pg_stat_activity`` says when it waits.
"""

from __future__ import annotations

import threading

from sqlalchemy import text
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

_WAITING = text(
    "SELECT count(*) FROM pg_stat_activity"
    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
)


def wait_until_blocked(sessions: sessionmaker[Session], who: str, *, seconds: float = 10) -> None:
    """Return once a session of this database waits on a lock; fail naming ``who`` if none
    does within ``seconds``."""
    for _ in range(int(seconds / 0.025)):
        with sessions() as session:
            if session.execute(_WAITING).scalar_one():
                return
        threading.Event().wait(0.025)
    raise AssertionError(f"{who} never waited on the lock")
