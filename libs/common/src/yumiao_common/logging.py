"""One JSON log format for every Yumiao process, carrying the request (correlation) id.

The request id lives in a context variable so HTTP handlers, consumers and relays stamp it on
every line without passing it around; ``X-Request-ID`` on HTTP and ``correlation_id`` on AMQP
carry the same value across services.
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from datetime import datetime
from typing import Any

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "yumiao_request_id", default=None
)

_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


@contextmanager
def request_id(value: str | None) -> Iterator[None]:
    """Stamp ``value`` on the log lines written inside the block (a message's correlation id)."""
    token = request_id_var.set(value)
    try:
        yield
    finally:
        request_id_var.reset(token)


class JsonFormatter(logging.Formatter):
    """Render a record as one JSON object per line; extras become top-level keys."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id_var.get(),
        }
        for key, value in record.__dict__.items():
            if key not in _RESERVED and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """The human format (``LOG_JSON=false``, as ``make up`` runs): the request id in brackets
    after the logger name when there is one, so plain lines can be followed too."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        line = super().formatMessage(record)
        rid = request_id_var.get()
        if rid is None:
            return line
        head = f"{record.asctime} {record.levelname} {record.name}"
        return f"{head} [{rid}]{line[len(head):]}"


def configure_logging(service: str, level: str = "INFO", *, json_format: bool = True) -> None:
    """Install one stderr handler on the root logger (idempotent)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_yumiao", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler._yumiao = True  # type: ignore[attr-defined]
    if json_format:
        handler.setFormatter(JsonFormatter(service))
    else:
        handler.setFormatter(PlainFormatter())
    root.addHandler(handler)
    root.setLevel(level.upper())
    logging.getLogger("pika").setLevel(max(logging.WARNING, root.level))
