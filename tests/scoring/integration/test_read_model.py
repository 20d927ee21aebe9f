"""The read model fed by ``registry.enterprise.changed``: stored, evaluated once per change,
idempotent, and a moved verdict leaves exactly one ``scoring.eligibility.changed``."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from scoring.handlers.profiles import apply_enterprise_changes
from scoring.models import EnterpriseProfile
from scoring.models import Evaluation
from scoring.models import outbox
from yumiao_common.contracts.events import parse_event
from yumiao_common.contracts.profile import TIER_KEYS
from yumiao_common.contracts.registry import EnterpriseChanged

pytestmark = pytest.mark.integration


def apply(factory: sessionmaker[Session], *events: EnterpriseChanged) -> int:
    with factory.begin() as session:
        return apply_enterprise_changes(session, events=list(events))


def outbox_rows(factory: sessionmaker[Session], uscc: str) -> list[dict[str, Any]]:
    with factory() as session:
        payloads = session.execute(select(outbox.c.payload)).scalars().all()
    return [p for p in payloads if p["payload"]["uscc"] == uscc]


def verdicts(factory: sessionmaker[Session], uscc: str) -> dict[str, str]:
    with factory() as session:
        rows = session.execute(
            select(Evaluation.tier, Evaluation.verdict).where(Evaluation.uscc == uscc)
        )
        return {tier: verdict for tier, verdict in rows}


def test_snapshot_is_stored_and_evaluated_for_every_tier(
    factory: sessionmaker[Session],
    make_profile: Callable[..., dict[str, Any]],
    enterprise_changed: Callable[..., EnterpriseChanged],
    client: FlaskClient,
) -> None:
    profile = make_profile()
    uscc = profile["enterprise"]["uscc"]
    apply(factory, enterprise_changed(profile))
    assert set(verdicts(factory, uscc)) == set(TIER_KEYS)
    body = client.get(f"/api/v1/enterprises/{uscc}/evaluations").json
    assert body["name"] == profile["enterprise"]["name"]
    assert {e["tier"] for e in body["evaluations"]} == set(TIER_KEYS)
    assert all(e["rulebook_version"] for e in body["evaluations"])


def test_redelivery_or_an_older_snapshot_changes_nothing(
    factory: sessionmaker[Session],
    make_profile: Callable[..., dict[str, Any]],
    enterprise_changed: Callable[..., EnterpriseChanged],
) -> None:
    profile = make_profile()
    uscc = profile["enterprise"]["uscc"]
    event = enterprise_changed(profile, version=3)
    apply(factory, event)
    first = len(outbox_rows(factory, uscc))
    assert apply(factory, event) == 0  # same version again
    older = copy.deepcopy(profile)
    older["financials"] = []
    assert apply(factory, enterprise_changed(older, version=2)) == 0
    assert len(outbox_rows(factory, uscc)) == first
    with factory() as session:
        held = session.get(EnterpriseProfile, uscc)
        assert held is not None and held.source_version == 3 and held.profile["financials"]


def test_a_moved_verdict_emits_exactly_one_event_per_tier_that_moved(
    factory: sessionmaker[Session],
    make_profile: Callable[..., dict[str, Any]],
    enterprise_changed: Callable[..., EnterpriseChanged],
) -> None:
    profile = make_profile()
    uscc = profile["enterprise"]["uscc"]
    apply(factory, enterprise_changed(profile, version=1))
    before = verdicts(factory, uscc)
    seen = {row["id"] for row in outbox_rows(factory, uscc)}
    worse = copy.deepcopy(profile)
    worse["enterprise"]["flags"]["serious_dishonesty_list"] = True  # a gate of every tier
    moves = apply(factory, enterprise_changed(worse, version=2))
    after = verdicts(factory, uscc)
    moved = [t for t in TIER_KEYS if before[t] != after[t]]
    assert moved and moves == len(moved)
    rows = [row for row in outbox_rows(factory, uscc) if row["id"] not in seen]
    assert len(rows) == len(moved)
    for row in rows:
        event = parse_event(json.dumps(row))
        assert event.type == "scoring.eligibility.changed"
        payload = event.payload  # type: ignore[attr-defined]
        assert payload.before == before[payload.tier] and payload.after == after[payload.tier]
        assert payload.rulebook_version


def test_a_batch_keeps_the_newest_snapshot_per_enterprise(
    factory: sessionmaker[Session],
    make_profile: Callable[..., dict[str, Any]],
    enterprise_changed: Callable[..., EnterpriseChanged],
) -> None:
    profile = make_profile()
    uscc = profile["enterprise"]["uscc"]
    renamed = copy.deepcopy(profile)
    renamed["enterprise"]["name"] = "聊城新名称有限公司"
    apply(factory, enterprise_changed(renamed, version=5), enterprise_changed(profile, version=4))
    with factory() as session:
        assert (
            session.scalar(select(EnterpriseProfile.name).where(EnterpriseProfile.uscc == uscc))
            == "聊城新名称有限公司"
        )
        assert session.scalar(
            select(func.count()).select_from(Evaluation).where(Evaluation.uscc == uscc)
        ) == len(TIER_KEYS)


def test_unknown_enterprise_evaluations_are_404(client: FlaskClient) -> None:
    resp = client.get("/api/v1/enterprises/91371502MA3C00011G/evaluations")
    assert resp.status_code == 404
    assert resp.json["error"]["code"] == "not_found"
