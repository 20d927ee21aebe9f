"""Recovery after a restore: notify's copy of the contacts is rebuilt from the registry.

notify keeps one registry fact as state: each firm's contact list, from
``registry.contacts.changed`` (it addresses a firm without a portal account through it). Real
PostgreSQL databases for registry and notify, a vhost of the run's own, the shared relay and
notify's events consumer in-process: firms with contacts (one edited twice, one with none, one
told of an expiring certificate, so notify has a notice and deliveries) → relay → consumer.
notify is then "restored from an older dump": its contact copy is emptied, one firm's list
left at an older version. ``flask --app registry.app republish-snapshots`` re-sends every
firm's current list; the relay and the consumer run again → notify holds every list exactly as
the registry does, and no notice, delivery or push was added. The other way round — the
registry restored older than notify — the re-published list is older than notify's and
dropped, until ``flask --app notify.app reset-contacts --yes`` empties notify's copy first.
docs/operations.md describes the same steps.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from consumer_runs import consume
from flask import Flask
from registry_testkit import HEADERS
from registry_testkit import create_enterprise
from registry_testkit import new_uscc
from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from notify.adapters.queues import EVENTS_QUEUE
from notify.adapters.sql.migrations import upgrade_head as notify_upgrade_head
from notify.app import create_app as notify_app
from notify.consumer import make_handler
from notify.models.contact import ContactList
from notify.models.delivery import Delivery
from notify.models.messaging import inbox_table
from notify.models.messaging import outbox_table as notify_outbox
from notify.models.notice import Notice
from notify.settings import Settings as NotifySettings
from registry.adapters.sql.migrations import upgrade_head
from registry.app import create_app as registry_app
from registry.handlers import emit_expiry_reminders
from registry.models import AuditEntry
from registry.models import Contact
from registry.models import Enterprise
from registry.models.base import outbox_table
from registry.settings import Settings as RegistrySettings
from yumiao_common.clock import beijing_today
from yumiao_common.contracts.registry import Contact as ContactOnWire
from yumiao_common.db.engine import make_engine
from yumiao_common.db.engine import make_session_factory
from yumiao_common.messaging.consumer import Consumer
from yumiao_common.messaging.relay import RelayConfig
from yumiao_common.messaging.relay import run_relay
from yumiao_common.messaging.topology import declare_topology

pytestmark = pytest.mark.integration

WANG = {"name": "王芳", "role": "财务负责人", "mobile": "13800138000",
        "email": "wang.fang@example.com", "sms_consent": True, "email_consent": True}
LI = {"name": "李强", "mobile": "13912345678", "sms_consent": True}
ZHAO = {"name": "赵敏", "email": "zhao.min@example.com", "email_consent": True}
WIRE_FIELDS = tuple(ContactOnWire.model_fields)


def relay_then_consume(registry: Flask, sessions: sessionmaker[Session], amqp_url: str,
                       settings: NotifySettings) -> int:
    """Publish the registry's outbox, then let notify's events consumer take every event the
    relay routed to ``notify.events`` (the unpublished rows of the types it is bound to)."""
    engine = registry.extensions["registry.engine"]
    with engine.connect() as connection:
        due = connection.scalar(select(func.count()).select_from(outbox_table).where(
            outbox_table.c.type.in_(EVENTS_QUEUE.bindings),
            outbox_table.c.published_at.is_(None)))
    assert run_relay(amqp_url, engine, outbox_table, RelayConfig(once=True)) == 0
    consumer = Consumer(amqp_url, EVENTS_QUEUE, sessions, inbox_table, make_handler(settings))
    consume(consumer, deliveries=due or 0)
    return consumer.handled


def registry_lists(registry: Flask, usccs: list[str]) -> dict[str, dict[str, Any]]:
    """Each firm's name, contact-list version and contacts as the registry's API shows them."""
    client = registry.test_client()
    with sessionmaker(registry.extensions["registry.engine"])() as session:
        firms = {e.uscc: e for e in session.scalars(
            select(Enterprise).where(Enterprise.uscc.in_(usccs)))}
    out = {}
    for uscc in usccs:
        answer = client.get(f"/api/v1/enterprises/{uscc}/contacts?limit=100", headers=HEADERS)
        assert answer.status_code == 200, answer.json
        out[uscc] = {"name": firms[uscc].name, "version": firms[uscc].contacts_version,
                     "contacts": [{f: c[f] for f in WIRE_FIELDS}
                                  for c in answer.get_json()["items"]]}
    return out


def notify_lists(sessions: sessionmaker[Session]) -> dict[str, dict[str, Any]]:
    with sessions() as session:
        return {row.uscc: {"name": row.enterprise_name, "version": row.version,
                           "contacts": row.contacts}
                for row in session.scalars(select(ContactList))}


def pushes(sessions: sessionmaker[Session]) -> tuple[int, int, int]:
    """How many notices, deliveries and outgoing notify messages there are."""
    with sessions() as session:
        return tuple(session.scalar(select(func.count()).select_from(t)) or 0  # type: ignore[return-value]
                     for t in (Notice.__table__, Delivery.__table__, notify_outbox))


def test_republish_rebuilds_notifys_contacts_without_a_new_notice(
    make_pg_database: Callable[[str], str], make_amqp_vhost: Callable[[], str],
) -> None:
    amqp_url = make_amqp_vhost()
    declare_topology(amqp_url)
    registry_url, notify_url = make_pg_database("renotify-reg"), make_pg_database("renotify-nt")
    upgrade_head(registry_url)
    notify_upgrade_head(notify_url)
    common: dict[str, Any] = {"amqp_url": amqp_url, "demo_mode": True, "log_json": False,
                              "log_level": "WARNING"}
    registry = registry_app(RegistrySettings(database_url=registry_url, **common))
    settings = NotifySettings(database_url=notify_url, **common)
    notify_engine = make_engine(notify_url)
    notify_sessions = make_session_factory(notify_engine)
    client = registry.test_client()
    usccs = [new_uscc() for _ in range(4)]
    for uscc in usccs:
        create_enterprise(client, uscc)
    base = "/api/v1/enterprises/{}/contacts"
    for uscc, people in zip(usccs, ([WANG, LI], [ZHAO], [WANG], []), strict=True):
        for person in people:
            assert client.post(base.format(uscc), json=person,
                               headers=HEADERS).status_code == 201
    first = client.get(base.format(usccs[0]), headers=HEADERS).get_json()["items"][0]
    changed = client.patch(f"{base.format(usccs[0])}/{first['id']}",
                           json={"sms_opt_out": True, "version": first["version"]},
                           headers=HEADERS)
    assert changed.status_code == 200, changed.json
    # A certificate expiring in 60 days: notify tells the firm through its contacts.
    today = beijing_today()
    assert client.post(f"/api/v1/enterprises/{usccs[2]}/certifications", headers=HEADERS,
                       json={"tier": "hnte", "issued_on": "2025-01-01", "number": "GR2025",
                             "expires_on": (today + timedelta(days=60)).isoformat()}
                       ).status_code == 201
    registry_sessions: sessionmaker[Session] = sessionmaker(registry.extensions["registry.engine"])
    with registry_sessions.begin() as session:
        assert emit_expiry_reminders(session, today=today) >= 1
    assert relay_then_consume(registry, notify_sessions, amqp_url, settings) > 0
    held = registry_lists(registry, usccs)
    assert notify_lists(notify_sessions) == {u: held[u] for u in usccs[:3]}
    notices, deliveries, messages = pushes(notify_sessions)
    assert notices >= 1 and deliveries >= 1 and messages >= 1

    # notify comes back from an older dump: it lost two lists and holds an older third one.
    with notify_sessions.begin() as session:
        session.execute(delete(ContactList).where(ContactList.uscc.in_(usccs[1:])))
        session.execute(update(ContactList).where(ContactList.uscc == usccs[0]).values(
            version=1, contacts=[dict(held[usccs[0]]["contacts"][0], sms_opt_out=False)]))
    assert notify_lists(notify_sessions) != {u: held[u] for u in usccs}

    republish = registry.test_cli_runner().invoke(args=[
        "republish-snapshots", "--actor", "user:ops", "--reason", "恢复通知库 / notify restored",
        "--batch-size", "3"])
    assert republish.exit_code == 0, republish.output
    assert ("wrote 4 enterprise snapshot and 4 contact list events to the outbox"
            in republish.output), republish.output
    assert relay_then_consume(registry, notify_sessions, amqp_url, settings) == len(usccs)

    assert notify_lists(notify_sessions) == registry_lists(registry, usccs) == held
    assert pushes(notify_sessions) == (notices, deliveries, messages)  # nobody is told again
    with registry_sessions() as session:
        events = session.execute(select(outbox_table.c.correlation_id, outbox_table.c.payload)
                                 .where(outbox_table.c.type == "registry.contacts.changed",
                                        outbox_table.c.correlation_id.like("republish-%"))).all()
        audits = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "republish", AuditEntry.entity == "contact_list")).all()
    assert {e.payload["payload"]["change"] for e in events} == {"republished"}
    assert len({e.correlation_id for e in events}) == 1
    assert {(a.actor, a.reason, a.request_id) for a in audits} == {
        ("user:ops", "恢复通知库 / notify restored", events[0].correlation_id)}
    assert len(audits) == len(usccs)
    notify_engine.dispose()


def test_a_registry_older_than_notify_is_followed_by_emptying_notifys_copy_first(
    make_pg_database: Callable[[str], str], make_amqp_vhost: Callable[[], str],
) -> None:
    """notify keeps the newest version it has seen; a registry restored from an older dump is
    behind it, so its re-published list is dropped until ``reset-contacts`` empties notify's."""
    amqp_url = make_amqp_vhost()
    declare_topology(amqp_url)
    registry_url, notify_url = make_pg_database("older-reg"), make_pg_database("older-nt")
    upgrade_head(registry_url)
    notify_upgrade_head(notify_url)
    common: dict[str, Any] = {"amqp_url": amqp_url, "demo_mode": True, "log_json": False,
                              "log_level": "WARNING"}
    registry = registry_app(RegistrySettings(database_url=registry_url, **common))
    settings = NotifySettings(database_url=notify_url, **common)
    notify = notify_app(settings)
    notify_sessions = make_session_factory(make_engine(notify_url))
    client = registry.test_client()
    uscc = new_uscc()
    create_enterprise(client, uscc)
    url = f"/api/v1/enterprises/{uscc}/contacts"
    wang = client.post(url, json=WANG, headers=HEADERS).get_json()
    assert client.patch(f"{url}/{wang['id']}", json={"sms_opt_out": True, "version": 1},
                        headers=HEADERS).status_code == 200
    assert relay_then_consume(registry, notify_sessions, amqp_url, settings) == 2
    assert notify_lists(notify_sessions)[uscc]["version"] == 2

    # The registry comes back from a dump taken before the opt-out: version 1, SMS allowed.
    with sessionmaker(registry.extensions["registry.engine"]).begin() as session:
        session.execute(update(Contact).values(sms_opt_out=False, version=1))
        session.execute(update(Enterprise).values(contacts_version=1))
    republish = [*("republish-snapshots", "--kind", "contacts", "--actor", "user:ops"),
                 *("--reason", "恢复登记库 / registry restored")]
    assert registry.test_cli_runner().invoke(args=republish).exit_code == 0
    assert relay_then_consume(registry, notify_sessions, amqp_url, settings) == 1
    assert notify_lists(notify_sessions)[uscc]["version"] == 2  # older: dropped

    refused = notify.test_cli_runner().invoke(args=["reset-contacts"])
    assert refused.exit_code != 0 and "--yes" in refused.output
    reset = notify.test_cli_runner().invoke(args=["reset-contacts", "--yes"])
    assert reset.exit_code == 0 and "emptied 1 contact lists" in reset.output, reset.output
    assert registry.test_cli_runner().invoke(args=republish).exit_code == 0
    assert relay_then_consume(registry, notify_sessions, amqp_url, settings) == 1
    assert notify_lists(notify_sessions) == registry_lists(registry, [uscc])
    assert notify_lists(notify_sessions)[uscc]["contacts"][0]["sms_opt_out"] is False


def test_republish_sends_only_the_kinds_asked_for(make_pg_database: Callable[[str], str]) -> None:
    url = make_pg_database("republish-kind")
    upgrade_head(url)
    registry = registry_app(RegistrySettings(database_url=url, demo_mode=True, log_json=False,
                                             log_level="WARNING"))
    client = registry.test_client()
    usccs = [new_uscc() for _ in range(2)]
    for uscc in usccs:
        create_enterprise(client, uscc)
    runner = registry.test_cli_runner()
    only = runner.invoke(args=["republish-snapshots", "--kind", "contacts",
                               "--actor", "user:ops", "--reason", "r"])
    assert only.exit_code == 0, only.output
    assert "wrote 2 contact list events" in only.output and "enterprise" not in only.output
    with sessionmaker(registry.extensions["registry.engine"])() as session:
        sent = session.scalars(select(outbox_table.c.type).where(
            outbox_table.c.correlation_id.like("republish-%"))).all()
    assert sorted(sent) == ["registry.contacts.changed"] * 2
    wrong = runner.invoke(args=["republish-snapshots", "--kind", "notices",
                                "--actor", "user:ops", "--reason", "r"])
    assert wrong.exit_code != 0 and "enterprise" in wrong.output and "contacts" in wrong.output
