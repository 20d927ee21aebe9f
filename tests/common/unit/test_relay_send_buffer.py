"""The relay joins a batch's frames in pika's send buffer without changing a byte.

Fewer ``send()`` calls, same bytes in the same order; a transport without that buffer (another
pika version) is left alone.
"""

from __future__ import annotations

from collections import deque
from types import SimpleNamespace
from typing import Any

import pytest

from yumiao_common.messaging.relay import _coalesce_output


@pytest.mark.parametrize(
    "chunks",
    [[b"method", b"header", b"body"], [b"only"], []],
)
def test_frames_are_joined_in_order(chunks: list[bytes]) -> None:
    buffers = deque(chunks)
    connection: Any = SimpleNamespace(_transport=SimpleNamespace(_tx_buffers=buffers))

    _coalesce_output(connection)

    assert b"".join(buffers) == b"".join(chunks)
    assert len(buffers) == min(1, len(chunks))


@pytest.mark.parametrize(
    "connection",
    [SimpleNamespace(), SimpleNamespace(_transport=None),
     SimpleNamespace(_transport=SimpleNamespace(_tx_buffers=[b"a", b"b"]))],
)
def test_a_transport_without_the_buffer_is_left_alone(connection: Any) -> None:
    _coalesce_output(connection)
