"""The RabbitMQ permissions docs/operations.md prescribes are enough, and no more.

The table in docs/operations.md ("Users and permissions") is parsed and applied to fresh users
on a fresh vhost of the local broker; then each service's broker work runs as its own user:
declaring the whole topology (every relay does at start), publishing events, consuming its own
queue, re-publishing a failure to its retry queue through the default exchange, and (notify)
reading a parking queue. What the table keeps apart is refused (notify's delivery queues are
notify's alone).
"""

from __future__ import annotations

import re
import secrets
import subprocess
from collections.abc import Iterator

import pika
import pytest
from pika.exceptions import ChannelClosedByBroker

from tests.infra.conftest import ROOT
from yumiao_common.messaging.topology import CONSUMERS
from yumiao_common.messaging.topology import EXCHANGE
from yumiao_common.messaging.topology import ConsumerQueue
from yumiao_common.messaging.topology import declare_topology

pytestmark = pytest.mark.integration

#: notify's own work queue, declared by its relay besides the shared consumers.
DELIVERIES = ConsumerQueue("notify.deliveries", ("notify.delivery.requested",))


def documented_permissions() -> dict[str, tuple[str, str, str]]:
    text = (ROOT / "docs/operations.md").read_text(encoding="utf-8")
    section = text.split("### Users and permissions", 1)[1].split("\n#", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) == 5 and cells[0].startswith("`"):
            user = cells[0].strip("`")
            configure, write, read = (c.strip("`").replace("\\|", "|") for c in cells[2:])
            rows[user] = (configure, write, read)
    return rows


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def urls() -> Iterator[dict[str, str]]:
    """service -> AMQP URL of its own user on a fresh vhost, with the documented permissions."""
    tag = secrets.token_hex(3)
    vhost = f"yt_perm_{tag}"
    rabbitmqctl("add_vhost", vhost)
    made = []
    found: dict[str, str] = {}
    try:
        for service, (configure, write, read) in documented_permissions().items():
            # hex: a password starting with "-" would be read by rabbitmqctl as an option
            user, password = f"yt_{tag}_{service}", secrets.token_hex(12)
            rabbitmqctl("add_user", user, password)
            made.append(user)
            rabbitmqctl("set_permissions", "-p", vhost, user, configure, write, read)
            found[service] = f"amqp://{user}:{password}@127.0.0.1:5672/{vhost}"
        yield found
    finally:
        for user in made:
            subprocess.run(["rabbitmqctl", "-q", "delete_user", user], capture_output=True,
                           timeout=120)
        subprocess.run(["rabbitmqctl", "-q", "delete_vhost", vhost], capture_output=True,
                       timeout=120)


def channel(url: str) -> pika.adapters.blocking_connection.BlockingChannel:
    return pika.BlockingConnection(pika.URLParameters(url)).channel()


def test_the_table_names_the_three_amqp_services() -> None:
    assert set(documented_permissions()) == {"registry", "scoring", "notify"}


def test_each_service_does_its_broker_work_as_its_own_user(urls: dict[str, str]) -> None:
    # Every relay declares the whole topology at start (notify's adds its delivery queue).
    declare_topology(urls["registry"])
    declare_topology(urls["scoring"])
    declare_topology(urls["notify"], (*CONSUMERS, DELIVERIES))

    registry = channel(urls["registry"])
    registry.confirm_delivery()
    registry.basic_publish(EXCHANGE, "registry.enterprise.changed", b"{}")
    registry.basic_publish(EXCHANGE, "registry.pipeline.moved", b"{}")

    scoring = channel(urls["scoring"])
    scoring.queue_declare("scoring.profiles", passive=True)
    method, _props, _body = scoring.basic_get("scoring.profiles")
    assert method is not None, "scoring cannot read the event registry published"
    scoring.basic_ack(method.delivery_tag)
    scoring.confirm_delivery()
    scoring.basic_publish("", "scoring.profiles.retry.1", b"{}")  # a failed handler's retry
    scoring.basic_publish(EXCHANGE, "scoring.eligibility.changed", b"{}")

    notify = channel(urls["notify"])
    method, _props, _body = notify.basic_get("notify.events")
    assert method is not None
    notify.basic_ack(method.delivery_tag)
    notify.confirm_delivery()
    notify.basic_publish(EXCHANGE, "notify.delivery.requested", b"{}")
    method, _props, _body = notify.basic_get("notify.deliveries")
    assert method is not None
    notify.basic_ack(method.delivery_tag)
    notify.basic_publish("", "notify.deliveries.parking", b"{}")
    parked, _props, _body = notify.basic_get("notify.deliveries.parking")  # /api/v1/parking
    assert parked is not None
    notify.basic_publish("", "notify.deliveries", b"{}")  # replay
    notify.basic_ack(parked.delivery_tag)


@pytest.mark.parametrize(("service", "queue"), [
    ("registry", "notify.deliveries"),
    ("scoring", "notify.deliveries"),
    ("registry", "notify.deliveries.parking"),
])
def test_only_notify_touches_its_delivery_queues(
    urls: dict[str, str], service: str, queue: str
) -> None:
    declare_topology(urls["notify"], (*CONSUMERS, DELIVERIES))
    with pytest.raises(ChannelClosedByBroker) as refused:
        channel(urls[service]).basic_get(queue)
    assert refused.value.reply_code == 403
    with pytest.raises(ChannelClosedByBroker) as refused:
        channel(urls[service]).queue_delete(queue)
    assert refused.value.reply_code == 403


def test_a_relay_cannot_declare_queues_outside_the_topology(urls: dict[str, str]) -> None:
    with pytest.raises(ChannelClosedByBroker) as refused:
        channel(urls["registry"]).queue_declare("someone.elses", durable=True)
    assert refused.value.reply_code == 403
