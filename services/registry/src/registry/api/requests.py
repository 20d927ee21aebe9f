"""What routes read from the request besides the body: who acts, and which version they read."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from typing import TypeVar

from flask import g
from flask import request
from flask_smorest import Blueprint
from marshmallow import EXCLUDE
from marshmallow import Schema
from marshmallow import fields
from marshmallow import validate

from registry.handlers.journal import Who
from yumiao_common.web.errors import ValidationFailed
from yumiao_common.web.openapi import ErrorSchema
from yumiao_common.web.wiring import required_actor

F = TypeVar("F", bound=Callable[..., Any])
VERSION_TOKEN = r"(W/)?\"?[0-9]{1,9}\"?"


class IfMatchSchema(Schema):
    """The optional ``If-Match`` header: the version read, as an alternative to ``version``."""

    class Meta:
        unknown = EXCLUDE

    if_match = fields.String(
        data_key="If-Match", validate=validate.Regexp(f"^{VERSION_TOKEN}$"),
        metadata={"description": "读取时的版本号（或请求体 version）/ The version read, e.g. "
                                 "\"3\" (or the body field version)"})


def versioned(blp: Blueprint) -> Callable[[F], F]:
    """Document (and parse) ``If-Match`` and the 428 a write without any version answers.

    A stale version is a 409 (``stale_version``), documented for every registry write.
    """
    def decorate(func: F) -> F:
        func = blp.alt_response(428, schema=ErrorSchema, description=(
            "需要版本号（请求体 version 或 If-Match）/ A version is required "
            "(body field version or If-Match)"))(func)
        return blp.arguments(IfMatchSchema, location="headers", as_kwargs=True)(func)  # type: ignore[no-any-return]

    return decorate


def who(data: dict[str, Any] | None = None, *, reason: str | None = None) -> Who:
    """The acting principal (``X-Actor``, required: 422 without), the change reason (popped
    from ``data``), request id."""
    if data is not None and "reason" in data:
        reason = data.pop("reason")
    return Who(actor=required_actor(), reason=reason or None, request_id=g.get("request_id"))


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
    if not re.fullmatch(r"[0-9]{1,9}", token):  # webargs checked the shape on versioned routes
        raise ValidationFailed(fields={"If-Match": ["应为记录的版本号，如 \"3\" / "
                                                     "must be the record version, e.g. \"3\""]})
    return int(token)
