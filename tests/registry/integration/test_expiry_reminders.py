"""Certification-expiry reminders: 90, 30 and 7 days ahead, each exactly once however often
the daily command runs, a renewed certificate reminded afresh, and the CLI entry point."""

from __future__ import annotations

import json
from datetime import date
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from registry_testkit import HEADERS
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from registry.handlers import emit_expiry_reminders
from registry.models.base import outbox_table
from yumiao_common.contracts.events import parse_event
from yumiao_common.contracts.registry import CertificationExpiring

pytestmark = pytest.mark.integration

EXPIRES = date(2031, 6, 30)


def _reminders(session: Session, uscc: str) -> list[tuple[int, date]]:
    rows = session.execute(select(outbox_table.c.payload).where(
        outbox_table.c.type == "registry.certification.expiring"))
    events = [parse_event(json.dumps(p)) for (p,) in rows]
    return sorted(((e.payload.days_before, e.payload.expires_on) for e in events
                   if isinstance(e, CertificationExpiring) and e.payload.uscc == uscc),
                  key=lambda r: (r[1], -r[0]))


def _certify(client: FlaskClient, uscc: str, expires: date) -> dict[str, Any]:
    response = client.post(f"/api/v1/enterprises/{uscc}/certifications", headers=HEADERS,
                           json={"tier": "hnte", "issued_on": "2025-01-01",
                                 "expires_on": expires.isoformat(), "number": "GR2025"})
    assert response.status_code == 201
    return response.json  # type: ignore[no-any-return]


def _run(sessions: sessionmaker[Session], day: date) -> int:
    with sessions.begin() as session:
        return emit_expiry_reminders(session, today=day)


def test_each_reminder_is_emitted_exactly_once_over_daily_and_repeated_runs(
    client: FlaskClient, sessions: sessionmaker[Session], enterprise: dict[str, Any]
) -> None:
    _certify(client, enterprise["uscc"], EXPIRES)
    day = EXPIRES - timedelta(days=100)
    while day <= EXPIRES + timedelta(days=2):
        _run(sessions, day)
        _run(sessions, day)  # twice the same day: nothing new
        day += timedelta(days=1)
    with sessions() as session:
        assert _reminders(session, enterprise["uscc"]) == [
            (90, EXPIRES), (30, EXPIRES), (7, EXPIRES)]


def test_a_missed_window_is_caught_up_once_and_a_renewal_is_reminded_afresh(
    client: FlaskClient, sessions: sessionmaker[Session], enterprise: dict[str, Any]
) -> None:
    cert = _certify(client, enterprise["uscc"], EXPIRES)
    _run(sessions, EXPIRES - timedelta(days=20))  # first run ever: 20 days left
    _run(sessions, EXPIRES - timedelta(days=19))
    renewed = EXPIRES + timedelta(days=3 * 365)
    client.patch(f"/api/v1/enterprises/{enterprise['uscc']}/certifications/{cert['id']}",
                 json={"expires_on": renewed.isoformat(), "version": 1}, headers=HEADERS)
    _run(sessions, renewed - timedelta(days=7))
    with sessions() as session:
        assert _reminders(session, enterprise["uscc"]) == [(30, EXPIRES), (7, renewed)]


def test_cli_emits_then_reports_nothing_more(
    app: Flask, client: FlaskClient, enterprise: dict[str, Any]
) -> None:
    _certify(client, enterprise["uscc"], EXPIRES)
    runner = app.test_cli_runner()
    day = (EXPIRES - timedelta(days=7)).isoformat()
    first = runner.invoke(args=["emit-expiry-reminders", "--today", day])
    second = runner.invoke(args=["emit-expiry-reminders", "--today", day])
    assert first.exit_code == 0 and second.exit_code == 0, first.output
    assert "emitted 0 " not in first.output
    assert "emitted 0 " in second.output
