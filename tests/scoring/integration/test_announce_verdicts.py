"""``flask --app scoring.app announce-verdicts``: every stored verdict is announced again,
unchanged (``before == after``), so a consumer that starts keeping verdicts late (notify's tier
standings for the policy-window reminders) learns them without anyone's verdict moving."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from scoring.handlers.profiles import apply_enterprise_changes
from scoring.models import Evaluation
from scoring.models import outbox
from yumiao_common.contracts.events import parse_event
from yumiao_common.contracts.registry import EnterpriseChanged
from yumiao_common.contracts.scoring import EligibilityChanged

pytestmark = pytest.mark.integration


def _unchanged_news(factory: sessionmaker[Session], uscc: str) -> list[EligibilityChanged]:
    with factory() as session:
        payloads = session.execute(select(outbox.c.payload)).scalars().all()
    events = [parse_event(json.dumps(p).encode()) for p in payloads
              if p["payload"]["uscc"] == uscc]
    return [e for e in events if isinstance(e, EligibilityChanged)
            and e.payload.before == e.payload.after]


def test_every_stored_verdict_is_announced_unchanged_and_parses(
    app: Flask, factory: sessionmaker[Session], make_profile: Callable[..., dict[str, Any]],
    enterprise_changed: Callable[..., EnterpriseChanged],
) -> None:
    profile = make_profile()
    uscc = profile["enterprise"]["uscc"]
    with factory.begin() as session:
        apply_enterprise_changes(session, events=[enterprise_changed(profile)])
    with factory() as session:
        stored = dict(session.execute(
            select(Evaluation.tier, Evaluation.verdict).where(Evaluation.uscc == uscc)).all())
    assert _unchanged_news(factory, uscc) == []
    result = app.test_cli_runner().invoke(args=["announce-verdicts", "--page-size", "3"])
    assert result.exit_code == 0, result.output
    assert "announced" in result.output
    news = _unchanged_news(factory, uscc)
    assert {e.payload.tier: e.payload.after for e in news} == stored
    assert len(news) == len(stored)
    assert all(e.payload.enterprise_name == profile["enterprise"]["name"] for e in news)
