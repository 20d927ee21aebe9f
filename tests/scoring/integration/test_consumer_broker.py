"""The consumer over the real broker: an EnterpriseChanged published on ``yumiao.events`` is
stored and evaluated; the same message delivered again changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pika
import pytest
from consumer_runs import consume
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from scoring.consumer import QUEUE
from scoring.consumer import handle_batch
from scoring.models import Evaluation
from scoring.models import inbox
from scoring.models import outbox
from yumiao_common.contracts.profile import TIER_KEYS
from yumiao_common.contracts.registry import EnterpriseChanged
from yumiao_common.messaging.consumer import Consumer
from yumiao_common.messaging.topology import consumer_queue
from yumiao_common.messaging.topology import declare_topology

pytestmark = pytest.mark.integration


def publish(amqp_url: str, event: EnterpriseChanged, times: int) -> None:
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = connection.channel()
    channel.confirm_delivery()
    for _ in range(times):
        channel.basic_publish(
            "yumiao.events",
            event.type,
            event.model_dump_json().encode(),
            pika.BasicProperties(
                message_id=str(event.id), delivery_mode=2, content_type="application/json"
            ),
        )
    connection.close()


def consume_deliveries(amqp_url: str, factory: sessionmaker[Session], deliveries: int) -> int:
    """Consume until ``deliveries`` messages reached the consumer; the number it applied."""
    consumer = Consumer(amqp_url, consumer_queue(QUEUE), factory, inbox, handle_batch)
    consume(consumer, deliveries)
    return consumer.handled


def test_published_snapshot_is_evaluated_once_even_when_delivered_twice(
    make_amqp_vhost: Callable[[], str],
    factory: sessionmaker[Session],
    make_profile: Callable[..., dict[str, Any]],
    enterprise_changed: Callable[..., EnterpriseChanged],
) -> None:
    amqp_url = make_amqp_vhost()
    declare_topology(amqp_url)
    profile = make_profile()
    uscc = profile["enterprise"]["uscc"]
    event = enterprise_changed(profile)
    publish(amqp_url, event, times=2)  # a duplicate, as after a relay crash
    assert consume_deliveries(amqp_url, factory, deliveries=2) == 1
    with factory() as session:
        stored = session.scalar(
            select(func.count()).select_from(Evaluation).where(Evaluation.uscc == uscc)
        )
        events = [
            p
            for p in session.execute(select(outbox.c.payload)).scalars()
            if p["payload"]["uscc"] == uscc
        ]
    assert stored == len(TIER_KEYS)
    publish(amqp_url, event, times=1)  # redelivered later: the inbox makes it a no-op
    assert consume_deliveries(amqp_url, factory, deliveries=1) == 0
    with factory() as session:
        again = [
            p
            for p in session.execute(select(outbox.c.payload)).scalars()
            if p["payload"]["uscc"] == uscc
        ]
    assert len(again) == len(events)
