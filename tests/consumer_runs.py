"""Run a test's consumer until it has taken the deliveries the test published, then stop it.

Stopping a consumer after a quiet spell (``idle_stop`` of a second or two) stands for "it has
consumed everything" only while the broker delivers promptly. On a loaded machine — a full run,
quorum queues recovering after a chaos test restarted the broker — a delivery can come later
than that: the consumer stops early and the test sees too few events, or a 30 s join gives up
on a slow one. Here the test says how many deliveries it expects (duplicates included, so a
test of deduplication still sees the duplicate reach the consumer), waits for exactly that
with a generous deadline, and only then stops the consumer (after the batch in hand is acked).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

from yumiao_common.messaging.consumer import Delivery
from yumiao_common.messaging.consumer import QueueConsumer
from yumiao_common.messaging.consumer import Verdict

#: Long enough for a loaded machine; a consumer that works returns long before.
DEADLINE = 180.0


class _CountingHandler:
    """The consumer's own handler, counting the deliveries it has been given verdicts for."""

    def __init__(self, consumer: QueueConsumer) -> None:
        self.handler, self.seen = consumer.handler, 0

    def __call__(self, deliveries: list[Delivery]) -> Sequence[Verdict]:
        verdicts = self.handler(deliveries)
        self.seen += len(deliveries)
        return verdicts


def consume(consumer: QueueConsumer, deliveries: int, *, timeout: float = DEADLINE) -> None:
    """Run ``consumer`` in a thread until its handler has had ``deliveries`` deliveries, then
    stop it; fail naming the queue if that takes longer than ``timeout`` seconds."""
    counting = _CountingHandler(consumer)
    consumer.handler = counting
    thread = threading.Thread(target=consumer.run, name=f"test-consumer-{consumer.name}",
                              daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    try:
        while counting.seen < deliveries and thread.is_alive():
            if time.monotonic() > deadline:
                raise AssertionError(f"{consumer.queue.name}: {counting.seen} of {deliveries} "
                                     f"deliveries handled in {timeout:.0f}s")
            time.sleep(0.05)
    finally:
        consumer.stop()
        thread.join(timeout)
    assert not thread.is_alive(), f"{consumer.queue.name}: the consumer did not stop"
    assert counting.seen >= deliveries, (
        f"{consumer.queue.name}: the consumer exited after {counting.seen} of {deliveries}")
