"""Events → notices against PostgreSQL: decisions, dedupe, cap, preferences, render failure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from notify_testkit import eligibility
from notify_testkit import expiring
from notify_testkit import moved
from notify_testkit import new_uscc
from notify_testkit import put_prefs
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from notify.domain.templates import TemplateSet
from notify.handlers.notices import process_events
from notify.handlers.policies import create_policy
from notify.models.delivery import Delivery
from notify.models.messaging import outbox_table
from notify.models.notice import Notice
from yumiao_common.clock import beijing_today

pytestmark = pytest.mark.integration
TEMPLATES = TemplateSet()


def run(sessions: sessionmaker[Session], *events: object, cap: int = 5) -> int:
    with sessions.begin() as session:
        return process_events(session, list(events), templates=TEMPLATES,  # type: ignore[arg-type]
                              weekly_cap=cap)


def notices(sessions: sessionmaker[Session], uscc: str) -> list[Notice]:
    with sessions() as session:
        return list(session.scalars(select(Notice).where(Notice.uscc == uscc)
                                    .order_by(Notice.policy_code)))


def test_newly_eligible_hnte_gets_one_notice_per_open_hnte_policy(sessions, uscc) -> None:  # type: ignore[no-untyped-def]
    assert run(sessions, eligibility(uscc)) == 3
    got = notices(sessions, uscc)
    assert [n.policy_code for n in got] == [
        "hnte-first-award-liaocheng", "hnte-income-tax-15", "loss-carry-forward-10y-hnte"]
    tax = got[1]
    assert tax.status == "delivered" and tax.language == "zh-CN"
    assert tax.template_version == "v2" and tax.cause["criteria_met"]
    assert "测试企业有限公司" in tax.subject and "金额未知" in tax.body


def test_redelivered_and_reevaluated_events_never_duplicate(sessions, uscc) -> None:  # type: ignore[no-untyped-def]
    event = eligibility(uscc)
    run(sessions, event, event)
    assert run(sessions, event) == 0
    assert run(sessions, eligibility(uscc)) == 0  # same fact, new event id
    assert len(notices(sessions, uscc)) == 3


@pytest.mark.parametrize(("before", "after"), [
    ("eligible", "ineligible"), ("eligible", "near"), ("eligible", "eligible"),
    (None, "ineligible"), ("near", "unknown"),
])
def test_losing_or_keeping_eligibility_is_silent(sessions, before, after) -> None:  # type: ignore[no-untyped-def]
    uscc = new_uscc()
    assert run(sessions, eligibility(uscc, before=before, after=after)) == 0
    assert notices(sessions, uscc) == []


def test_a_closed_window_gets_no_notice(sessions, uscc) -> None:  # type: ignore[no-untyped-def]
    tier = f"t_{uscc[-6:].lower()}"
    with sessions.begin() as session:
        for code, closes in (("closed", beijing_today() - timedelta(days=1)),
                             ("open", beijing_today() + timedelta(days=30))):
            create_policy(session, data=dict(
                code=f"{tier}-{code}", trigger="eligible", tier=tier, name_zh="测", name_en="t",
                summary_zh="测", summary_en="t", benefit_zh="测", benefit_en="t",
                source_document="doc", window_closes=closes), actor="t", reason="test")
    run(sessions, eligibility(uscc, tier=tier))
    got = notices(sessions, uscc)
    assert [n.policy_code for n in got] == [f"{tier}-open"]
    assert got[0].deadline == beijing_today() + timedelta(days=30)


def test_renewal_reminder_and_welcome(sessions, uscc) -> None:  # type: ignore[no-untyped-def]
    run(sessions, expiring(uscc), moved(uscc), moved(uscc, to_stage="rejected"))
    kinds = {n.kind: n for n in notices(sessions, uscc)}
    assert set(kinds) == {"renewal", "welcome"}
    assert kinds["renewal"].deadline == beijing_today() + timedelta(days=90)
    assert "¥2,000,000" in kinds["welcome"].body  # the IPO subsidy cap


def test_preferences_choose_language_and_channels(sessions, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    uscc = new_uscc()
    put_prefs(client, uscc, language="en", channels=["inapp", "webhook", "email"],
              email="ops@example.com", webhook_url="https://hooks.example.com/hook",
              webhook_secret="0123456789abcdef0123")
    run(sessions, eligibility(uscc))
    got = notices(sessions, uscc)
    assert all(n.language == "en" and n.status == "queued" for n in got)
    assert "you now qualify" in got[0].subject
    with sessions() as session:
        deliveries = session.scalars(select(Delivery).where(
            Delivery.notice_id.in_([n.id for n in got]))).all()
        outbox = session.scalar(select(func.count()).select_from(outbox_table).where(
            outbox_table.c.payload["payload"]["notice_id"].as_string().in_(
                [str(n.id) for n in got])))
    assert sorted({d.channel for d in deliveries}) == ["email", "webhook"]
    assert len(deliveries) == 6 and outbox == 6


def test_weekly_cap_keeps_extra_notices_in_the_inbox_but_not_pushed(sessions, client) -> None:  # type: ignore[no-untyped-def]
    uscc = new_uscc()
    put_prefs(client, uscc, channels=["webhook"], webhook_url="https://hooks.example.com/hook",
              webhook_secret="0123456789abcdef0123")
    run(sessions, eligibility(uscc), eligibility(uscc, tier="tech_sme"), expiring(uscc), cap=4)
    got = notices(sessions, uscc)
    pushed = [n for n in got if not n.push_suppressed]
    suppressed = [n for n in got if n.push_suppressed]
    assert len(got) == 3 + 3 + 1  # hnte 3, tech_sme 3 active, 1 renewal
    assert len([n for n in pushed if n.kind != "renewal"]) == 4
    assert any(n.kind == "renewal" for n in pushed)  # deadline reminders bypass the cap
    assert all(n.status == "delivered" and "cap" in (n.suppressed_reason or "")
               for n in suppressed)


def test_a_render_failure_marks_the_notice_failed_and_queues_nothing(  # type: ignore[no-untyped-def]
    sessions, client, tmp_path
) -> None:
    uscc = new_uscc()
    put_prefs(client, uscc, channels=["webhook"], webhook_url="https://hooks.example.com/hook",
              webhook_secret="0123456789abcdef0123")
    (tmp_path / "zh-CN").mkdir()
    (tmp_path / "zh-CN" / "renewal.v3.j2").write_text("Subject: {{ nope }}\n\nbody\n")
    with sessions.begin() as session:
        process_events(session, [expiring(uscc)], templates=TemplateSet(tmp_path), weekly_cap=5)
    [notice] = notices(sessions, uscc)
    assert (notice.status, notice.failure) == ("failed", "permanent")
    assert notice.template_version == "v3" and notice.body == ""
    with sessions() as session:
        assert session.scalars(select(Delivery).where(Delivery.notice_id == notice.id)).all() == []
