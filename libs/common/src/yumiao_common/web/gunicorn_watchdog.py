"""Ends a gunicorn worker whose request overruns the worker timeout, so a fresh one replaces it.

Why this exists: gunicorn's arbiter kills a worker only when the worker's main loop stops
sending its heartbeat. In a ``gthread`` worker requests run in a thread pool while the main
loop keeps beating, so a request that burns CPU (a ``1E+999999`` Decimal, a decompression bomb)
held its thread, a CPU and gigabytes of memory for as long as it liked: the timeout never fired.

Every ``gunicorn.conf.py`` installs these hooks (``hooks()``): ``pre_request`` and
``post_request`` record when each request thread started, and a daemon thread started in
``post_fork`` checks twice a second. When one request has run longer than the worker's
``timeout`` it logs the request and ends the process at once with ``os._exit`` (no clean-up
that could wait on the stuck thread); the arbiter reaps it and starts a new worker — what
gunicorn's timeout does for sync workers. Other requests in flight on that worker are cut
off, exactly as with gunicorn's own timeout kill.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any

#: Exit status of a worker ended by the watchdog (not 3 or 4, which make the arbiter halt).
OVERRUN_EXIT_CODE = 70
CHECK_INTERVAL_SECONDS = 0.5

log = logging.getLogger("gunicorn.error")


class RequestWatchdog:
    """Start times of the requests in flight in this process, one per request thread."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._lock = threading.Lock()
        self._started: dict[int, tuple[float, str]] = {}

    def begin(self, what: str) -> None:
        with self._lock:
            self._started[threading.get_ident()] = (time.monotonic(), what)

    def end(self) -> None:
        with self._lock:
            self._started.pop(threading.get_ident(), None)

    def overdue(self, now: float | None = None) -> tuple[float, str] | None:
        """(seconds running, request line) of the oldest request past the timeout, or None."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            running = [(moment - started, what) for started, what in self._started.values()]
        late = [item for item in running if item[0] > self.timeout]
        return max(late) if late else None

    def watch(self, on_overrun: Callable[[float, str], None]) -> threading.Thread:
        def loop() -> None:
            while True:
                time.sleep(CHECK_INTERVAL_SECONDS)
                late = self.overdue()
                if late is not None:
                    on_overrun(*late)

        thread = threading.Thread(target=loop, name="request-watchdog", daemon=True)
        thread.start()
        return thread


def _end_worker(seconds: float, what: str) -> None:
    log.error("request ran %.1f s, past the worker timeout: ending worker %s (%s)",
              seconds, os.getpid(), what)
    for handler in log.handlers:
        handler.flush()
    os._exit(OVERRUN_EXIT_CODE)


def hooks() -> tuple[Callable[..., None], Callable[..., None], Callable[..., None]]:
    """(post_fork, pre_request, post_request) for a gunicorn.conf.py.

    The timeout is read from the worker's own configuration, so ``--timeout`` on the command
    line or the service's ``<SVC>_WORKER_TIMEOUT`` applies. A timeout of 0 (gunicorn's "never")
    disables the watchdog.
    """

    def post_fork(_server: Any, worker: Any) -> None:
        timeout = float(worker.cfg.timeout or 0)
        watchdog = RequestWatchdog(timeout)
        worker.request_watchdog = watchdog
        if timeout > 0:
            watchdog.watch(_end_worker)

    def pre_request(worker: Any, req: Any) -> None:
        watchdog = getattr(worker, "request_watchdog", None)
        if watchdog is not None:
            watchdog.begin(f"{req.method} {req.path}")

    def post_request(worker: Any, _req: Any, _environ: Any, _resp: Any) -> None:
        watchdog = getattr(worker, "request_watchdog", None)
        if watchdog is not None:
            watchdog.end()

    return post_fork, pre_request, post_request
