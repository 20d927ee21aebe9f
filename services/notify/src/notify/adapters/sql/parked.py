"""notify's parking ledger for the shared keeper: the common ``SqlParkingLedger`` on
``parked_messages`` (the sender runs the keeper when its queue is quiet)."""

from __future__ import annotations

from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from notify.models.parked import ParkedMessage
from yumiao_common.parking import ledger
from yumiao_common.parking.ledger import REPLAY_BATCH

__all__ = ["REPLAY_BATCH", "SqlParkingLedger"]


class SqlParkingLedger(ledger.SqlParkingLedger):
    """The shared ledger bound to notify's table."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        super().__init__(sessions, ParkedMessage)
