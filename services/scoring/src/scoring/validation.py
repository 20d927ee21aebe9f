"""Pydantic validation errors as the shared 422 shape: field paths and zh/en reasons.

The what-if endpoint validates with the ``Profile`` contract itself (one model, no marshmallow
mirror), so its errors must be translated: ``loc`` ``("financials", 0, "science_staff")``
becomes the field ``"financials.0.science_staff"``, and pydantic's English message gets a
Chinese reason in front for the common error types.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from yumiao_common.http_errors import ValidationFailed

_ZH: dict[str, str] = {
    "missing": "必填",
    "extra_forbidden": "未知字段",
    "greater_than_equal": "数值过小",
    "greater_than": "数值过小",
    "less_than_equal": "数值过大",
    "less_than": "数值过大",
    "int_type": "须为整数",
    "int_parsing": "须为整数",
    "int_from_float": "须为整数",
    "decimal_parsing": "须为数字",
    "decimal_type": "须为数字",
    "bool_type": "须为是/否",
    "bool_parsing": "须为是/否",
    "string_type": "须为文本",
    "string_too_short": "文本过短",
    "string_too_long": "文本过长",
    "string_pattern_mismatch": "格式不符",
    "literal_error": "取值不在允许范围内",
    "date_parsing": "须为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "须为日期（YYYY-MM-DD）",
    "date_type": "须为日期（YYYY-MM-DD）",
    "model_type": "须为对象",
    "model_attributes_type": "须为对象",
    "tuple_type": "须为数组",
    "list_type": "须为数组",
    "json_invalid": "JSON 格式错误",
}


def field_path(loc: tuple[Any, ...]) -> str:
    """``("enterprise", "uscc")`` → ``"enterprise.uscc"``; the body itself is ``"_body"``."""
    return ".".join(str(part) for part in loc) or "_body"


def reason(error: Any) -> str:
    """zh-CN first, English beside; value errors already carry both languages."""
    message = str(error.get("msg", ""))
    if error.get("type") == "value_error":
        return message.removeprefix("Value error, ")
    zh = _ZH.get(str(error.get("type")), "输入无效")
    return f"{zh} / {message}"


def as_validation_failed(exc: ValidationError) -> ValidationFailed:
    """The 422 for an invalid profile, one entry per offending field."""
    fields: dict[str, list[str]] = {}
    for error in exc.errors(include_url=False, include_context=False, include_input=False):
        fields.setdefault(field_path(tuple(error["loc"])), []).append(reason(error))
    return ValidationFailed(
        "企业画像校验失败 / The profile is invalid", fields=fields,
    )
