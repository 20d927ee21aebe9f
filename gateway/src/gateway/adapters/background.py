"""Work done after the answer: the message a password reset sends, off the request path.

A reset request answers the same words in the same time whether or not the account exists;
calling notify inside the request would make the existing case slower by a network round trip.
So the route queues the call here (a small thread pool per process) and answers. A lost call
(the worker recycled before it ran) means no message: the person asks again, as they would
for one lost in the post. ``wait`` lets tests (and a graceful stop) see the calls finish.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait
from typing import Any

from flask import Flask

log = logging.getLogger(__name__)
EXTENSION = "gateway.background"


class Background:
    def __init__(self, workers: int = 2) -> None:
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="after-answer")
        self._lock = threading.Lock()
        self._pending: set[Future[None]] = set()

    def submit(self, work: Callable[[], Any], what: str) -> None:
        future = self._pool.submit(self._run, work, what)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)

    @staticmethod
    def _run(work: Callable[[], Any], what: str) -> None:
        try:
            work()
        except Exception:  # noqa: BLE001 - logged; nobody waits for the answer
            log.exception("%s failed after the answer", what)

    def _done(self, future: Future[None]) -> None:
        with self._lock:
            self._pending.discard(future)

    def wait(self, timeout: float = 30.0) -> None:
        with self._lock:
            pending = set(self._pending)
        wait(pending, timeout=timeout)


def background(app: Flask) -> Background:
    """The app's background pool (made on first use)."""
    found: Background | None = app.extensions.get(EXTENSION)
    if found is None:
        found = app.extensions.setdefault(EXTENSION, Background())
    return found
