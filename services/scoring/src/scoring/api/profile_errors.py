"""Pydantic validation errors as the shared 422 shape: field paths and zh/en reasons.

The what-if endpoint validates with the ``Profile`` contract itself (one model, no marshmallow
mirror), so its errors must be translated: ``loc`` ``("financials", 0, "science_staff")``
becomes the field ``"financials.0.science_staff"``, and pydantic's English message gets a
Chinese reason in front for the common error types. An evaluation whose arithmetic fails
(``decimal.InvalidOperation``, ``Overflow``) is a 422 too, naming the offending figures
(``arithmetic_failed``): never a 500.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from pydantic import ValidationError

from yumiao_common.web.errors import ValidationFailed

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
    "decimal_max_places": "小数位数过多",
    "decimal_max_digits": "位数过多",
    "decimal_whole_digits": "整数位数过多",
    "finite_number": "须为有限数值（不接受 NaN/Infinity）",
    "float_parsing": "须为数字",
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


#: Numbers at or beyond this magnitude are named when an evaluation's arithmetic fails.
_LARGE = 10**12


def _numeric_fields(value: Any, path: str) -> list[tuple[str, Decimal]]:
    """Every numeric leaf of a dumped profile with its dotted path."""
    if isinstance(value, dict):
        return [pair for key, item in value.items()
                for pair in _numeric_fields(item, f"{path}.{key}" if path else str(key))]
    if isinstance(value, list | tuple):
        return [pair for i, item in enumerate(value)
                for pair in _numeric_fields(item, f"{path}.{i}")]
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return [(path, Decimal(value))]
    return []


def arithmetic_failed(profile: BaseModel, exc: ArithmeticError) -> ValidationFailed:
    """The 422 for an evaluation whose arithmetic failed (decimal overflow, invalid operation).

    The contract's bounds make this unreachable for validated profiles; it is the safety net
    that keeps any future gap a 422 rather than a 500. The fields named are the profile's
    largest figures (those at or beyond 10¹² in magnitude, else the largest one).
    """
    numbers = _numeric_fields(profile.model_dump(), "")
    named = [path for path, value in numbers if abs(value) >= _LARGE]
    if not named and numbers:
        named = [max(numbers, key=lambda pair: abs(pair[1]))[0]]
    reason_text = ("数值超出可计算范围 / the value is outside the range the evaluation can compute "
                   f"({type(exc).__name__})")
    return ValidationFailed(
        "企业画像无法计算 / The profile cannot be evaluated",
        fields={path: [reason_text] for path in named or ["_body"]},
    )
