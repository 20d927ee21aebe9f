"""A consumer whose dedupe is its own state check (notify's sender) hands the base a batch
handler that says, per message, ack, retry at a step, or park with a reason; the base does the
publishing, acking and parking the same way as for inbox consumers. Its parking keeper drains
the parked messages into a ledger and replays what a person asked for, once."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from collections.abc import Sequence
from typing import Any

import pytest

from yumiao_common.messaging.backoff import Backoff
from yumiao_common.messaging.consumer import ACK
from yumiao_common.messaging.consumer import ConsumerConfig
from yumiao_common.messaging.consumer import Delivery
from yumiao_common.messaging.consumer import Park
from yumiao_common.messaging.consumer import QueueConsumer
from yumiao_common.messaging.consumer import Retry
from yumiao_common.messaging.consumer import Verdict
from yumiao_common.messaging.parking import ParkedMessage
from yumiao_common.messaging.parking import ParkingKeeper

pytestmark = pytest.mark.integration


class Fates:
    """Ack "ok"; retry "later" once at step 1; park "never" until it is allowed."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.allow_never = False

    def __call__(self, deliveries: list[Delivery]) -> Sequence[Verdict]:
        verdicts: list[Verdict] = []
        for delivery in deliveries:
            name = delivery.event.payload.enterprise_name  # type: ignore[union-attr]
            self.calls[name] += 1
            if name == "later" and self.calls[name] == 1:
                verdicts.append(Retry("busy elsewhere", attempt=1))
            elif name == "never" and not self.allow_never:
                verdicts.append(Park("收件方不存在 / no such receiver"))
            else:
                verdicts.append(ACK)
        return verdicts


class MemoryLedger:
    """A ledger in memory: what a service's table would hold."""

    def __init__(self) -> None:
        self.parked: dict[str, ParkedMessage] = {}
        self.requested: list[str] = []
        self.replayed: list[str] = []
        self.lock = threading.Lock()

    def record(self, message: ParkedMessage) -> None:
        with self.lock:
            self.parked[str(message.message_id)] = message

    def replay_due(self, publish: Callable[[ParkedMessage], None]) -> None:
        with self.lock:
            due, self.requested = self.requested, []
            for message_id in due:
                publish(self.parked[message_id])
                self.replayed.append(message_id)


def test_each_message_meets_the_fate_its_handler_gave_and_a_parked_one_replays_once(
    pg_db: Any, bus: Any, kit: Any
) -> None:
    ok, later, never = (kit.moved(i, name) for i, name in enumerate(("ok", "later", "never")))
    pg_db.write([ok, later, never])
    assert bus.relay(pg_db) == 0
    fates, ledger = Fates(), MemoryLedger()
    keeper = ParkingKeeper(ledger, [bus.queue], interval=0.05)
    consumer = QueueConsumer(bus.url, bus.queue, fates, config=ConsumerConfig(idle_stop=3.0),
                             backoff=Backoff(base=0.2, cap=2.0), on_idle=[keeper])
    codes: list[int] = []
    thread = threading.Thread(target=lambda: codes.append(consumer.run()), daemon=True)
    thread.start()

    assert kit.wait_until(lambda: str(never.id) in ledger.parked, timeout=15)
    parked = ledger.parked[str(never.id)]
    assert parked.error == "收件方不存在 / no such receiver" and parked.queue == bus.queue.name
    assert kit.wait_until(lambda: fates.calls["later"] == 2, timeout=15)

    fates.allow_never = True
    with ledger.lock:
        ledger.requested.append(str(never.id))
    assert kit.wait_until(lambda: fates.calls["never"] == 2, timeout=15)
    consumer.stop()
    thread.join(10)

    assert codes == [0]
    assert fates.calls == Counter({"ok": 1, "later": 2, "never": 2})
    assert ledger.replayed == [str(never.id)] and list(ledger.parked) == [str(never.id)]
