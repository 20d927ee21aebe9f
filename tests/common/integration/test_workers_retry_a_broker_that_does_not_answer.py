"""A broker that accepts the connection but does not finish the AMQP handshake in time (a
loaded RabbitMQ) is retried by the consumer and the relay like a refused connection.

pika raises that handshake timeout as ``AMQPConnectorStackTimeout``, which is not an
``AMQPError``; the worker processes used to die of it, and ``make up`` (the e2e stack) stops
every process when one exits. Here a socket that never speaks AMQP stands in for the busy
broker, with a short ``stack_timeout``: the worker must connect again, and stop cleanly.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Table
from sqlalchemy.orm import sessionmaker

from yumiao_common.db.engine import make_engine
from yumiao_common.db.engine import make_metadata
from yumiao_common.messaging.backoff import Backoff
from yumiao_common.messaging.consumer import Consumer
from yumiao_common.messaging.inbox import define_inbox_table
from yumiao_common.messaging.outbox import define_outbox_table
from yumiao_common.messaging.relay import RelayConfig
from yumiao_common.messaging.relay import run_relay
from yumiao_common.messaging.topology import CONSUMERS

pytestmark = pytest.mark.integration

class SilentBroker:
    """Accepts TCP connections and never answers; counts the attempts."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.accepted: list[socket.socket] = []
        self.url = (f"amqp://guest:guest@127.0.0.1:{self.sock.getsockname()[1]}/%2F"
                    "?stack_timeout=0.5&connection_attempts=1")
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self) -> None:
        self.sock.close()
        for conn in self.accepted:
            conn.close()

@pytest.fixture
def broker() -> Iterator[SilentBroker]:
    silent = SilentBroker()
    yield silent
    silent.close()

@pytest.fixture
def tables(make_sqlite_url: Callable[[str], str]) -> tuple[Any, Table, Table]:
    metadata = make_metadata()
    outbox, inbox = define_outbox_table(metadata), define_inbox_table(metadata)
    engine = make_engine(make_sqlite_url("silent-broker"))
    metadata.create_all(engine)
    return engine, outbox, inbox

def _retries_then_stops(broker: SilentBroker, run: Callable[[], int],
                        stop: Callable[[], None]) -> None:
    codes: list[int] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            codes.append(run())
        except BaseException as exc:  # noqa: BLE001 - the test reports what killed the worker
            errors.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    deadline = threading.Event()
    for _ in range(1200):  # up to 60 s for a third attempt (handshake 0.5 s, back-off ≤ 1 s)
        if len(broker.accepted) >= 3 or not thread.is_alive():
            break
        deadline.wait(0.05)
    stop()
    thread.join(30)
    assert not errors, f"the worker died of {errors[0]!r}"
    assert len(broker.accepted) >= 3 and not thread.is_alive() and codes == [0]

def test_the_consumer_connects_again_after_a_handshake_timeout(
    broker: SilentBroker, tables: tuple[Any, Table, Table],
) -> None:
    engine, _, inbox = tables

    consumer = Consumer(broker.url, CONSUMERS[0], sessionmaker(engine), inbox,
                        lambda session, events: None, backoff=Backoff(base=0.2, cap=1.0))
    _retries_then_stops(broker, consumer.run, consumer.stop)

def test_the_relay_connects_again_after_a_handshake_timeout(
    broker: SilentBroker, tables: tuple[Any, Table, Table],
) -> None:
    engine, outbox, _ = tables
    stop = threading.Event()
    _retries_then_stops(
        broker,
        lambda: run_relay(broker.url, engine, outbox, RelayConfig(poll_interval=0.05),
                          backoff=Backoff(base=0.2, cap=1.0), stop_event=stop),
        stop.set)
