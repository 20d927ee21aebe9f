"""Two expiry-reminder runs that overlap never send a reminder twice (the ledger's unique key).

This is why k8s/README.md says the daily run is "one at a time" and not "several": the second
of two overlapping runs does not duplicate anything, but it fails on the ledger key and rolls
back, so the CronJob forbids overlap (``concurrencyPolicy: Forbid``) instead of relying on it.
"""

from __future__ import annotations

import json
import threading
from datetime import date
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from pg_locks import wait_until_blocked
from registry_testkit import HEADERS
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from registry.handlers import emit_expiry_reminders
from registry.models.base import outbox_table

#: Row locks and a waiting second writer are PostgreSQL's (SQLite has one writer at a time).
pytestmark = [pytest.mark.integration,
              pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)]

EXPIRES = date(2032, 3, 31)


def test_an_overlapping_second_run_fails_on_the_ledger_and_sends_nothing_twice(
    client: FlaskClient, sessions: sessionmaker[Session], enterprise: dict[str, Any]
) -> None:
    uscc = enterprise["uscc"]
    response = client.post(f"/api/v1/enterprises/{uscc}/certifications", headers=HEADERS,
                           json={"tier": "hnte", "issued_on": "2025-01-01",
                                 "expires_on": EXPIRES.isoformat(), "number": "GR2029"})
    assert response.status_code == 201
    today = EXPIRES - timedelta(days=80)
    first = sessions()
    first.begin()
    assert emit_expiry_reminders(first, today=today) >= 1
    errors: list[BaseException] = []

    def second() -> None:
        try:
            with sessions.begin() as session:
                emit_expiry_reminders(session, today=today)
        except IntegrityError as exc:
            errors.append(exc)

    worker = threading.Thread(target=second)
    worker.start()
    wait_until_blocked(sessions, "the second run")
    first.commit()
    first.close()
    worker.join(timeout=30)
    assert not worker.is_alive() and len(errors) == 1
    with sessions() as session:
        payloads = session.execute(select(outbox_table.c.payload).where(
            outbox_table.c.type == "registry.certification.expiring")).scalars()
        ours = [p for p in payloads if json.dumps(p, ensure_ascii=False).count(uscc)]
    assert [(p["payload"]["days_before"], p["payload"]["expires_on"]) for p in ours] == [
        (90, EXPIRES.isoformat())]
