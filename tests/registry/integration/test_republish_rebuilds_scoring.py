"""Recovery after a restore: scoring's read model is rebuilt from the registry's snapshots.

Real PostgreSQL databases for both services, a vhost of its own, the shared relay and the
scoring consumer run in-process: registry with N firms → relay → consumer → rankings R1;
the registry is then "restored" to older profile versions (scoring would ignore its snapshots),
scoring's read model is reset (``flask --app scoring.app reset-read-model --yes``), the
registry re-publishes (``flask --app registry.app republish-snapshots``), relay and consumer
run again → rankings R2 == R1. docs/operations.md describes the same steps.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from consumer_runs import consume
from flask import Flask
from flask.testing import FlaskClient
from registry_testkit import HEADERS
from registry_testkit import create_enterprise
from registry_testkit import new_uscc
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from registry.adapters.sql.migrations import upgrade_head
from registry.app import create_app as registry_app
from registry.models import AuditEntry
from registry.models import Enterprise
from registry.models.base import outbox_table
from registry.settings import Settings as RegistrySettings
from scoring.app import create_app as scoring_app
from scoring.cli import MIGRATIONS as SCORING_MIGRATIONS
from scoring.consumer import QUEUE
from scoring.consumer import handle_batch
from scoring.models import EnterpriseProfile
from scoring.models import inbox
from scoring.settings import Settings as ScoringSettings
from yumiao_common.contracts.profile import TIER_KEYS
from yumiao_common.messaging.consumer import Consumer
from yumiao_common.messaging.relay import RelayConfig
from yumiao_common.messaging.relay import run_relay
from yumiao_common.messaging.topology import consumer_queue
from yumiao_common.messaging.topology import declare_topology

pytestmark = pytest.mark.integration

FIRMS = 6
TOWNS = ("371502101", "371502102", "371502103")


def relay_then_consume(registry: Flask, scoring: Flask, amqp_url: str) -> int:
    """Publish the registry's outbox, then let scoring's consumer take every snapshot the
    relay routed to its queue (the unpublished ``registry.enterprise.changed`` rows)."""
    engine = registry.extensions["registry.engine"]
    with engine.connect() as connection:
        due = connection.scalar(select(func.count()).select_from(outbox_table).where(
            outbox_table.c.type == "registry.enterprise.changed",
            outbox_table.c.published_at.is_(None)))
    assert run_relay(amqp_url, engine, outbox_table, RelayConfig(once=True)) == 0
    factory: sessionmaker[Session] = scoring.extensions["scoring.session_factory"]
    consumer = Consumer(amqp_url, consumer_queue(QUEUE), factory, inbox, handle_batch)
    consume(consumer, deliveries=due or 0)
    return consumer.handled


def rankings(client: FlaskClient) -> dict[str, list[dict[str, Any]]]:
    """Every tier's ranking, without the evaluation times (a rebuild evaluates again)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for tier in TIER_KEYS:
        answer = client.get(f"/api/v1/rankings/{tier}?limit=200")
        assert answer.status_code == 200, answer.json
        out[tier] = [{k: v for k, v in item.items() if k != "evaluated_at"}
                     for item in answer.get_json()["items"]]
    return out


def test_reset_and_republish_rebuild_the_same_rankings(
    make_pg_database: Callable[[str], str], make_amqp_vhost: Callable[[], str],
) -> None:
    amqp_url = make_amqp_vhost()
    declare_topology(amqp_url)
    registry_url, scoring_url = make_pg_database("rebuild-reg"), make_pg_database("rebuild-sc")
    upgrade_head(registry_url)
    SCORING_MIGRATIONS.upgrade_head(scoring_url)
    common: dict[str, Any] = {"amqp_url": amqp_url, "demo_mode": True, "log_json": False,
                              "log_level": "WARNING"}
    registry = registry_app(RegistrySettings(database_url=registry_url, **common))
    scoring = scoring_app(ScoringSettings(database_url=scoring_url, **common))
    client = registry.test_client()
    usccs = [new_uscc() for _ in range(FIRMS)]
    for i, uscc in enumerate(usccs):
        create_enterprise(client, uscc, town_code=TOWNS[i % len(TOWNS)],
                          niche_market_years=i + 1)
    assert client.post("/api/v1/pools/tech_sme/members", json={"uscc": usccs[0]},
                       headers=HEADERS).status_code == 201
    assert relay_then_consume(registry, scoring, amqp_url) > 0
    before = rankings(scoring.test_client())
    assert {i["uscc"] for i in before[TIER_KEYS[0]]} == set(usccs)
    assert [i["pools"] for i in before[TIER_KEYS[0]] if i["uscc"] == usccs[0]] == [
        ["tech_sme"]]

    # The registry comes back from an older backup: its versions are behind scoring's.
    registry_sessions: sessionmaker[Session] = sessionmaker(registry.extensions["registry.engine"])
    with registry_sessions.begin() as session:
        session.execute(update(Enterprise).values(profile_version=1))
    scoring_sessions: sessionmaker[Session] = scoring.extensions["scoring.session_factory"]

    reset = scoring.test_cli_runner().invoke(args=["reset-read-model"])
    assert reset.exit_code != 0 and "--yes" in reset.output
    reset = scoring.test_cli_runner().invoke(args=["reset-read-model", "--yes"])
    assert reset.exit_code == 0, reset.output
    assert f"emptied {FIRMS} profiles" in reset.output
    assert rankings(scoring.test_client()) == {tier: [] for tier in TIER_KEYS}

    republish = registry.test_cli_runner().invoke(args=[
        "republish-snapshots", "--actor", "user:ops", "--reason", "恢复备份 / restore",
        "--batch-size", "4"])
    assert republish.exit_code == 0, republish.output
    assert (f"wrote {FIRMS} enterprise snapshot and {FIRMS} contact list events"
            in republish.output), republish.output
    assert relay_then_consume(registry, scoring, amqp_url) == FIRMS
    assert rankings(scoring.test_client()) == before

    with registry_sessions() as session:
        events = session.execute(select(outbox_table.c.correlation_id, outbox_table.c.payload)
                                 .where(outbox_table.c.type == "registry.enterprise.changed",
                                        outbox_table.c.correlation_id.like("republish-%"))).all()
        audits = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "republish", AuditEntry.entity == "enterprise")).all()
    assert len({e.correlation_id for e in events}) == 1  # one correlation id for the run
    assert sorted(e.payload["payload"]["profile"]["enterprise"]["uscc"] for e in events) == sorted(
        usccs)
    assert {e.payload["payload"]["change"] for e in events} == {"republished"}
    assert {(a.actor, a.reason, a.request_id) for a in audits} == {
        ("user:ops", "恢复备份 / restore", events[0].correlation_id)}
    assert len(audits) == FIRMS
    with scoring_sessions() as session:
        assert session.scalar(select(func.count()).select_from(EnterpriseProfile)) == FIRMS


def test_republish_can_be_narrowed_to_named_enterprises(
    make_pg_database: Callable[[str], str],
) -> None:
    url = make_pg_database("republish-one")
    upgrade_head(url)
    registry = registry_app(RegistrySettings(database_url=url, demo_mode=True, log_json=False,
                                             log_level="WARNING"))
    client = registry.test_client()
    usccs = [new_uscc() for _ in range(3)]
    for uscc in usccs:
        create_enterprise(client, uscc)
    runner = registry.test_cli_runner()
    named = runner.invoke(args=["republish-snapshots", "--uscc", usccs[0], "--uscc", usccs[2],
                                "--actor", "user:ops", "--reason", "r"])
    assert named.exit_code == 0, named.output
    assert "wrote 2 enterprise snapshot and 2 contact list events" in named.output, named.output
    later = runner.invoke(args=["republish-snapshots", "--since", "2999-01-01",
                                "--actor", "user:ops", "--reason", "r"])
    assert later.exit_code == 0, later.output
    assert "wrote 0 enterprise snapshot and 0 contact list events" in later.output, later.output
    unaudited = runner.invoke(args=["republish-snapshots"])
    assert unaudited.exit_code != 0 and "--actor" in unaudited.output
