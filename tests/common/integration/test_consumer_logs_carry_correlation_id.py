"""The consumer base's log lines about one message carry that message's correlation id (the
X-Request-ID of the change behind it), so a failed or parked event leads back to its request
even when it arrived in a batch with others (issue 10 item 3)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from yumiao_common.logging import JsonFormatter

pytestmark = pytest.mark.integration


@pytest.fixture()
def consumer_log() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("test"))
    logger = logging.getLogger("yumiao.consumer")
    level = logger.level  # an earlier app may have left the root at ERROR: read every line
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_retry_and_parking_lines_name_the_failed_events_own_correlation_id(
    pg_db: Any, bus: Any, kit: Any, consumer_log: io.StringIO
) -> None:
    good = kit.moved(1, "good").model_copy(update={"correlation_id": "req-good-0001"})
    bad = kit.moved(2, "bad").model_copy(update={"correlation_id": "req-bad-0002"})
    pg_db.write([good, bad])
    assert bus.relay(pg_db) == 0
    _, thread, codes = kit.start_consumer(pg_db, bus, kit.recording_handler(pg_db, fail_on="bad"),
                                          idle_stop=1.5)
    thread.join(30)
    assert codes == [0]
    lines = [json.loads(line) for line in consumer_log.getvalue().splitlines()]
    about_bad = [line for line in lines if str(bad.id) in line["message"]]
    assert len(about_bad) == 3  # two retries, then parked
    assert "parked" in about_bad[-1]["message"]
    assert {line["request_id"] for line in about_bad} == {"req-bad-0002"}
