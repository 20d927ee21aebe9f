"""registry's parking ledger over the real broker, on SQLite and PostgreSQL: a readiness event
the consumer keeps failing on is parked after its attempts, listed with its type and reason,
replayed once on request (a second request is a 409) and applied once the cause is gone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from parking_runs import listed
from parking_runs import publish
from parking_runs import quick
from parking_runs import replay_once
from parking_runs import run_until
from parking_runs import unknown_is_404
from registry_testkit import new_uscc
from round_kit import eligibility
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from registry.consumer import QUEUE
from registry.consumer import handle
from registry.models import ParkedMessage
from registry.models import Readiness
from registry.models.readiness import inbox_table
from yumiao_common.contracts.base import Event
from yumiao_common.messaging.topology import consumer_queue

pytestmark = pytest.mark.integration
PREFIX = "/api/v1/parking/registry"


def _readiness_rows(sessions: sessionmaker[Session], uscc: str) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Readiness).where(
            Readiness.uscc == uscc)) or 0)


def _status(sessions: sessionmaker[Session], message_id: str) -> str | None:
    with sessions() as session:
        return session.scalar(select(ParkedMessage.status).where(
            ParkedMessage.message_id == message_id))


def test_a_failing_readiness_event_is_parked_listed_and_replayed_once(
    make_amqp_vhost: Callable[[], str], sessions: sessionmaker[Session], client: FlaskClient,
) -> None:
    amqp_url, queue = make_amqp_vhost(), quick(consumer_queue(QUEUE))
    uscc = new_uscc()
    event = eligibility(uscc, "near", "61.5")
    publish(amqp_url, queue, event)
    tries: list[int] = []

    def locked(session: Session, events: list[Event]) -> None:
        tries.append(len(events))
        raise RuntimeError("readiness table locked by a migration")

    message_id = str(event.id)
    run_until(amqp_url, queue, sessions, inbox_table, locked, ParkedMessage,
              lambda: _status(sessions, message_id) == "parked")
    assert len(tries) == queue.max_attempts and _readiness_rows(sessions, uscc) == 0

    row = listed(client, PREFIX, message_id)
    assert row is not None
    assert row["routing_key"] == "scoring.eligibility.changed"
    assert "readiness table locked" in row["reason"] and row["attempts"] == queue.max_attempts
    detail = client.get(f"{PREFIX}/{row['id']}").get_json()
    assert uscc in detail["body"]  # what it is about, readable as text

    replayed = replay_once(client, PREFIX, row["id"])
    assert replayed["status"] == "replay_requested"
    assert replayed["replay_requested_by"] == "user:admin" and "修复后" in replayed["replay_reason"]
    unknown_is_404(client, PREFIX)

    run_until(amqp_url, queue, sessions, inbox_table, handle, ParkedMessage,
              lambda: _readiness_rows(sessions, uscc) == 1)
    assert _status(sessions, message_id) == "replayed"
    assert _readiness_rows(sessions, uscc) == 1
