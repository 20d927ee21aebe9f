"""What routes read from the request besides the body: who acts, and which version they read."""

from __future__ import annotations

import re
from typing import Any

from flask import g
from flask import request

from registry.journal import Who
from yumiao_common.http_errors import ValidationFailed
from yumiao_common.web import current_actor


def who(data: dict[str, Any] | None = None, *, reason: str | None = None) -> Who:
    """The acting principal (``X-Actor``), the change reason (popped from ``data``), request id."""
    if data is not None and "reason" in data:
        reason = data.pop("reason")
    return Who(actor=current_actor(), reason=reason or None, request_id=g.get("request_id"))


def expected_version(data: dict[str, Any] | None = None) -> int | None:
    """``version`` from the body (popped) or else the ``If-Match`` header; None when neither."""
    if data is not None and data.get("version") is not None:
        version: int = data.pop("version")
        return version
    if data is not None:
        data.pop("version", None)
    raw = request.headers.get("If-Match", "").strip()
    if not raw:
        return None
    token = raw.removeprefix("W/").strip('"')
    if not re.fullmatch(r"[0-9]{1,9}", token):
        raise ValidationFailed(fields={"If-Match": ["应为记录的版本号，如 \"3\" / "
                                                     "must be the record version, e.g. \"3\""]})
    return int(token)
