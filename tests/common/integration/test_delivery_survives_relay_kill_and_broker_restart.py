"""Chaos: the relay is SIGKILLed mid-batch and RabbitMQ restarts; every committed event
still takes effect exactly once (re-published rows are absorbed by the consumer's inbox)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

RELAY = Path(__file__).with_name("relay_process.py")
EVENTS = 8000


def start_relay(db: Any, bus: Any, *extra: str) -> subprocess.Popen[bytes]:
    args = [str(db.engine.url.render_as_string(hide_password=False)), bus.url,
            bus.queue.name, bus.exchange, *extra]
    return subprocess.Popen([sys.executable, str(RELAY), *args], env=os.environ.copy())


@pytest.fixture
def chaos_bus(chaos_broker: Any, make_bus: Any) -> Any:
    """The test's queue on the run's own broker node, which this test restarts."""
    return make_bus(chaos_broker.make_vhost())


def test_every_event_takes_effect_once_after_relay_kill_and_broker_restart(
    pg_db: Any, chaos_bus: Any, kit: Any, chaos_broker: Any
) -> None:
    bus = chaos_bus
    events = pg_db.write(kit.moved(i) for i in range(EVENTS))
    consumer, thread, codes = kit.start_consumer(pg_db, bus, kit.recording_handler(pg_db))

    relay = start_relay(pg_db, bus)
    assert kit.wait_until(lambda: pg_db.unpublished() < EVENTS, timeout=20)
    relay.send_signal(signal.SIGKILL)
    relay.wait(10)
    assert 0 < pg_db.unpublished(), "the relay finished before it could be killed mid-stream"

    chaos_broker.restart()
    assert start_relay(pg_db, bus, "--once").wait(60) == 0
    assert kit.wait_until(lambda: len(pg_db.effect_ids()) >= EVENTS, timeout=60)
    consumer.stop()
    thread.join(10)

    effects = Counter(pg_db.effect_ids())
    assert codes == [0] and pg_db.unpublished() == 0
    assert set(effects) == {e.id for e in events} and max(effects.values()) == 1
