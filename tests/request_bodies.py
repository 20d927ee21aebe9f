"""A request body that records how much of it the server read.

Tests that claim a service refuses a body *without reading it* (no internal token, no
credentials, a declared size over the limit) send this stream and assert ``read_bytes``.
It is seekable because werkzeug's test client measures the stream before the request.
"""

from __future__ import annotations

import io
from typing import Any


class CountingBody(io.RawIOBase):
    """``data`` as a stream; ``read_bytes`` counts what was read of it."""

    def __init__(self, data: bytes) -> None:
        self.data, self.position, self.read_bytes = data, 0, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: len(self.data)}[whence]
        self.position = base + offset
        return self.position

    def readinto(self, buffer: Any) -> int:
        chunk = self.data[self.position:self.position + len(buffer)]
        buffer[:len(chunk)] = chunk
        self.position += len(chunk)
        self.read_bytes += len(chunk)
        return len(chunk)
