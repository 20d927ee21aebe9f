"""Two notify senders never claim the same delivery (the claim that lets the sender scale out).

Two real PostgreSQL sessions claim the same deliveries at the same moment: the first holds its
claim uncommitted while the second (in a thread) blocks on the rows; after the first commits,
the second's conditional UPDATE re-checks the state and claims none of them.
"""

from __future__ import annotations

import threading
import uuid
from datetime import UTC
from datetime import datetime

import pytest
from flask.testing import FlaskClient
from notify_testkit import expiring
from notify_testkit import new_uscc
from notify_testkit import put_prefs
from pg_locks import wait_until_blocked
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from notify.adapters.sql import deliveries as delivery_store
from notify.domain.templates import TemplateSet
from notify.handlers.notices import process_events
from notify.models.delivery import Delivery
from notify.models.notice import Notice

pytestmark = pytest.mark.integration


def _deliveries(sessions: sessionmaker[Session], client: FlaskClient, n: int) -> list[uuid.UUID]:
    usccs = [new_uscc() for _ in range(n)]
    for uscc in usccs:
        put_prefs(client, uscc, channels=["email"], email=f"{uscc}@example.com")
    with sessions.begin() as session:
        process_events(session, [expiring(u) for u in usccs], templates=TemplateSet(),
                       weekly_cap=10)
    with sessions() as session:
        stmt = select(Delivery.id).join(Notice, Notice.id == Delivery.notice_id)
        ids = list(session.scalars(stmt.where(Notice.uscc.in_(usccs))))
    assert len(ids) == n
    return ids


def test_two_senders_claiming_the_same_deliveries_at_once_split_them(
    sessions: sessionmaker[Session], client: FlaskClient
) -> None:
    ids = _deliveries(sessions, client, 3)
    first = sessions()
    first.begin()
    claimed_first = delivery_store.claim(first, ids, datetime.now(UTC))
    claimed_second: list[uuid.UUID] = []

    def second() -> None:
        with sessions.begin() as session:
            claimed_second.extend(delivery_store.claim(session, ids, datetime.now(UTC)))

    worker = threading.Thread(target=second)
    worker.start()
    wait_until_blocked(sessions, "the second sender")
    first.commit()
    first.close()
    worker.join(timeout=30)
    assert not worker.is_alive()
    assert sorted(claimed_first) == sorted(ids) and claimed_second == []
    with sessions() as session:
        attempts = session.scalars(select(Delivery.attempts).where(Delivery.id.in_(ids)))
        assert list(attempts) == [1, 1, 1]  # claimed once each, not twice
