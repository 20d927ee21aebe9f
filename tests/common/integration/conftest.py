"""Fixtures for the messaging tests: a database with outbox, inbox and an effect table, a
fresh vhost per test, and helpers to run relays and consumers in threads.

Built on the root conftest's ``make_pg_database``, ``make_sqlite_url`` and ``make_amqp_vhost``.
The ``effects`` table deliberately has no unique key on ``message_id``: a duplicate effect
must show up as a second row, not be hidden by a constraint.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Column
from sqlalchemy import Engine
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Table
from sqlalchemy import Uuid
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from yumiao_common.contracts.base import Event
from yumiao_common.contracts.registry import PipelineMoved
from yumiao_common.db.engine import make_engine
from yumiao_common.db.engine import make_metadata
from yumiao_common.messaging.backoff import Backoff
from yumiao_common.messaging.consumer import Consumer
from yumiao_common.messaging.consumer import ConsumerConfig
from yumiao_common.messaging.consumer import Handler
from yumiao_common.messaging.inbox import define_inbox_table
from yumiao_common.messaging.outbox import add_events
from yumiao_common.messaging.outbox import define_outbox_table
from yumiao_common.messaging.relay import RelayConfig
from yumiao_common.messaging.relay import run_relay
from yumiao_common.messaging.topology import ConsumerQueue


@dataclass
class Db:
    engine: Engine
    outbox: Table
    inbox: Table
    effects: Table
    session_factory: sessionmaker[Session]

    def write(self, events: Iterable[Event]) -> list[Event]:
        """Commit events to the outbox in one business transaction."""
        events = list(events)
        with self.session_factory.begin() as session:
            add_events(session, self.outbox, events)
        return events

    def effect_ids(self) -> list[Any]:
        with Session(self.engine) as session:
            return list(session.execute(select(self.effects.c.message_id)).scalars())

    def unpublished(self) -> int:
        query = select(func.count()).where(self.outbox.c.published_at.is_(None))
        with Session(self.engine) as session:
            return int(session.execute(query).scalar_one())


def make_db(url: str) -> Db:
    metadata = make_metadata()
    outbox, inbox = define_outbox_table(metadata), define_inbox_table(metadata)
    effects = Table(
        "effects", metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("message_id", Uuid, nullable=False),
        Column("name", String(200), nullable=False),
    )
    engine = make_engine(url)
    metadata.create_all(engine)
    return Db(engine, outbox, inbox, effects, sessionmaker(engine, expire_on_commit=False))


@pytest.fixture
def pg_db(make_pg_database: Callable[[str], str]) -> Iterator[Db]:
    db = make_db(make_pg_database("messaging"))
    yield db
    db.engine.dispose()


@pytest.fixture(params=["postgresql", "sqlite"])
def any_db(
    request: pytest.FixtureRequest,
    make_pg_database: Callable[[str], str],
    make_sqlite_url: Callable[[str], str],
) -> Iterator[Db]:
    url = make_pg_database("messaging") if request.param == "postgresql" else make_sqlite_url("m")
    db = make_db(url)
    yield db
    db.engine.dispose()


@dataclass
class Bus:
    """One test's corner of the run's vhost: its own exchange and consumer queue.

    Own names instead of a vhost per test (creating one costs ~1.5 s of ``rabbitmqctl``);
    the queue has a fast retry ladder: 3 attempts, then parking.
    """

    url: str
    queue: ConsumerQueue

    @property
    def exchange(self) -> str:
        return self.queue.exchange

    def relay(self, db: Db, **config: Any) -> int:
        config.setdefault("once", True)
        relay_config = RelayConfig(exchange=self.exchange, **config)
        return run_relay(self.url, db.engine, db.outbox, relay_config, registry=[self.queue],
                         backoff=Backoff(base=0.2, cap=2.0))


@pytest.fixture
def make_bus() -> Callable[[str], Bus]:
    """Factory: a test's own exchange and queue on the vhost at ``amqp_url``."""
    def make(amqp_url: str) -> Bus:
        uid = uuid.uuid4().hex[:8]
        queue = ConsumerQueue(f"test.{uid}", ("registry.pipeline.moved",),
                              retry_delays=(0.1, 0.2), exchange=f"test.events.{uid}")
        return Bus(amqp_url, queue)
    return make


@pytest.fixture
def bus(amqp_url: str, make_bus: Callable[[str], Bus]) -> Bus:
    return make_bus(amqp_url)


def moved(n: int, name: str | None = None) -> PipelineMoved:
    return PipelineMoved.model_validate(
        {"payload": {"uscc": "91371500614071479T", "enterprise_name": name or f"企业{n}",
                     "pool": "hnte_reserve", "from_stage": "nominated", "to_stage": "screened",
                     "actor": "test", "moved_at": datetime.now(UTC)}}
    )


def recording_handler(db: Db, fail_on: str | None = None, calls: list[str] | None = None
                      ) -> Handler:
    """Writes one effect row per event; raises for events whose name is ``fail_on``."""

    def handle(session: Session, events: list[Event]) -> None:
        for event in events:
            name = event.payload.enterprise_name  # type: ignore[attr-defined]
            if calls is not None:
                calls.append(name)
            if name == fail_on:
                raise RuntimeError(f"cannot handle {name}")
        session.execute(insert(db.effects), [
            {"message_id": e.id, "name": e.payload.enterprise_name}  # type: ignore[attr-defined]
            for e in events
        ])

    return handle


def start_consumer(db: Db, bus: Bus, handler: Handler,
                   **config: Any) -> tuple[Consumer, threading.Thread, list[int]]:
    consumer = Consumer(bus.url, bus.queue, db.session_factory, db.inbox, handler,
                        config=ConsumerConfig(**config), backoff=Backoff(base=0.2, cap=2.0))
    exit_codes: list[int] = []
    thread = threading.Thread(target=lambda: exit_codes.append(consumer.run()), daemon=True)
    thread.start()
    return consumer, thread, exit_codes


def wait_until(condition: Callable[[], bool], timeout: float = 20.0, step: float = 0.05) -> bool:
    deadline = threading.Event()
    timer = threading.Timer(timeout, deadline.set)
    timer.start()
    try:
        while not deadline.is_set():
            if condition():
                return True
            deadline.wait(step)
        return condition()
    finally:
        timer.cancel()


class Kit:
    """The helpers above, handed to tests as a fixture (test modules cannot import conftest
    under ``--import-mode=importlib``)."""

    moved = staticmethod(moved)
    recording_handler = staticmethod(recording_handler)
    start_consumer = staticmethod(start_consumer)
    wait_until = staticmethod(wait_until)


@pytest.fixture
def kit() -> Kit:
    return Kit()
