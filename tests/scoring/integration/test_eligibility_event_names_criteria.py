"""``scoring.eligibility.changed`` carries what a notice must name: the titles of the criteria
gained (both languages) and the rulebook's official documents (issue 8 item 11)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from scoring.handlers.profiles import apply_enterprise_changes
from scoring.models import outbox
from yumiao_common.contracts.events import parse_event
from yumiao_common.contracts.registry import EnterpriseChanged

pytestmark = pytest.mark.integration


def test_first_news_names_gained_criteria_and_documents(
    factory: sessionmaker[Session],
    make_profile: Callable[..., dict[str, Any]],
    enterprise_changed: Callable[..., EnterpriseChanged],
) -> None:
    profile = make_profile()
    uscc = profile["enterprise"]["uscc"]
    with factory.begin() as session:
        apply_enterprise_changes(session, events=[enterprise_changed(profile)])
    with factory() as session:
        rows = [p for p in session.execute(select(outbox.c.payload)).scalars()
                if p["payload"]["uscc"] == uscc]
    payloads = {e.payload.tier: e.payload for e in (parse_event(json.dumps(r)) for r in rows)}  # type: ignore[attr-defined]
    assert "tech_sme" in payloads
    for payload in payloads.values():
        titles = {t.id: t for t in payload.criteria_gained_titles}
        assert set(titles) == set(payload.criteria_gained)
        assert all(t.zh and t.en and t.zh != t.id for t in titles.values())
        assert payload.rulebook_documents, payload.tier
    assert payloads["tech_sme"].rulebook_documents[0] == "国科发政〔2017〕115号"
