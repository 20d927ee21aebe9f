"""A worker loop's heartbeat: the liveness a probe can trust.

A process can be up, its HTTP port answering, while its loop is stuck (a relay waiting on a
row lock, a consumer's handler blocked on the database). Only the loop itself can say it is
making progress, so it calls :meth:`Heartbeat.beat` each time round; ``/healthz`` of the
worker port answers 503 once the last beat is older than ``stale_after`` seconds, and the
kubelet restarts the process.
"""

from __future__ import annotations

import threading
import time


class Heartbeat:
    """The monotonic time of the loop's last beat; thread-safe to read and to beat."""

    def __init__(self, stale_after: float) -> None:
        self.stale_after = stale_after
        self._lock = threading.Lock()
        self._last = time.monotonic()

    def beat(self) -> None:
        with self._lock:
            self._last = time.monotonic()

    def age(self) -> float:
        """Seconds since the last beat."""
        with self._lock:
            return time.monotonic() - self._last

    def healthy(self) -> bool:
        return self.age() <= self.stale_after
