"""The outbox and inbox tables behave the same on SQLite and PostgreSQL.

Rows are written in the caller's transaction (a rollback leaves nothing) and the inbox claims
each message id once per consumer, including a duplicate inside one bulk claim.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime

import pytest
from sqlalchemy import Engine
from sqlalchemy import Table
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from yumiao_common.contracts.events import parse_event
from yumiao_common.contracts.registry import PipelineMoved
from yumiao_common.db.engine import make_engine
from yumiao_common.db.engine import make_metadata
from yumiao_common.messaging.inbox import claim
from yumiao_common.messaging.inbox import claim_many
from yumiao_common.messaging.inbox import define_inbox_table
from yumiao_common.messaging.outbox import add_event
from yumiao_common.messaging.outbox import add_events
from yumiao_common.messaging.outbox import define_outbox_table

pytestmark = pytest.mark.integration


def moved(n: int = 0) -> PipelineMoved:
    return PipelineMoved.model_validate(
        {
            "payload": {
                "uscc": "91371500614071479T", "enterprise_name": f"企业{n}", "pool": "hnte_reserve",
                "from_stage": "nominated", "to_stage": "screened", "actor": "test",
                "moved_at": datetime.now(UTC),
            }
        }
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(
    request: pytest.FixtureRequest,
    make_sqlite_url: Callable[[str], str],
    make_pg_database: Callable[[str], str],
) -> Iterator[Engine]:
    url = make_sqlite_url("tables") if request.param == "sqlite" else make_pg_database("tables")
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def tables(engine: Engine) -> tuple[Table, Table]:
    metadata = make_metadata()
    outbox, inbox = define_outbox_table(metadata), define_inbox_table(metadata)
    metadata.create_all(engine)
    return outbox, inbox


def count(session: Session, table: Table) -> int:
    return int(session.execute(select(func.count()).select_from(table)).scalar_one())


def test_outbox_row_holds_the_whole_envelope(engine: Engine, tables: tuple[Table, Table]) -> None:
    outbox, _ = tables
    event = moved()
    with sessionmaker(engine).begin() as session:
        add_event(session, outbox, event)
    with Session(engine) as session:
        row = session.execute(select(outbox)).one()
    assert row.id == event.id and row.type == event.type and row.published_at is None
    assert parse_event(json.dumps(row.payload)) == event


def test_rolled_back_transaction_leaves_no_outbox_row(
    engine: Engine, tables: tuple[Table, Table]
) -> None:
    outbox, _ = tables
    with Session(engine) as session:
        add_events(session, outbox, [moved(i) for i in range(5)])
        session.rollback()
        assert count(session, outbox) == 0


def test_inbox_claims_each_message_once_per_consumer(
    engine: Engine, tables: tuple[Table, Table]
) -> None:
    _, inbox = tables
    first, second = uuid.uuid4(), uuid.uuid4()
    with sessionmaker(engine).begin() as session:
        assert claim(session, inbox, first, "c1") is True
        assert claim(session, inbox, first, "c1") is False
        assert claim(session, inbox, first, "c2") is True
        assert claim_many(session, inbox, [first, second, second], "c1") == {second}
