"""The readiness read model over the real broker: scoring's eligibility event is stored once
even when delivered twice, and an older verdict never overwrites a newer one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pika
import pytest
from consumer_runs import consume
from registry_testkit import new_uscc
from round_kit import eligibility
from round_kit import feed
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from registry.consumer import QUEUE
from registry.consumer import handle
from registry.models import Readiness
from registry.models.readiness import inbox_table
from yumiao_common.contracts.scoring import EligibilityChanged
from yumiao_common.messaging.consumer import Consumer
from yumiao_common.messaging.topology import consumer_queue
from yumiao_common.messaging.topology import declare_topology

pytestmark = pytest.mark.integration


def _publish(amqp_url: str, event: EligibilityChanged, times: int) -> None:
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = connection.channel()
    channel.confirm_delivery()
    for _ in range(times):
        channel.basic_publish("yumiao.events", event.type, event.model_dump_json().encode(),
                              pika.BasicProperties(message_id=str(event.id), delivery_mode=2,
                                                   content_type="application/json"))
    connection.close()


def _verdict(sessions: sessionmaker[Session], uscc: str) -> tuple[str, str | None]:
    with sessions() as session:
        row = session.scalars(select(Readiness).where(Readiness.uscc == uscc)).one()
        return row.verdict, None if row.score is None else str(row.score)


def test_an_eligibility_event_is_stored_once(
    make_amqp_vhost: Callable[[], str], sessions: sessionmaker[Session]
) -> None:
    amqp_url = make_amqp_vhost()
    declare_topology(amqp_url)
    uscc = new_uscc()
    _publish(amqp_url, eligibility(uscc, "near", "61.5"), times=2)
    consumer = Consumer(amqp_url, consumer_queue(QUEUE), sessions, inbox_table, handle)
    consume(consumer, deliveries=2)  # both copies reach the consumer; one is applied
    assert consumer.handled == 1
    assert _verdict(sessions, uscc) == ("near", "61.50")


def test_an_older_verdict_does_not_overwrite_a_newer_one(
    sessions: sessionmaker[Session]
) -> None:
    uscc, now = new_uscc(), datetime.now(UTC)
    feed(sessions, eligibility(uscc, "eligible", "80", at=now))
    feed(sessions, eligibility(uscc, "near", "60", at=now - timedelta(hours=1)))
    assert _verdict(sessions, uscc) == ("eligible", "80.00")
    feed(sessions, eligibility(uscc, "ineligible", None, at=now + timedelta(hours=1)))
    assert _verdict(sessions, uscc) == ("ineligible", None)


def _changed_at(sessions: sessionmaker[Session], uscc: str) -> datetime:
    with sessions() as session:
        row = session.scalars(select(Readiness).where(Readiness.uscc == uscc)).one()
        return row.changed_at if row.changed_at.tzinfo else row.changed_at.replace(tzinfo=UTC)


def test_an_unchanged_verdict_announced_again_fills_a_gap_but_moves_nothing(
    sessions: sessionmaker[Session]
) -> None:
    """scoring's announce-verdicts (before == after): a missing row is filled; a row already
    holding the verdict keeps when it really changed (the worklist's 'since my last visit')."""
    held, missing, now = new_uscc(), new_uscc(), datetime.now(UTC)
    feed(sessions, eligibility(held, "near", "60", at=now - timedelta(days=30)))
    moved_at = _changed_at(sessions, held)
    again = eligibility(held, "near", "60", at=now)
    feed(sessions, again.model_copy(update={
        "payload": again.payload.model_copy(update={"before": "near"})}))
    assert _changed_at(sessions, held) == moved_at
    late = eligibility(missing, "eligible", "80", at=now)
    feed(sessions, late.model_copy(update={
        "payload": late.payload.model_copy(update={"before": "eligible"})}))
    assert _verdict(sessions, missing) == ("eligible", "80.00")


def test_a_batch_applies_its_events_in_order_as_separate_batches_would(
    sessions: sessionmaker[Session]
) -> None:
    """One consumer batch (read and locked together, written in one flush) ends where the same
    events one batch each end: a firm first seen in the batch and then moved again, an older
    event after a newer one, several tiers of one firm, and a thousand firms at once."""
    now = datetime.now(UTC)
    fresh, late, many = new_uscc(), new_uscc(), [new_uscc() for _ in range(1000)]
    feed(sessions, eligibility(late, "eligible", "80", at=now))
    feed(sessions,
         eligibility(fresh, "near", "60", at=now),
         eligibility(fresh, "eligible", "75", at=now + timedelta(minutes=1)),
         eligibility(fresh, "ineligible", None, tier="tech_sme", at=now),
         eligibility(late, "near", "55", at=now - timedelta(hours=1)),
         *(eligibility(uscc, "near", "61", at=now) for uscc in many))
    assert _verdict(sessions, late) == ("eligible", "80.00")
    with sessions() as session:
        rows = {(r.uscc, r.tier): (r.verdict, r.score) for r in session.scalars(
            select(Readiness).where(Readiness.uscc.in_([fresh, late, *many])))}
    assert rows[(fresh, "hnte")][0] == "eligible" and str(rows[(fresh, "hnte")][1]) == "75.00"
    assert rows[(fresh, "tech_sme")] == ("ineligible", None)
    assert sum(1 for (uscc, _t), (verdict, _s) in rows.items()
               if uscc in set(many) and verdict == "near") == 1000
