"""One JSON error shape for every HTTP error of every service, and the handlers that make it.

Shape: ``{"error": {"code", "status", "message", "fields", "details"}}``. ``fields`` maps a
field path (``"enterprise.uscc"``, ``"row 12: 营业收入"``) to the reasons it was refused;
``details`` carries structured extras (e.g. the allowed pipeline moves of a 409). Messages are
zh-CN first with English beside them. Any exception not mapped here becomes a logged 500 with the
same shape and no internals leaked; tests treat any 500 as a bug.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask import Response
from flask import jsonify
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

_HTTP_MESSAGES: dict[int, tuple[str, str]] = {
    400: ("bad_request", "请求格式错误 / Malformed request"),
    401: ("unauthorized", "需要登录 / Authentication required"),
    403: ("forbidden", "无权访问 / Forbidden"),
    404: ("not_found", "资源不存在 / Not found"),
    405: ("method_not_allowed", "不支持该方法 / Method not allowed"),
    409: ("conflict", "与当前状态冲突 / Conflict with the current state"),
    412: ("precondition_failed", "前置条件不满足 / Precondition failed"),
    413: ("payload_too_large", "请求体过大 / Request body too large"),
    415: ("unsupported_media_type", "不支持的内容类型 / Unsupported media type"),
    422: ("validation_error", "输入校验失败 / Validation failed"),
    428: ("precondition_required", "需要版本号 / A version (If-Match) is required"),
    429: ("rate_limited", "请求过于频繁 / Too many requests"),
    500: ("internal_error", "服务器内部错误 / Internal server error"),
    502: ("bad_gateway", "上游服务错误 / Upstream service error"),
    503: ("unavailable", "服务暂不可用 / Service unavailable"),
    504: ("gateway_timeout", "上游服务超时 / Upstream service timed out"),
}


class DomainError(Exception):
    """A refusal the user can act on; mapped to its HTTP status by the shared handlers."""

    status = 400
    code = "bad_request"

    def __init__(
        self,
        message: str | None = None,
        *,
        fields: Mapping[str, list[str]] | None = None,
        details: Mapping[str, Any] | None = None,
        code: str | None = None,
    ) -> None:
        self.message = message or _HTTP_MESSAGES.get(self.status, ("", "Error"))[1]
        self.fields = dict(fields or {})
        self.details = dict(details or {})
        if code:
            self.code = code
        super().__init__(self.message)


class NotFound(DomainError):
    status, code = 404, "not_found"


class Conflict(DomainError):
    status, code = 409, "conflict"


class Forbidden(DomainError):
    status, code = 403, "forbidden"


class Unauthorized(DomainError):
    status, code = 401, "unauthorized"


class ValidationFailed(DomainError):
    status, code = 422, "validation_error"


class PreconditionRequired(DomainError):
    status, code = 428, "precondition_required"


class Unavailable(DomainError):
    status, code = 503, "unavailable"


#: Fields named in one error answer; the rest are counted in ``details.fields_not_shown``.
MAX_FIELDS = 100


def error_body(
    status: int,
    *,
    code: str | None = None,
    message: str | None = None,
    fields: Mapping[str, Any] | None = None,
    details: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    default_code, default_message = _HTTP_MESSAGES.get(status, ("error", "错误 / Error"))
    named, details = dict(fields or {}), dict(details or {})
    if len(named) > MAX_FIELDS:  # a list of a million bad items answered 243 MB of errors
        details["fields_not_shown"] = len(named) - MAX_FIELDS
        named = dict(list(named.items())[:MAX_FIELDS])
    return {
        "error": {
            "code": code or default_code,
            "status": status,
            "message": message or default_message,
            "fields": named,
            "details": details,
        }
    }


def error_response(status: int, **kwargs: Any) -> tuple[Response, int]:
    return jsonify(error_body(status, **kwargs)), status


def flatten_messages(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Flatten marshmallow/webargs nested messages into ``{"a.b.0.c": ["reason"]}``."""
    if isinstance(messages, Mapping):
        out: dict[str, list[str]] = {}
        for key, value in messages.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            out.update(flatten_messages(value, path))
        return out
    if isinstance(messages, list | tuple) and all(isinstance(m, str) for m in messages):
        return {prefix or "_schema": [str(m) for m in messages]}
    return {prefix or "_schema": [str(messages)]}


def _webargs_fields(exc: HTTPException) -> dict[str, list[str]]:
    data = getattr(exc, "data", None) or {}
    messages = data.get("messages") if isinstance(data, Mapping) else None
    if not messages:
        return {}
    # webargs nests by location ("json", "query", "files"); drop the location level.
    if isinstance(messages, Mapping) and set(messages) <= {"json", "query", "files", "form",
                                                           "headers", "path", "view_args"}:
        merged: dict[str, list[str]] = {}
        for value in messages.values():
            merged.update(flatten_messages(value))
        return merged
    return flatten_messages(messages)


def register_error_handlers(app: Flask) -> None:
    """Map domain exceptions, werkzeug HTTP errors and webargs 422s onto the one shape."""

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError) -> tuple[Response, int]:
        return error_response(
            exc.status, code=exc.code, message=exc.message, fields=exc.fields, details=exc.details
        )

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> tuple[Response, int] | Response:
        status = exc.code or 500
        fields = _webargs_fields(exc)
        resp, code = error_response(status, fields=fields)
        valid_methods = getattr(exc, "valid_methods", None)
        if status == 405 and valid_methods:
            resp.headers["Allow"] = ", ".join(valid_methods)
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:
            resp.headers["Retry-After"] = str(retry_after)
        return resp, code

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> tuple[Response, int]:
        log.exception("unhandled error", exc_info=exc)
        return error_response(500)
