# mypy: disable-error-code="union-attr"
"""The firm hears the outcome of the bureau's review of its yearly report (issue 15 item 3).

The registry's ``registry.submission.reviewed`` event goes over the real broker into notify's
events consumer and PostgreSQL: one notice per review, one delivery per channel of the firm
(its chosen channels, or its consenting contacts when it never chose any), even when the
broker delivers the message twice. The notice names every returned field in words with the
reviewer's reason, in the firm's language, and an e-mail links to the report in the portal.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

import pika
import pytest
from flask.testing import FlaskClient
from notify_testkit import new_uscc
from notify_testkit import put_prefs
from notify_testkit import wait_for
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from notify.adapters.queues import EVENTS_QUEUE
from notify.adapters.sql.deliveries import load_jobs
from notify.consumer import make_handler
from notify.domain.templates import TemplateSet
from notify.handlers.notices import process_events
from notify.models.delivery import Delivery
from notify.models.messaging import inbox_table
from notify.models.messaging import outbox_table
from notify.models.notice import Notice
from notify.settings import Settings
from yumiao_common.contracts.registry import Contact
from yumiao_common.contracts.registry import ContactsChanged
from yumiao_common.contracts.registry import ContactsChangedPayload
from yumiao_common.contracts.registry import SubmissionReviewed
from yumiao_common.contracts.registry import SubmissionReviewedPayload
from yumiao_common.messaging.consumer import Consumer
from yumiao_common.messaging.consumer import ConsumerConfig
from yumiao_common.messaging.topology import EXCHANGE
from yumiao_common.messaging.topology import declare_topology
from yumiao_common.messaging.topology import queue_counts

pytestmark = pytest.mark.integration
PUBLIC_URL = "https://yumiao.example.gov.cn"
NAME = "聊城测试轴承有限公司"


def reviewed(uscc: str, *, submission_id: int = 41, returned: dict[str, str] | None = None,
             accepted: tuple[str, ...] = ("financials.operating_revenue",),
             note: str | None = None) -> SubmissionReviewed:
    returned = returned or {}
    return SubmissionReviewed(correlation_id="req-review-1", payload=SubmissionReviewedPayload(
        uscc=uscc, enterprise_name=NAME, submission_id=submission_id, year=2025,
        status="returned" if returned else "accepted", returned_fields=tuple(returned),
        accepted_fields=accepted, reasons=returned, note=note, reviewer="user:curator",
    ))


def notices_of(sessions: sessionmaker[Session], uscc: str) -> list[Notice]:
    with sessions() as session:
        return list(session.scalars(select(Notice).where(Notice.uscc == uscc)))


def channels_of(sessions: sessionmaker[Session], notice_id: uuid.UUID) -> list[str]:
    with sessions() as session:
        return sorted(session.scalars(select(Delivery.channel)
                                      .where(Delivery.notice_id == notice_id)))


def publish(amqp_url: str, event: SubmissionReviewed, times: int) -> None:
    """Publish the same message (same ``message_id``) ``times`` times: a redelivery."""
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        for _ in range(times):
            channel.basic_publish(EXCHANGE, event.type, event.model_dump_json().encode(),
                                  pika.BasicProperties(message_id=str(event.id),
                                                       delivery_mode=2,
                                                       content_type="application/json"))
    finally:
        connection.close()


def test_a_review_delivered_twice_makes_one_notice_and_one_delivery_per_channel(
    settings: Settings, sessions: sessionmaker[Session], client: FlaskClient,
    make_amqp_vhost: Callable[[], str],
) -> None:
    amqp_url = make_amqp_vhost()  # this test's own queue: nothing else's messages in it
    declare_topology(amqp_url)
    chosen, by_contacts = new_uscc(), new_uscc()
    put_prefs(client, chosen, channels=["inapp", "email", "webhook"],
              email=f"{chosen}@example.com", webhook_url="https://hooks.example.com/yumiao",
              webhook_secret="review-secret-0123456789")
    with sessions.begin() as session:  # a firm without a portal presence: its contacts
        process_events(session, [ContactsChanged(payload=ContactsChangedPayload(
            uscc=by_contacts, enterprise_name=NAME, version=1, contacts=(
                Contact(id=1, name="王经理", mobile="13800138000", email="wang@example.com",
                        sms_consent=True, email_consent=True),
                Contact(id=2, name="李会计", email="li@example.com", email_consent=False),
            )))], templates=TemplateSet(), weekly_cap=10)
    events = [reviewed(chosen, returned={"financials.rd_expense": "与审计报告不符"}),
              reviewed(by_contacts, submission_id=42)]
    consumer = Consumer(amqp_url, EVENTS_QUEUE, sessions, inbox_table, make_handler(settings),
                        config=ConsumerConfig(batch_size=1, batch_wait=0.01))
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()
    try:
        for event in events:
            publish(amqp_url, event, times=2)
        wait_for(lambda: all(len(notices_of(sessions, e.payload.uscc)) == 1 for e in events))
        wait_for(lambda: queue_counts(amqp_url, EVENTS_QUEUE.name)[0] == 0)
    finally:
        consumer.stop()
        thread.join(10)
    assert queue_counts(amqp_url, EVENTS_QUEUE.name)[0] == 0  # both copies settled (acked)
    assert consumer.handled == 2  # the second copy of each was absorbed by the inbox
    [first] = notices_of(sessions, chosen)
    [second] = notices_of(sessions, by_contacts)
    assert (first.kind, second.kind) == ("review", "review")
    assert channels_of(sessions, first.id) == ["email", "webhook"]
    assert channels_of(sessions, second.id) == ["email", "sms"]  # the consenting contact only
    with sessions() as session:  # one delivery request on the outbox per delivery, no more
        requested = session.scalar(select(func.count()).select_from(outbox_table).where(
            outbox_table.c.payload["payload"]["notice_id"].as_string().in_(
                [str(first.id), str(second.id)])))
    assert requested == 4


def _notify(sessions: sessionmaker[Session], event: SubmissionReviewed) -> Notice:
    with sessions.begin() as session:
        process_events(session, [event], templates=TemplateSet(), weekly_cap=10)
    [notice] = notices_of(sessions, event.payload.uscc)
    return notice


def test_a_returned_report_names_every_returned_field_with_the_reason_and_links_to_it(
    sessions: sessionmaker[Session], client: FlaskClient,
) -> None:
    uscc = new_uscc()
    put_prefs(client, uscc, channels=["inapp", "email"], email=f"{uscc}@example.com")
    notice = _notify(sessions, reviewed(uscc, submission_id=77, returned={
        "financials.rd_expense": "与审计报告不符 / does not match the audit report",
        "ip.0": "缺少授权证书 / the grant certificate is missing",
        "flags.tax_violation": "与税务记录不一致 / differs from the tax record",
    }, accepted=("financials.operating_revenue", "financials.employees"),
        note="请更正后重新提交 / please correct and submit again"))
    assert notice.subject == "【育苗】您提交的 2025 年度自报有 3 项被退回，请更正后重新提交"
    for line in ("- 研发费用：与审计报告不符", "- 新增知识产权 第 1 项：缺少授权证书",
                 "- 涉税违法：与税务记录不一致", "已采纳 2 项并记入企业档案：营业收入、职工总数",
                 "审核意见：请更正后重新提交"):
        assert line in notice.body
    assert "financials." not in notice.body and "audit report" not in notice.body
    assert notice.cause["returned_fields"] == ["financials.rd_expense", "ip.0",
                                               "flags.tax_violation"]
    with sessions() as session:
        delivery = session.scalars(select(Delivery.id).where(Delivery.notice_id == notice.id))
        [job] = load_jobs(session, list(delivery), public_url=PUBLIC_URL)
    assert job.body.rstrip().endswith(f"查看自报与审核意见：{PUBLIC_URL}/my/submissions/77")


def test_an_accepted_report_says_so_in_the_firms_language(
    sessions: sessionmaker[Session], client: FlaskClient,
) -> None:
    chinese, english = new_uscc(), new_uscc()
    put_prefs(client, english, language="en")
    zh = _notify(sessions, reviewed(chinese, accepted=("financials.rd_expense",)))
    assert zh.subject == "【育苗】您提交的 2025 年度自报已全部采纳"
    assert "以下 1 项已记入企业档案：研发费用" in zh.body
    en = _notify(sessions, reviewed(english, returned={
        "awards.1": "获奖证书不清晰 / the award certificate is illegible"}))
    assert en.subject == "[Yumiao] Your 2025 yearly report: 1 field was returned for correction"
    assert "- Award, item 2: the award certificate is illegible" in en.body
    assert "Operating revenue" in en.body and "获奖" not in en.body


def test_a_second_review_of_the_same_report_is_news_again(
    sessions: sessionmaker[Session],
) -> None:
    uscc = new_uscc()
    first = reviewed(uscc, submission_id=9, returned={"financials.rd_expense": "不符"})
    with sessions.begin() as session:
        process_events(session, [first, first], templates=TemplateSet(), weekly_cap=10)
        process_events(session, [reviewed(uscc, submission_id=9)], templates=TemplateSet(),
                       weekly_cap=10)
    subjects: list[Any] = sorted(n.subject for n in notices_of(sessions, uscc))
    assert subjects == ["【育苗】您提交的 2025 年度自报已全部采纳",
                        "【育苗】您提交的 2025 年度自报有 1 项被退回，请更正后重新提交"]
