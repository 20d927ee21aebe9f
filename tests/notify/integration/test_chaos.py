"""Chaos: 5,000 eligibility events while the consumer is SIGKILLed 3x and RabbitMQ restarts.

Real processes (``python -m notify.consumer|relay|sender``), a real broker restart and a real
signed-webhook sink. Afterwards every expected notice exists exactly once and the sink has
received each delivery exactly once (counted before any receiver-side dedupe).
Alongside, 500 more enterprises without a portal account are reached through a contact by
SMS (the local fake Alibaba Cloud provider, signature checked): each number gets exactly one
message through the same kills and restart.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
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
from sms_fake import FakeSmsProvider
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from notify.adapters.queues import RELAY_QUEUES
from notify.handlers.policies import create_policy
from notify.models.contact import ContactList
from notify.models.delivery import Delivery
from notify.models.notice import Notice
from notify.models.preference import Preference
from yumiao_common.messaging.topology import EXCHANGE
from yumiao_common.messaging.topology import declare_topology

pytestmark = [pytest.mark.integration, pytest.mark.slow]
N = 5000
N_SMS = 500
SECRET = "chaos-secret-0123456789"
SMS_KEY, SMS_SECRET = "LTAI-chaos", "chaos-sms-secret"


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
def chaos_world(sessions: sessionmaker[Session]
                ) -> Iterator[tuple[str, list[str], list[str]]]:
    tier = f"chaos_{uuid.uuid4().hex[:6]}"
    usccs = [new_uscc() for _ in range(N)]
    by_sms = [new_uscc() for _ in range(N_SMS)]
    yield tier, usccs, by_sms


def test_every_notice_once_and_every_webhook_once_through_kills_and_a_broker_restart(  # type: ignore[no-untyped-def]
    chaos_broker: Any, settings, sessions, chaos_world,
    tmp_path: Path,
) -> None:
    tier, usccs, by_sms = chaos_world
    sink = WebhookSink(SECRET)
    sms = FakeSmsProvider("aliyun", key_id=SMS_KEY, secret=SMS_SECRET, approved={"SMS_1"})
    mobiles = {u: f"139{n:08d}" for n, u in enumerate(by_sms)}
    with sessions.begin() as session:
        create_policy(session, data=dict(
            code=f"{tier}-award", trigger="eligible", tier=tier, name_zh="混沌测试奖励",
            name_en="chaos award", summary_zh="测", summary_en="t", benefit_zh="奖励",
            benefit_en="award", amount_yuan=100000, source_document="doc"),
            actor="test", reason="chaos")
        session.execute(insert(Preference), [dict(
            uscc=u, language="zh-CN", channels=["inapp", "webhook"],
            webhook_url=sink.url + "/hook", webhook_secret=SECRET, version=1) for u in usccs])
        session.execute(insert(ContactList), [dict(
            uscc=u, enterprise_name="混沌企业", version=1, contacts=[{
                "id": 1, "name": "联系人", "mobile": mobile, "sms_consent": True}])
            for u, mobile in mobiles.items()])
    amqp_url = chaos_broker.make_vhost()
    declare_topology(amqp_url, RELAY_QUEUES)
    env = os.environ | {"NOTIFY_DATABASE_URL": settings.database_url,
                        "NOTIFY_AMQP_URL": amqp_url, "NOTIFY_LOG_JSON": "false",
                        # the sink listens on loopback: the bureau's allow-list admits it
                        "NOTIFY_WEBHOOK_ALLOWED_TARGETS": '["127.0.0.1/32"]',
                        "NOTIFY_WEBHOOK_ALLOWED_PORTS": f"[{sink.url.rsplit(':', 1)[1]}]",
                        "NOTIFY_SMS_PROVIDER": "aliyun", "NOTIFY_SMS_ENDPOINT": sms.url,
                        "NOTIFY_SMS_ACCESS_KEY_ID": SMS_KEY,
                        "NOTIFY_SMS_ACCESS_KEY_SECRET": SMS_SECRET,
                        "NOTIFY_SMS_TEMPLATES": '{"eligibility": "SMS_1"}',
                        "NOTIFY_SMS_DAILY_CAP": str(10 * N_SMS)}
    procs = {m: Proc(m, env, tmp_path) for m in ("notify.consumer", "notify.relay",
                                                 "notify.sender")}
    bodies = [(str(e.id), e.model_dump_json().encode())
              for e in (eligibility(u, tier=tier) for u in [*usccs, *by_sms])]
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
        chaos_broker.restart()
        wait_for(lambda: _notices(sessions, tier) >= 3500, timeout=90)
        consumer.kill()
        consumer.start()
        wait_for(done.is_set, timeout=120)
        wait_for(lambda: _delivered(sessions, tier) == N, timeout=150)
        wait_for(lambda: _delivered(sessions, tier, "sms", "sent") == N_SMS, timeout=60)
    finally:
        for proc in procs.values():
            proc.stop()
        sink.close()
        sms.close()
    with sessions() as session:
        keys = session.execute(select(Notice.uscc, func.count()).where(Notice.tier == tier)
                               .group_by(Notice.uscc)).all()
    assert len(keys) == N + N_SMS and {n for _, n in keys} == {1}
    assert {u for u, _ in keys} == set(usccs) | set(by_sms)
    assert len(sink.received) == N and set(sink.received.values()) == {1}
    assert sink.rejected == []
    assert sorted(m["mobile"] for m in sms.sent) == sorted(mobiles.values())  # once each
    assert "signature" not in sms.refused


def _delivered(sessions: sessionmaker[Session], tier: str, channel: str = "webhook",
               state: str = "delivered") -> int:
    with sessions() as session:
        return session.scalar(
            select(func.count()).select_from(Delivery).join(Notice, Notice.id == Delivery.notice_id)
            .where(Notice.tier == tier, Delivery.channel == channel,
                   Delivery.state == state)) or 0


def _notices(sessions: sessionmaker[Session], tier: str) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(Notice)
                              .where(Notice.tier == tier)) or 0
