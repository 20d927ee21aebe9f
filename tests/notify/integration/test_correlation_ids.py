"""Notices and deliveries record the correlation id (X-Request-ID) of the change that caused
them: in their rows, in the API, on the delivery message and in the sender's log lines, each
its own even when one consumer batch carries changes from several requests (issue 10 item 3)."""

from __future__ import annotations

import io
import json
import logging
import threading
import uuid
from collections.abc import Callable
from collections.abc import Iterator

import pika
import pytest
from flask.testing import FlaskClient
from notify_testkit import expiring
from notify_testkit import new_uscc
from notify_testkit import wait_for
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from notify import sender as sender_process
from notify.adapters.queues import DELIVERY_QUEUE
from notify.adapters.queues import RELAY_QUEUES
from notify.adapters.sql.deliveries import Job
from notify.domain.messages import DeliveryRequested
from notify.domain.messages import DeliveryRequestedPayload
from notify.domain.templates import TemplateSet
from notify.handlers.notices import process_events
from notify.models.messaging import outbox_table
from notify.models.notice import Notice
from notify.models.parked import ParkedMessage
from notify.sender import Sender
from notify.settings import Settings
from yumiao_common.logging import JsonFormatter
from yumiao_common.messaging.topology import declare_topology

pytestmark = pytest.mark.integration
SECRET = "robot-secret-0123456789"
VIEWER = {"X-Actor": "user:viewer"}


def save_hook(client: FlaskClient, uscc: str) -> None:
    resp = client.put(f"/api/v1/enterprises/{uscc}/preferences",
                      headers={"X-Actor": f"enterprise:{uscc}"}, json={
                          "language": "zh-CN", "channels": ["webhook"],
                          "webhook_url": "https://hooks.example.com/yumiao",
                          "webhook_secret": SECRET})
    assert resp.status_code == 200, resp.json


def test_each_notice_and_delivery_keeps_the_correlation_id_of_its_own_change(
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    first, second = new_uscc(), new_uscc()
    save_hook(client, first)
    save_hook(client, second)
    events = [expiring(first).model_copy(update={"correlation_id": "req-first-0001"}),
              expiring(second).model_copy(update={"correlation_id": "req-second-0002"})]
    with sessions.begin() as session:
        process_events(session, events, templates=TemplateSet(), weekly_cap=10)
    for uscc, request_id in ((first, "req-first-0001"), (second, "req-second-0002")):
        with sessions() as session:
            notice_id = session.scalar(select(Notice.id).where(Notice.uscc == uscc))
        detail = client.get(f"/api/v1/notices/{notice_id}", headers=VIEWER)
        assert detail.status_code == 200, detail.json
        assert detail.json["correlation_id"] == request_id
        [delivery] = detail.json["deliveries"]
        assert delivery["correlation_id"] == request_id
        listed = client.get(f"/api/v1/notices?uscc={uscc}", headers=VIEWER).json["items"]
        assert [n["correlation_id"] for n in listed] == [request_id]
        with sessions() as session:
            message = session.execute(
                select(outbox_table.c.correlation_id, outbox_table.c.payload)
                .where(outbox_table.c.payload["payload"]["delivery_id"].as_string()
                       == delivery["id"])
            ).one()
        assert message.correlation_id == request_id == message.payload["correlation_id"]


@pytest.fixture()
def sender_log() -> Iterator[io.StringIO]:
    """The sender's log lines as the JSON the operators read."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("notify"))
    logger = logging.getLogger("notify.sender")
    level = logger.level  # an earlier app may have left the root at ERROR: read every line
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_the_senders_log_line_of_a_failed_push_carries_the_correlation_id(
    settings: Settings, sessions: sessionmaker[Session], sender_log: io.StringIO
) -> None:
    sender = Sender(settings, sessions)
    job = Job(uuid.uuid4(), uuid.uuid4(), "webhook", "http://127.0.0.1:9/hook", 1, "", "", b"{}",
              SECRET, "req-push-0003")
    try:
        outcome = sender.push_one(job)
    finally:
        sender.pool.shutdown()
    assert not outcome.ok and outcome.permanent  # loopback is refused unless the bureau allows
    lines = [json.loads(line) for line in sender_log.getvalue().splitlines()]
    assert lines and all(line["request_id"] == "req-push-0003" for line in lines)
    assert str(job.delivery_id) in lines[0]["message"]


def test_the_bureau_lists_the_notices_one_request_caused(
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    request_id = f"req-list-{uuid.uuid4().hex}"
    mine, other = new_uscc(), new_uscc()
    events = [expiring(mine).model_copy(update={"correlation_id": request_id}),
              expiring(other).model_copy(update={"correlation_id": f"{request_id}-other"})]
    with sessions.begin() as session:
        process_events(session, events, templates=TemplateSet(), weekly_cap=10)
    listed = client.get(f"/api/v1/notices?correlation_id={request_id}", headers=VIEWER)
    assert listed.status_code == 200, listed.json
    assert [(n["uscc"], n["correlation_id"]) for n in listed.json["items"]] == [
        (mine, request_id)]
    too_long = client.get(f"/api/v1/notices?correlation_id={'x' * 121}", headers=VIEWER)
    assert too_long.status_code == 422
    assert "correlation_id" in too_long.json["error"]["fields"]


@pytest.fixture()
def consumer_log() -> Iterator[io.StringIO]:
    """The consumer base's log lines (the sender's retries and parkings) as JSON."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("notify"))
    logger = logging.getLogger("yumiao.consumer")
    level = logger.level  # an earlier app may have left the root at ERROR: read every line
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_the_senders_parking_line_and_ledger_row_lead_back_to_the_change(
    settings: Settings, sessions: sessionmaker[Session], make_amqp_vhost: Callable[[], str],
    consumer_log: io.StringIO,
) -> None:
    """A delivery request whose row is gone is parked; the line saying so names its change."""
    own = settings.model_copy(update={"amqp_url": make_amqp_vhost()})
    declare_topology(own.amqp_url, RELAY_QUEUES)
    message = DeliveryRequested(correlation_id="req-gone-0005", payload=DeliveryRequestedPayload(
        delivery_id=uuid.uuid4(), notice_id=uuid.uuid4(), channel="webhook"))
    connection = pika.BlockingConnection(pika.URLParameters(own.amqp_url))
    connection.channel().basic_publish("", DELIVERY_QUEUE.name, message.model_dump_json().encode(),
                                       pika.BasicProperties(message_id=str(message.id),
                                                            correlation_id="req-gone-0005",
                                                            delivery_mode=2))
    connection.close()
    consumer = sender_process.build(own, sessions, keeper_interval=0.1)
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()

    def parked() -> ParkedMessage | None:
        with sessions() as session:
            return session.scalar(select(ParkedMessage).where(
                ParkedMessage.message_id == str(message.id)))

    try:
        wait_for(lambda: parked() is not None)
    finally:
        consumer.stop()
        thread.join(10)
    row = parked()
    assert row is not None and "missing" in row.reason and row.source_queue == DELIVERY_QUEUE.name
    lines = [json.loads(line) for line in consumer_log.getvalue().splitlines()]
    about = [line for line in lines if str(message.id) in line["message"]]
    assert about and "parked" in about[-1]["message"]
    assert {line["request_id"] for line in about} == {"req-gone-0005"}
