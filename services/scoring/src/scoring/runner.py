"""Start a re-evaluation phase outside the request that asked for it.

The request answers 202 at once with the job; the work runs in a daemon thread of the same
process with its own sessions and persists its progress, so the client polls
``GET /reevaluations/{id}``. A process that dies mid-job leaves the job in its running state;
``flask --app scoring.app reevaluation-run <id>`` resumes it (each phase is restartable: the
preview rewrites its impact, the activation is one transaction).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

Phase = Callable[..., None]


def launch(phase: Phase, job_id: uuid.UUID, *args: Any) -> threading.Thread:
    """Run ``phase(session_factory, job_id, *args)`` in a daemon thread."""
    factory: sessionmaker[Session] = current_app.extensions["scoring.session_factory"]
    thread = threading.Thread(
        target=phase, args=(factory, job_id, *args), name=f"reevaluation-{job_id}", daemon=True
    )
    thread.start()
    return thread
