"""Start a re-evaluation phase outside the request that asked for it.

The request answers 202 at once with the job; the work runs in a daemon thread of the same
process with its own sessions and persists its progress, so the client polls
``GET /reevaluations/{id}``. A process that dies mid-job leaves the job in its running state;
``flask --app scoring.app reevaluation-run <id>`` resumes it (each phase is restartable: the
preview rewrites its impact, the activation is one transaction).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

Phase = Callable[..., None]

#: Phases started by this process and not yet finished (see ``wait_for_running``).
_RUNNING: set[threading.Thread] = set()
_RUNNING_LOCK = threading.Lock()


def launch(phase: Phase, job_id: uuid.UUID, *args: Any) -> threading.Thread:
    """Run ``phase(session_factory, job_id, *args)`` in a daemon thread."""
    factory: sessionmaker[Session] = current_app.extensions["scoring.session_factory"]

    def run() -> None:
        try:
            phase(factory, job_id, *args)
        finally:
            with _RUNNING_LOCK:
                _RUNNING.discard(threading.current_thread())

    thread = threading.Thread(target=run, name=f"reevaluation-{job_id}", daemon=True)
    with _RUNNING_LOCK:
        _RUNNING.add(thread)
    thread.start()
    return thread


def wait_for_running(timeout: float) -> bool:
    """Wait until every phase this process started has finished; False if some still run.

    A worker being shut down, or a test about to empty the tables, must not pull the rows
    from under a phase still writing them (that is a deadlock on PostgreSQL, not an error
    of the phase).
    """
    deadline = time.monotonic() + timeout
    while True:
        with _RUNNING_LOCK:
            running = list(_RUNNING)
        if not running:
            return True
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        running[0].join(remaining)
