"""The keeper's side of a service's ledger: :class:`SqlParkingLedger` on its ``parked_messages``.

The shared :class:`~yumiao_common.messaging.parking.ParkingKeeper` (run by a consumer when its
queue is quiet) drains the broker's parking queues into it and publishes the rows the bureau
asked to replay, on the consumer's confirmed publishing channel, to the queue the message was
parked from; gunicorn workers only read rows and flip their status.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from yumiao_common.clock import utcnow
from yumiao_common.messaging.parking import ParkedMessage

#: Replays published per keeper tick (the rest wait for the next one).
REPLAY_BATCH = 500


class SqlParkingLedger:
    """:class:`~yumiao_common.messaging.parking.ParkingLedger` on a service's ledger ``model``
    (a mapped :class:`~yumiao_common.parking.models.ParkedMessageColumns`)."""

    def __init__(self, sessions: sessionmaker[Session], model: Any) -> None:
        self.sessions, self.model = sessions, model

    def record(self, message: ParkedMessage) -> None:
        """Insert the message, or park its row again (same message id), and commit."""
        model = self.model
        with self.sessions.begin() as session:
            row = session.scalar(select(model).where(model.message_id == message.message_id))
            if row is None:
                row = model(message_id=message.message_id, source_queue=message.queue)
                session.add(row)
            row.routing_key, row.headers, row.body = message.type, message.headers, message.body
            row.reason, row.status, row.parked_at = message.error, "parked", utcnow()
            row.attempts = message.attempts

    def replay_due(self, publish: Callable[[ParkedMessage], None]) -> None:
        """Publish the rows the bureau asked to replay, mark them replayed, commit."""
        model = self.model
        with self.sessions.begin() as session:
            rows = session.scalars(select(model).where(
                model.status == "replay_requested").limit(REPLAY_BATCH))
            for row in rows:
                publish(ParkedMessage(row.message_id, row.routing_key, row.body, row.attempts,
                                      row.reason, dict(row.headers), queue=row.source_queue))
                row.status, row.replayed_at = "replayed", utcnow()
