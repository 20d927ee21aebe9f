# mypy: disable-error-code="index,union-attr"
"""Policy application windows: batches as data, their validation, the reminders they cause
(exactly once, only to eligible or near firms) and the policies a firm sees as its own."""

from __future__ import annotations

import random
import string
import sys
import threading
from collections.abc import Callable
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from notify_testkit import BUREAU
from notify_testkit import eligibility
from notify_testkit import new_uscc
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from notify.adapters.sql.migrations import upgrade_head
from notify.domain.templates import TemplateSet
from notify.handlers.notices import process_events
from notify.handlers.policies import create_policy
from notify.handlers.policies import get_policy
from notify.handlers.policies import policy_audit
from notify.handlers.policies import seed_data
from notify.handlers.policies import seed_policies
from notify.handlers.policies import update_policy
from notify.handlers.window_reminders import emit_window_reminders
from notify.models.notice import Notice
from notify.models.window import WindowReminder
from yumiao_common.db.engine import make_engine
from yumiao_common.db.engine import make_session_factory

sys.path.insert(0, str(Path(__file__).parents[2]))  # tests/: the shared lock-wait helper

from pg_locks import wait_until_blocked  # noqa: E402

pytestmark = pytest.mark.integration


def _code() -> str:
    return "win-" + "".join(random.choices(string.ascii_lowercase + string.digits, k=10))


def _tier() -> str:
    """A tier of the test's own: the seeded catalogue is shared and other tests count its
    policies per real tier (notify's conftest)."""
    return "t" + "".join(random.choices(string.ascii_lowercase, k=12))


def _window(opens: str, closes: str, batch: str = "第一批") -> dict[str, Any]:
    return {"batch_zh": f"2030年{batch}", "batch_en": "2030 batch", "opens_on": opens,
            "closes_on": closes}


def _policy(code: str, tier: str, windows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "code": code, "trigger": "eligible", "tier": tier, "name_zh": "测试申报补助",
        "name_en": "Test application grant", "summary_zh": "测试", "summary_en": "test",
        "benefit_zh": "一次性补助", "benefit_en": "one-off grant", "amount_yuan": 200000,
        "source_document": "聊科字〔2030〕1号", "contact": "市科技局 / municipal S&T bureau",
        "windows": windows, "reason": "发布申报通知 / call for applications",
    }


def _create(client: FlaskClient, body: dict[str, Any]) -> Any:
    return client.post("/api/v1/policies", json=body, headers=BUREAU)


@pytest.mark.parametrize(("windows", "field"), [
    ([_window("2030-03-10", "2030-03-09")], "windows.0.closes_on"),  # closes before it opens
    ([_window("2030-01-01", "2030-03-31"), _window("2030-03-31", "2030-04-30")],
     "windows.1.opens_on"),  # shares a day with the first batch
    ([_window("2030-04-01", "2030-04-30"), _window("2030-01-01", "2030-06-30")],
     "windows.0.opens_on"),  # lies inside a later-listed batch
    ([_window("0230-03-01", "2030-03-31")], "windows.0.opens_on"),  # a typo of a year
    ([_window("2030-03-01", "2930-03-31")], "windows.0.closes_on"),
    ([{"batch_en": "x", "opens_on": "2030-03-01", "closes_on": "2030-03-02"}],
     "windows.0.batch_zh"),
    ([_window("2030-03-01", "not a date")], "windows.0.closes_on"),
    ([_window(f"2030-{m:02d}-01", f"2030-{m:02d}-02") for m in range(1, 13)] * 3, "windows"),
])
def test_unsound_windows_are_refused_naming_the_batch_and_field(
    client: FlaskClient, windows: list[dict[str, Any]], field: str
) -> None:
    resp = _create(client, _policy(_code(), _tier(), windows))
    assert resp.status_code == 422, resp.json
    assert field in resp.json["error"]["fields"], resp.json["error"]["fields"]


def test_a_one_day_batch_and_back_to_back_batches_are_accepted(client: FlaskClient) -> None:
    windows = [_window("2030-05-01", "2030-05-31", "第二批"), _window("2030-03-01", "2030-03-01"),
               _window("2030-03-02", "2030-04-30", "第一批续")]
    resp = _create(client, _policy(_code(), _tier(), windows))
    assert resp.status_code == 201, resp.json
    got = resp.json["windows"]
    assert [w["opens_on"] for w in got] == ["2030-03-01", "2030-03-02", "2030-05-01"]
    assert {w["status"] for w in got} == {"upcoming"}


def test_editing_batches_replaces_them_and_the_audit_shows_the_old_dates(
    client: FlaskClient
) -> None:
    code = _code()
    created = _create(client, _policy(code, _tier(), [_window("2030-03-01", "2030-03-31")])).json
    moved = client.patch(f"/api/v1/policies/{code}", headers=BUREAU, json={
        "version": created["version"], "reason": "延期 / extended",
        "windows": [_window("2030-03-01", "2030-04-15")]})
    assert moved.status_code == 200, moved.json
    assert [w["closes_on"] for w in moved.json["windows"]] == ["2030-04-15"]
    bad = client.patch(f"/api/v1/policies/{code}", headers=BUREAU, json={
        "version": moved.json["version"], "reason": "typo",
        "windows": [_window("2030-03-01", "2030-02-01")]})
    assert bad.status_code == 422 and "windows.0.closes_on" in bad.json["error"]["fields"]
    trail = client.get(f"/api/v1/policies/{code}/audit?limit=200").json
    audit = trail["items"] if isinstance(trail, dict) else trail  # a page once the trail pages
    assert audit[-1]["before"]["windows"][0]["closes_on"] == "2030-03-31"
    assert audit[-1]["after"]["windows"][0]["closes_on"] == "2030-04-15"
    assert audit[-1]["actor"] == "bureau:test" and audit[-1]["reason"] == "延期 / extended"


def test_the_seeded_policies_carry_their_application_batches(client: FlaskClient) -> None:
    page = client.get("/api/v1/policies?limit=100").json
    by_code = {p["code"]: p for p in page["items"]}
    tech = by_code["gradient-entry-tech-sme"]["windows"]
    assert len(tech) >= 2 and all(w["closes_on"] >= w["opens_on"] for w in tech)
    assert by_code["hnte-first-award-liaocheng"]["contact"]
    assert by_code["rd-super-deduction-tech-sme-2022"]["windows"] == []  # retired: none


def _standing(sessions: sessionmaker[Session], uscc: str, tier: str, *verdicts: str,
              name: str = "测试企业有限公司") -> None:
    """Scoring announces ``verdicts`` in order for (uscc, tier); the last one stands."""
    start = datetime.now(UTC) - timedelta(minutes=len(verdicts))
    events = []
    for i, verdict in enumerate(verdicts):
        event = eligibility(uscc, tier, before=None, after=verdict, name=name)
        events.append(event.model_copy(update={"occurred_at": start + timedelta(seconds=i)}))
    for event in reversed(events):  # out of order on purpose: the newest must still win
        with sessions.begin() as session:
            process_events(session, [event], templates=TemplateSet(), weekly_cap=50)


def _window_notices(sessions: sessionmaker[Session], usccs: list[str]) -> list[Notice]:
    with sessions() as session:
        return list(session.scalars(select(Notice).where(
            Notice.uscc.in_(usccs), Notice.kind == "window").order_by(Notice.created_at)))


def _run(sessions: sessionmaker[Session], today: date) -> int:
    with sessions.begin() as session:
        return emit_window_reminders(session, today=today, templates=TemplateSet())


@pytest.fixture()
def tiered(client: FlaskClient, sessions: sessionmaker[Session]) -> dict[str, Any]:
    """A policy of a tier of its own, one batch 1 March – 31 May 2040, and five firms."""
    tier = _tier()
    code = _code()
    resp = _create(client, _policy(code, tier, [_window("2040-03-01", "2040-05-31")]))
    assert resp.status_code == 201, resp.json
    firms = {k: new_uscc() for k in ("eligible", "near", "ineligible", "lapsed", "unknown")}
    _standing(sessions, firms["eligible"], tier, "near", "eligible", name="甲公司")
    _standing(sessions, firms["near"], tier, "near", name="乙公司")
    _standing(sessions, firms["ineligible"], tier, "ineligible")
    _standing(sessions, firms["lapsed"], tier, "eligible", "ineligible")
    _standing(sessions, firms["unknown"], tier, "unknown")
    return {"tier": tier, "code": code, "firms": firms}


def test_reminders_go_once_per_milestone_to_eligible_and_near_firms_only(
    sessions: sessionmaker[Session], tiered: dict[str, Any]
) -> None:
    firms = tiered["firms"]
    told = [firms["eligible"], firms["near"]]
    for day in (date(2040, 2, 28), date(2040, 3, 1), date(2040, 3, 1), date(2040, 3, 20),
                date(2040, 5, 1), date(2040, 5, 2), date(2040, 5, 24), date(2040, 5, 31),
                date(2040, 6, 1)):
        _run(sessions, day)
        _run(sessions, day)  # the job run twice the same day adds nothing
    notices = _window_notices(sessions, list(firms.values()))
    assert {n.uscc for n in notices} == set(told)
    for uscc in told:
        milestones = [n.cause["type"] for n in notices if n.uscc == uscc]
        assert milestones == ["window:opened", "window:closing_30", "window:closing_7"]
    with sessions() as session:
        ledger = session.scalar(select(func.count()).select_from(WindowReminder).where(
            WindowReminder.uscc.in_(told)))
    assert ledger == 6


def test_two_overlapping_runs_still_send_each_reminder_once(
    sessions: sessionmaker[Session], tiered: dict[str, Any]
) -> None:
    day = date(2040, 4, 10)
    first = sessions()
    first.begin()
    assert emit_window_reminders(first, today=day, templates=TemplateSet()) >= 2
    outcome: list[object] = []

    def second() -> None:
        try:
            with sessions.begin() as session:
                outcome.append(emit_window_reminders(session, today=day,
                                                     templates=TemplateSet()))
        except Exception as exc:  # noqa: BLE001 - the test reports whatever the run raised
            outcome.append(exc)

    worker = threading.Thread(target=second)
    worker.start()
    wait_until_blocked(sessions, "the second run")
    first.commit()
    first.close()
    worker.join(timeout=30)
    assert not worker.is_alive() and outcome == [0], outcome
    notices = _window_notices(sessions, list(tiered["firms"].values()))
    assert sorted(n.uscc for n in notices) == sorted([tiered["firms"]["eligible"],
                                                      tiered["firms"]["near"]])


def test_a_reminder_names_the_policy_batch_deadline_and_the_firms_standing(
    sessions: sessionmaker[Session], tiered: dict[str, Any]
) -> None:
    _run(sessions, date(2040, 5, 2))  # 29 days left: the 30-day reminder, not "opened"
    firms = tiered["firms"]
    (eligible,) = _window_notices(sessions, [firms["eligible"]])
    assert eligible.deadline == date(2040, 5, 31) and eligible.policy_code == tiered["code"]
    assert "测试申报补助" in eligible.subject and "2040-05-31" in eligible.subject
    assert "距今还有 29 天" in eligible.body and "已符合" in eligible.body
    assert "甲公司" in eligible.body and "¥200,000" in eligible.body
    (near,) = _window_notices(sessions, [firms["near"]])
    assert "接近符合" in near.body


def test_a_run_that_missed_days_sends_only_the_latest_milestone(
    sessions: sessionmaker[Session], tiered: dict[str, Any]
) -> None:
    _run(sessions, date(2040, 5, 26))
    notices = _window_notices(sessions, [tiered["firms"]["eligible"]])
    assert [n.cause["type"] for n in notices] == ["window:closing_7"]


def test_moving_the_closing_date_owes_the_closing_reminders_again(
    client: FlaskClient, sessions: sessionmaker[Session], tiered: dict[str, Any]
) -> None:
    _run(sessions, date(2040, 5, 25))
    code = tiered["code"]
    policy = client.get(f"/api/v1/policies/{code}").json
    resp = client.patch(f"/api/v1/policies/{code}", headers=BUREAU, json={
        "version": policy["version"], "reason": "延期至6月15日",
        "windows": [_window("2040-03-01", "2040-06-15")]})
    assert resp.status_code == 200
    _run(sessions, date(2040, 6, 9))
    notices = _window_notices(sessions, [tiered["firms"]["eligible"]])
    assert [n.deadline for n in notices] == [date(2040, 5, 31), date(2040, 6, 15)]


def test_a_retired_policy_reminds_nobody(
    client: FlaskClient, sessions: sessionmaker[Session], tiered: dict[str, Any]
) -> None:
    policy = client.get(f"/api/v1/policies/{tiered['code']}").json
    client.post(f"/api/v1/policies/{tiered['code']}/retire", headers=BUREAU,
                json={"version": policy["version"], "reason": "停止执行"})
    _run(sessions, date(2040, 3, 2))
    assert _window_notices(sessions, list(tiered["firms"].values())) == []


def test_the_cli_run_twice_reports_then_sends_nothing_more(
    app: Flask, sessions: sessionmaker[Session], tiered: dict[str, Any]
) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["emit-window-reminders", "--today", "2040-03-05"])
    again = runner.invoke(args=["emit-window-reminders", "--today", "2040-03-05"])
    assert first.exit_code == 0 and again.exit_code == 0, (first.output, again.output)
    assert "sent 0 window reminders" in again.output
    assert len(_window_notices(sessions, list(tiered["firms"].values()))) == 2


def test_an_unchanged_verdict_announced_again_is_kept_without_a_notice(
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    """scoring's announce-verdicts (before == after) teaches notify a verdict it never heard."""
    uscc = new_uscc()
    with sessions.begin() as session:
        process_events(session, [eligibility(uscc, "little_giant", before="eligible",
                                             after="eligible")],
                       templates=TemplateSet(), weekly_cap=50)
    mine = client.get(f"/api/v1/enterprises/{uscc}/policies").json
    assert mine["standings"] == {"little_giant": "eligible"}
    assert "little-giant-key-funds" in {i["policy"]["code"] for i in mine["items"]}
    assert client.get(f"/api/v1/enterprises/{uscc}/notices").json["total"] == 0


def test_a_firm_sees_the_policies_it_is_eligible_or_near_for_with_live_batches(
    client: FlaskClient, tiered: dict[str, Any]
) -> None:
    firms = tiered["firms"]
    mine = client.get(f"/api/v1/enterprises/{firms['near']}/policies").json
    item = next(i for i in mine["items"] if i["policy"]["code"] == tiered["code"])
    assert item["verdict"] == "near"
    assert [w["closes_on"] for w in item["live_windows"]] == ["2040-05-31"]
    assert item["live_windows"][0]["status"] == "upcoming"
    for other in ("ineligible", "lapsed", "unknown"):
        theirs = client.get(f"/api/v1/enterprises/{firms[other]}/policies").json
        assert tiered["code"] not in {i["policy"]["code"] for i in theirs["items"]}, other
    stranger = client.get(f"/api/v1/enterprises/{new_uscc()}/policies").json
    assert stranger["items"] == [] and stranger["total"] == 0


def test_seeding_again_gives_windows_to_an_older_catalogue_and_leaves_the_bureaus_alone(
    make_pg_database: Callable[[str], str]
) -> None:
    """An installation seeded before windows existed gets the shipped batches on its next
    seed-policies (audited); a policy whose batches the bureau set keeps them."""
    url = make_pg_database("notify_reseed")
    upgrade_head(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with factory.begin() as session:
        for row in seed_data():
            row.pop("windows", None)
            create_policy(session, data=row, actor="test:old", reason="old seed")
        update_policy(session, code="little-giant-key-funds", version=1, actor="bureau:x",
                      reason="own batch", changes={"windows": [
                          {"batch_zh": "自定", "batch_en": "own", "opens_on": date(2031, 1, 1),
                           "closes_on": date(2031, 1, 31), "note": None}]})
    with factory.begin() as session:
        assert seed_policies(session, actor="test:seed") == 0
    with factory() as session:
        tech = get_policy(session, "gradient-entry-tech-sme")
        assert len(tech.windows) == 3
        assert policy_audit(session, tech.code)[-1].reason.endswith("seeded application windows")
        own = get_policy(session, "little-giant-key-funds")
        assert [w.batch_zh for w in own.windows] == ["自定"]
        assert get_policy(session, "rd-super-deduction-tech-sme-2022").windows == []
    engine.dispose()
