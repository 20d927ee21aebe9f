"""notify's queues: the events it consumes and its own delivery work queue.

``notify.deliveries`` is a quorum queue bound to ``notify.delivery.requested`` on
``yumiao.events`` (the outbox relay publishes there), with the same retry ladder (TTL queues
dead-lettering back) and parking queue as every consumer queue. It is notify-internal, so it
is declared here and handed to the relay, not added to ``yumiao_common``'s CONSUMERS.
"""

from __future__ import annotations

from notify.domain.messages import DELIVERY_ROUTING_KEY
from yumiao_common.messaging.topology import CONSUMERS
from yumiao_common.messaging.topology import ConsumerQueue
from yumiao_common.messaging.topology import consumer_queue

DELIVERY_QUEUE = ConsumerQueue(
    "notify.deliveries", (DELIVERY_ROUTING_KEY,), retry_delays=(1.0, 5.0, 30.0, 120.0),
)
EVENTS_QUEUE = consumer_queue("notify.events")
#: What notify's relay declares before publishing (shared consumers + notify's own queue).
RELAY_QUEUES: tuple[ConsumerQueue, ...] = (*CONSUMERS, DELIVERY_QUEUE)
#: The queues whose parked messages the bureau sees in ``/api/v1/parking``.
PARKED_QUEUES: tuple[ConsumerQueue, ...] = (DELIVERY_QUEUE, EVENTS_QUEUE)
