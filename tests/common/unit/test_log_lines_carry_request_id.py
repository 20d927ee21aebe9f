"""A log line written while a message or request is handled names its request id, in the JSON
format and in the plain one ``make up`` uses, and only inside that block (issue 10 item 3)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from yumiao_common.logging import JsonFormatter
from yumiao_common.logging import PlainFormatter
from yumiao_common.logging import request_id


@pytest.fixture(params=["json", "plain"])
def captured(request: pytest.FixtureRequest) -> Iterator[tuple[str, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("test") if request.param == "json" else PlainFormatter())
    logger = logging.getLogger("test.request_id")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield request.param, stream
    logger.removeHandler(handler)


def test_lines_inside_the_block_carry_the_id_and_lines_after_it_do_not(
    captured: tuple[str, io.StringIO]
) -> None:
    kind, stream = captured
    logger = logging.getLogger("test.request_id")
    with request_id("req-trace-0001"):
        logger.info("delivery %s failed", "d-1")
    logger.info("idle")
    inside, after = stream.getvalue().splitlines()
    if kind == "json":
        assert json.loads(inside)["request_id"] == "req-trace-0001"
        assert json.loads(after)["request_id"] is None
    else:
        assert inside.endswith("INFO test.request_id [req-trace-0001] delivery d-1 failed")
        assert after.endswith("INFO test.request_id idle")
