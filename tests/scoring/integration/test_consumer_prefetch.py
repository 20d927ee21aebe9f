"""``python -m scoring.consumer`` asks the broker for SCORING_CONSUMER_PREFETCH deliveries at
once (the AMQP prefetch the broker reports for its consumer); ``--prefetch`` overrides it."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable
from urllib.parse import unquote
from urllib.parse import urlparse

import pytest

from scoring import consumer
from scoring.consumer import QUEUE
from yumiao_common.messaging import consumer as consumer_base
from yumiao_common.messaging.consumer import QueueConsumer
from yumiao_common.messaging.topology import declare_topology

pytestmark = pytest.mark.integration


def broker_prefetch(vhost: str) -> list[str]:
    """The prefetch of every consumer of scoring's queue, as ``rabbitmqctl`` reports it."""
    listed = subprocess.run(
        ["rabbitmqctl", "-q", "list_consumers", "-p", vhost, "queue_name", "prefetch_count"],
        capture_output=True, text=True, timeout=120, check=True).stdout
    return [line.split("\t")[1] for line in listed.splitlines()
            if line.startswith(f"{QUEUE}\t")]


@pytest.mark.parametrize(("argv", "expected"), [([], "7"), (["--prefetch", "3"], "3")])
def test_consumer_takes_its_prefetch_from_the_setting(
    argv: list[str], expected: str, database_url: str, make_amqp_vhost: Callable[[], str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    amqp_url = make_amqp_vhost()
    declare_topology(amqp_url)
    vhost = unquote(urlparse(amqp_url).path.lstrip("/"))
    for name, value in {"SCORING_DATABASE_URL": database_url, "SCORING_AMQP_URL": amqp_url,
                        "SCORING_CONSUMER_PREFETCH": "7", "SCORING_LOG_JSON": "false",
                        "SCORING_LOG_LEVEL": "WARNING", "SCORING_WORKER_METRICS_PORT": "0"
                        }.items():
        monkeypatch.setenv(name, value)
    # The consumer main() builds runs until the test has read the broker, then is stopped (as
    # SIGTERM would): an idle exit after a few seconds could beat a slow rabbitmqctl.
    started: list[QueueConsumer] = []

    def run(built: QueueConsumer) -> int:
        started.append(built)
        return built.run()

    monkeypatch.setattr(consumer_base, "run_until_signalled", run)
    runs = threading.Thread(target=consumer.main, args=(argv,), daemon=True)
    runs.start()
    try:
        deadline, seen = time.monotonic() + 180, list[str]()
        while time.monotonic() < deadline and not seen and runs.is_alive():
            seen = broker_prefetch(vhost)
            time.sleep(0.3)
        assert seen == [expected]
    finally:
        for built in started:
            built.stop()
        runs.join(timeout=60)
    assert not runs.is_alive()
