"""Chaos: 5,000 eligibility events while the consumer is SIGKILLed 3x and RabbitMQ restarts.

Real processes (``python -m notify.consumer|relay|sender``), a real broker restart and a real
signed-webhook sink. Afterwards every expected notice exists exactly once and the sink has
received each delivery exactly once (counted before any receiver-side dedupe).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pika
import pytest
from notify_testkit import WebhookSink
from notify_testkit import eligibility
from notify_testkit import new_uscc
from notify_testkit import wait_for
from pika.exceptions import AMQPError
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from notify.adapters.queues import RELAY_QUEUES
from notify.handlers.policies import create_policy
from notify.models.delivery import Delivery
from notify.models.notice import Notice
from notify.models.preference import Preference
from yumiao_common.messaging.topology import EXCHANGE
from yumiao_common.messaging.topology import declare_topology

pytestmark = [pytest.mark.integration, pytest.mark.slow]
N = 5000
SECRET = "chaos-secret-0123456789"


class Proc:
    """A notify worker process we can SIGKILL and restart."""

    def __init__(self, module: str, env: dict[str, str], log_dir: Path) -> None:
        self.module, self.env, self.log_dir = module, env, log_dir
        self.runs = 0
        self.popen: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.runs += 1
        log = open(self.log_dir / f"{self.module}.{self.runs}.log", "wb")  # noqa: SIM115
        self.popen = subprocess.Popen([sys.executable, "-m", self.module], env=self.env,
                                      stdout=log, stderr=subprocess.STDOUT)

    def kill(self) -> None:
        assert self.popen is not None
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(10)

    def stop(self) -> None:
        if self.popen and self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(10)
            except subprocess.TimeoutExpired:
                self.popen.kill()


def publish_all(amqp_url: str, bodies: list[tuple[str, bytes]], done: threading.Event) -> None:
    """Publish with confirms like a producer's relay: retry across broker restarts."""
    i, channel = 0, None
    while i < len(bodies):
        try:
            if channel is None:
                channel = pika.BlockingConnection(pika.URLParameters(amqp_url)).channel()
                channel.confirm_delivery()
            message_id, body = bodies[i]
            channel.basic_publish(EXCHANGE, "scoring.eligibility.changed", body,
                                  pika.BasicProperties(message_id=message_id, delivery_mode=2,
                                                       content_type="application/json"))
            i += 1
        except AMQPError:
            channel = None  # unconfirmed: publish again (a duplicate the inbox absorbs)
            time.sleep(0.5)
    done.set()


@pytest.fixture()
def chaos_world(sessions: sessionmaker[Session]) -> Iterator[tuple[str, list[str]]]:
    tier = f"chaos_{uuid.uuid4().hex[:6]}"
    usccs = [new_uscc() for _ in range(N)]
    yield tier, usccs


def test_every_notice_once_and_every_webhook_once_through_kills_and_a_broker_restart(  # type: ignore[no-untyped-def]
    make_amqp_vhost: Callable[[], str], rabbitmq: Any, settings, sessions, chaos_world,
    tmp_path: Path,
) -> None:
    tier, usccs = chaos_world
    sink = WebhookSink(SECRET)
    with sessions.begin() as session:
        create_policy(session, data=dict(
            code=f"{tier}-award", trigger="eligible", tier=tier, name_zh="混沌测试奖励",
            name_en="chaos award", summary_zh="测", summary_en="t", benefit_zh="奖励",
            benefit_en="award", amount_yuan=100000, source_document="doc"),
            actor="test", reason="chaos")
        session.execute(insert(Preference), [dict(
            uscc=u, language="zh-CN", channels=["inapp", "webhook"],
            webhook_url=sink.url + "/hook", webhook_secret=SECRET, version=1) for u in usccs])
    amqp_url = make_amqp_vhost()
    declare_topology(amqp_url, RELAY_QUEUES)
    env = os.environ | {"NOTIFY_DATABASE_URL": settings.database_url,
                        "NOTIFY_AMQP_URL": amqp_url, "NOTIFY_LOG_JSON": "false",
                        # the sink listens on loopback: the bureau's allow-list admits it
                        "NOTIFY_WEBHOOK_ALLOWED_TARGETS": '["127.0.0.1/32"]',
                        "NOTIFY_WEBHOOK_ALLOWED_PORTS": f"[{sink.url.rsplit(':', 1)[1]}]"}
    procs = {m: Proc(m, env, tmp_path) for m in ("notify.consumer", "notify.relay",
                                                 "notify.sender")}
    bodies = [(str(e.id), e.model_dump_json().encode())
              for e in (eligibility(u, tier=tier) for u in usccs)]
    done = threading.Event()
    try:
        for proc in procs.values():
            proc.start()
        threading.Thread(target=publish_all, args=(amqp_url, bodies, done), daemon=True).start()
        consumer = procs["notify.consumer"]
        # Strike while work is in flight: after the consumer has stored some notices.
        for stored in (300, 1500):
            wait_for(lambda n=stored: _notices(sessions, tier) >= n, timeout=60)  # type: ignore[misc]
            consumer.kill()
            consumer.start()
        wait_for(lambda: _notices(sessions, tier) >= 2500, timeout=60)
        rabbitmq.restart()
        wait_for(lambda: _notices(sessions, tier) >= 3500, timeout=90)
        consumer.kill()
        consumer.start()
        wait_for(done.is_set, timeout=120)
        wait_for(lambda: _delivered(sessions, tier) == N, timeout=150)
    finally:
        for proc in procs.values():
            proc.stop()
        sink.close()
    with sessions() as session:
        keys = session.execute(select(Notice.uscc, func.count()).where(Notice.tier == tier)
                               .group_by(Notice.uscc)).all()
    assert len(keys) == N and {n for _, n in keys} == {1} and {u for u, _ in keys} == set(usccs)
    assert len(sink.received) == N and set(sink.received.values()) == {1}
    assert sink.rejected == []


def _delivered(sessions: sessionmaker[Session], tier: str) -> int:
    with sessions() as session:
        return session.scalar(
            select(func.count()).select_from(Delivery).join(Notice, Notice.id == Delivery.notice_id)
            .where(Notice.tier == tier, Delivery.state == "delivered")) or 0


def _notices(sessions: sessionmaker[Session], tier: str) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(Notice)
                              .where(Notice.tier == tier)) or 0
