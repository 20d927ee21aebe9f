"""Retry policy: capped exponential back-off with full jitter.

Kept apart from the connection lifecycle classes (as pika's examples split them) so the relay
and the consumer share one policy and tests can shorten it. Jitter spreads the reconnect storm
when a broker restart drops every worker at once.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from dataclasses import field


@dataclass
class Backoff:
    """``next()`` returns the next delay in seconds; ``reset()`` after a success."""

    base: float = 0.5
    cap: float = 30.0
    jitter: bool = True
    _failures: int = field(default=0, init=False)

    def next(self) -> float:
        delay = min(self.cap, self.base * (2**self._failures))
        self._failures = min(self._failures + 1, 32)
        return random.uniform(delay / 2, delay) if self.jitter else delay

    def reset(self) -> None:
        self._failures = 0


def row_retry_delay(attempts: int, *, base: float = 1.0, cap: float = 300.0) -> float:
    """Delay before re-publishing an outbox row the broker refused ``attempts`` times."""
    return float(min(cap, base * (2 ** max(0, attempts - 1))))
