"""scoring's parking ledger over the real broker: a profile snapshot the consumer keeps
failing on is parked after its attempts, listed with its type and reason, replayed once on
request (a second request is a 409) and applied once the cause is gone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from parking_runs import listed
from parking_runs import publish
from parking_runs import quick
from parking_runs import replay_once
from parking_runs import run_until
from parking_runs import unknown_is_404
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from scoring.consumer import QUEUE
from scoring.consumer import handle_batch
from scoring.models import EnterpriseProfile
from scoring.models import ParkedMessage
from scoring.models import inbox
from yumiao_common.contracts.base import Event
from yumiao_common.messaging.topology import consumer_queue

pytestmark = pytest.mark.integration
PREFIX = "/api/v1/parking/scoring"


def _profiles(factory: sessionmaker[Session], uscc: str) -> int:
    with factory() as session:
        return int(session.scalar(select(func.count()).select_from(EnterpriseProfile).where(
            EnterpriseProfile.uscc == uscc)) or 0)


def _status(factory: sessionmaker[Session], message_id: str) -> str | None:
    with factory() as session:
        return session.scalar(select(ParkedMessage.status).where(
            ParkedMessage.message_id == message_id))


def test_a_failing_profile_snapshot_is_parked_listed_and_replayed_once(
    make_amqp_vhost: Callable[[], str], factory: sessionmaker[Session], client: FlaskClient,
    make_profile: Callable[..., dict[str, Any]], enterprise_changed: Callable[..., Event],
) -> None:
    amqp_url, queue = make_amqp_vhost(), quick(consumer_queue(QUEUE))
    profile = make_profile()
    uscc = profile["enterprise"]["uscc"]
    event = enterprise_changed(profile)
    publish(amqp_url, queue, event)
    tries: list[int] = []

    def broken(session: Session, events: list[Event]) -> None:
        tries.append(len(events))
        raise RuntimeError("profile read model under maintenance")

    message_id = str(event.id)
    run_until(amqp_url, queue, factory, inbox, broken, ParkedMessage,
              lambda: _status(factory, message_id) == "parked")
    assert len(tries) == queue.max_attempts and _profiles(factory, uscc) == 0

    row = listed(client, PREFIX, message_id)
    assert row is not None
    assert row["routing_key"] == "registry.enterprise.changed"
    assert "under maintenance" in row["reason"] and row["attempts"] == queue.max_attempts
    detail = client.get(f"{PREFIX}/{row['id']}").get_json()
    assert uscc in detail["body"]

    replayed = replay_once(client, PREFIX, row["id"])
    assert replayed["status"] == "replay_requested"
    assert replayed["replay_requested_by"] == "user:admin" and "修复后" in replayed["replay_reason"]
    unknown_is_404(client, PREFIX)

    run_until(amqp_url, queue, factory, inbox, handle_batch, ParkedMessage,
              lambda: _profiles(factory, uscc) == 1)
    assert _status(factory, message_id) == "replayed"
    assert _profiles(factory, uscc) == 1
