"""Helpers of the reserve-round and cultivation tests: rounds, readiness, batches."""

from __future__ import annotations

import random
import uuid
from datetime import UTC
from datetime import datetime
from decimal import Decimal
from typing import Any

from flask.testing import FlaskClient
from registry_testkit import HEADERS
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from registry.handlers.readiness import apply_eligibility
from yumiao_common.clock import beijing_today
from yumiao_common.contracts.scoring import EligibilityChanged
from yumiao_common.contracts.scoring import EligibilityChangedPayload
from yumiao_common.contracts.scoring import Score

_years: set[tuple[str, int]] = set()


def open_round(client: FlaskClient, pool: str = "hnte_reserve", **body: Any) -> dict[str, Any]:
    """A new round of ``pool`` for a year no other test of this run used."""
    while True:
        year = random.randint(2000, 2100)
        if (pool, year) in _years:
            continue
        _years.add((pool, year))
        response = client.post("/api/v1/rounds", headers=HEADERS, json={
            "pool": pool, "year": year, "opens_on": f"{year}-03-01",
            "closes_on": f"{year}-04-30", **body})
        if response.status_code == 409:
            continue
        assert response.status_code == 201, response.json
        return response.json  # type: ignore[no-any-return]


def batch(client: FlaskClient, round_id: int, action: str, usccs: list[str],
          reason: str = "批次遴选 / batch", **extra: Any) -> Any:
    return client.post(f"/api/v1/rounds/{round_id}/batches", headers=HEADERS,
                       json={"action": action, "usccs": usccs, "reason": reason, **extra})


def eligibility(uscc: str, verdict: str, score: str | None = None, tier: str = "hnte",
                at: datetime | None = None) -> EligibilityChanged:
    return EligibilityChanged(
        id=uuid.uuid4(), occurred_at=at or datetime.now(UTC),
        payload=EligibilityChangedPayload(
            uscc=uscc, enterprise_name="x", tier=tier, before=None, after=verdict,  # type: ignore[arg-type]
            score=None if score is None else Score(min=Decimal(score), max=Decimal(score)),
            rulebook_version="hnte/2016-01-01", as_of=beijing_today()))


def feed(sessions: sessionmaker[Session], *events: EligibilityChanged) -> None:
    """What the registry consumer does with scoring's events, in one transaction."""
    with sessions.begin() as session:
        apply_eligibility(session, list(events))
