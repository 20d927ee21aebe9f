"""Pure rules of the messaging layer: the retry ladder, parking, and the back-off policy."""

from __future__ import annotations

import pytest

from yumiao_common.messaging.backoff import Backoff
from yumiao_common.messaging.backoff import row_retry_delay
from yumiao_common.messaging.topology import CONSUMERS
from yumiao_common.messaging.topology import ConsumerQueue
from yumiao_common.messaging.topology import consumer_queue

QUEUE = ConsumerQueue("x.q", ("a.b",), retry_delays=(1.0, 10.0, 60.0))


@pytest.mark.parametrize(
    ("failure", "queue"), [(1, "x.q.retry.1"), (2, "x.q.retry.2"), (3, "x.q.retry.3"),
                           (7, "x.q.retry.3")]
)
def test_each_failure_climbs_the_retry_ladder_and_the_last_step_repeats(
    failure: int, queue: str
) -> None:
    assert QUEUE.retry_queue(failure) == queue


def test_retry_queues_dead_letter_back_to_the_main_queue_after_their_delay() -> None:
    arguments = QUEUE.queue_arguments()
    assert arguments["x.q.retry.2"]["x-message-ttl"] == 10_000
    assert arguments["x.q.retry.2"]["x-dead-letter-routing-key"] == "x.q"
    assert arguments["x.q"]["x-dead-letter-routing-key"] == "x.q.parking"
    assert all(a["x-queue-type"] == "quorum" for a in arguments.values())


def test_every_event_the_system_publishes_has_a_consumer_queue() -> None:
    bound = {key for queue in CONSUMERS for key in queue.bindings}
    assert bound >= {"registry.enterprise.changed", "registry.pipeline.moved",
                     "registry.certification.expiring", "scoring.eligibility.changed"}
    assert consumer_queue("notify.events").max_attempts == 4
    with pytest.raises(KeyError, match="known"):
        consumer_queue("nope")


def test_backoff_grows_to_its_cap_and_resets() -> None:
    backoff = Backoff(base=0.5, cap=4.0, jitter=False)
    assert [backoff.next() for _ in range(6)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    backoff.reset()
    assert backoff.next() == 0.5


def test_refused_outbox_rows_back_off_exponentially_up_to_a_cap() -> None:
    assert [row_retry_delay(n) for n in (1, 2, 3)] == [1.0, 2.0, 4.0]
    assert row_retry_delay(50) == 300.0
