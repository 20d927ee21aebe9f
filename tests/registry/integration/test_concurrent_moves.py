"""Two curators move the same member at the same instant: exactly one wins.

Each thread has its own session and transaction. On PostgreSQL the move locks the enterprise
and membership rows (``SELECT … FOR UPDATE``) and then checks the version the client read, so
the second mover waits, sees the new version and gets a 409. On SQLite, writers are
serialised by the database and the ``UPDATE … WHERE version = n`` decides. Repeated for
several rounds so a lucky interleaving cannot pass it.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask.testing import FlaskClient
from registry_testkit import new_uscc
from registry_testkit import nominate
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from registry import handlers
from registry.handlers.journal import Who
from registry.models import PoolMembership
from registry.models import StageMove
from registry.models.base import outbox_table
from yumiao_common.web.errors import Conflict

pytestmark = pytest.mark.integration
ROUNDS = 5


def _mover(sessions: sessionmaker[Session], barrier: threading.Barrier, uscc: str,
           to_stage: str, outcomes: list[str]) -> None:
    with sessions() as session:
        barrier.wait()
        try:
            handlers.move(session, pool="tech_sme", uscc=uscc, to_stage=to_stage, version=1,
                          who=Who(actor=f"curator:{to_stage}", reason="并发测试"))
            session.commit()
            outcomes.append(f"won:{to_stage}")
        except (Conflict, StaleDataError) as exc:
            session.rollback()
            outcomes.append(f"lost:{type(exc).__name__}")


def _race(sessions: sessionmaker[Session], uscc: str) -> list[str]:
    outcomes: list[str] = []
    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=_mover, args=(sessions, barrier, uscc, stage, outcomes))
               for stage in ("screened", "rejected")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def _state(session: Session, uscc: str) -> tuple[Any, int, int]:
    membership = session.scalars(select(PoolMembership).join(PoolMembership.enterprise)
                                 .where(PoolMembership.pool == "tech_sme")
                                 .filter_by(uscc=uscc)).one()
    moves = session.scalar(select(func.count()).select_from(StageMove).where(
        StageMove.membership_id == membership.id, StageMove.from_stage.is_not(None))) or 0
    events = session.scalar(select(func.count()).select_from(outbox_table).where(
        outbox_table.c.type == "registry.pipeline.moved",
        outbox_table.c.payload["payload"]["uscc"].as_string() == uscc,
        outbox_table.c.payload["payload"]["from_stage"].as_string() == "nominated",
    )) or 0
    return membership, moves, events


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_concurrent_moves_leave_exactly_one_winner(
    client: FlaskClient, sessions: sessionmaker[Session], round_: int
) -> None:
    from registry_testkit import create_enterprise

    uscc = new_uscc()
    create_enterprise(client, uscc)
    nominate(client, "tech_sme", uscc)
    outcomes = _race(sessions, uscc)
    winners = [o for o in outcomes if o.startswith("won")]
    assert len(outcomes) == 2 and len(winners) == 1, outcomes
    with sessions() as session:
        membership, moves, events = _state(session, uscc)
    assert membership.stage == winners[0].split(":")[1]
    assert membership.version == 2
    assert (moves, events) == (1, 1)
