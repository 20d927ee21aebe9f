"""Field types and the base schema every registry API schema uses.

Why not plain marshmallow fields: input must never reach the database in a form it refuses
(a NUL byte in text, an integer beyond BIGINT, a string longer than its column), because that
would be a 500 instead of a 4xx naming the field. Messages are zh-CN first, English beside.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from marshmallow import RAISE
from marshmallow import Schema
from marshmallow import ValidationError
from marshmallow import fields
from marshmallow import validate

from yumiao_common.clock import beijing_today
from yumiao_common.identifiers import is_industry_code
from yumiao_common.identifiers import uscc_problems
from yumiao_common.web.openapi import DECIMAL_PATTERN

MAX_MONEY = 10**15  # yuan: a quadrillion, far above any enterprise, well inside BIGINT
MAX_COUNT = 10**7
MAX_INT = 2**31 - 1
MAX_YEAR = 2100  # documented bound; the current year is the real (moving) one
_DECIMAL_TEXT = re.compile(DECIMAL_PATTERN)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

MESSAGES: dict[str, str | list[Any] | dict[Any, Any]] = {
    "required": "必填 / Missing data for required field.",
    "null": "不能为空 / Field may not be null.",
    "invalid": "类型或格式错误 / Not a valid value of this type.",
}


class BaseSchema(Schema):
    """Unknown fields are refused, not ignored (architecture.md, HTTP)."""

    class Meta:
        unknown = RAISE

    error_messages = {
        "unknown": "未知字段 / Unknown field.",
        "type": "请求体须为 JSON 对象 / Invalid input type: a JSON object is required.",
    }


def _no_control(value: str) -> None:
    if _CONTROL.search(value):
        raise ValidationError("含有控制字符 / Contains control characters.")


def text(max_length: int, *, required: bool = False, min_length: int = 0, **kw: Any) -> Any:
    """A string of bounded length without control characters (NUL breaks PostgreSQL)."""
    validators: list[Callable[[Any], Any]] = [
        validate.Length(min=min_length, max=max_length), _no_control]
    return fields.String(required=required, validate=validators, error_messages=MESSAGES, **kw)


def integer(low: int, high: int, **kw: Any) -> Any:
    """A strict integer (no strings, floats or booleans) in [low, high]."""
    return fields.Integer(strict=True, validate=validate.Range(low, high),
                          error_messages=MESSAGES, **kw)


def money(*, signed: bool = False, **kw: Any) -> Any:
    """Integer yuan; negative only where a loss is meaningful (profits)."""
    return integer(-MAX_MONEY if signed else 0, MAX_MONEY, allow_none=True, **kw)


class DecimalInput(fields.Decimal):
    """A decimal typed in: a JSON number, or a string of plain digits (``DECIMAL_PATTERN``).

    Strings such as ``"1E+999999"``, ``"NaN"`` or ``"1_000"`` (which ``Decimal()`` would take)
    are refused before any arithmetic, and booleans are not numbers.
    """

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, bool) or (isinstance(value, str)
                                       and not _DECIMAL_TEXT.fullmatch(value)):
            raise ValidationError("应为十进制数，如 12.5 / Must be a decimal number, e.g. 12.5.")
        return super()._deserialize(value, attr, data, **kwargs)


def decimal(high: int, places: int = 3, *, output: bool = False, **kw: Any) -> Any:
    """A decimal in [0, high] (number or decimal string in, decimal string out; never float).

    The range is a plain validator plus numeric OpenAPI bounds: ``validate.Range`` would be
    rendered through the field as *strings* ("0.000"), which makes the schema invalid. The
    document shows an input as "decimal string or number" and an ``output`` as the decimal
    string it is served as (``yumiao_common.web.openapi.decimal2properties``).
    """
    def _in_range(value: Any) -> None:
        if not 0 <= value <= high:
            raise ValidationError(f"须在0至{high}之间 / Must be between 0 and {high}.")

    field_type = fields.Decimal if output else DecimalInput
    metadata = {} if output else {"minimum": 0, "maximum": high, "accepts_number": True}
    return field_type(places=places, as_string=True, allow_nan=False, allow_none=True,
                      validate=_in_range, error_messages=MESSAGES, metadata=metadata, **kw)


def percent(*, output: bool = False, **kw: Any) -> Any:
    """A share typed in, 0–100, as a decimal (never float)."""
    return decimal(100, output=output, **kw)


class StrictBoolean(fields.Boolean):
    """JSON ``true``/``false`` only: ``0``, ``1``, ``"yes"`` are not booleans (as documented)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


def boolean(**kw: Any) -> Any:
    return StrictBoolean(error_messages=MESSAGES, **kw)


def choice(options: Any, **kw: Any) -> Any:
    return fields.String(validate=validate.OneOf(list(options)), error_messages=MESSAGES, **kw)


def _not_future(value: date) -> None:
    if value > beijing_today():
        raise ValidationError("不能晚于今天 / Cannot be in the future.")


def past_date(**kw: Any) -> Any:
    """A date no later than today (establishment, grant, issue dates)."""
    return fields.Date(validate=_not_future, error_messages=MESSAGES, **kw)


def any_date(**kw: Any) -> Any:
    return fields.Date(error_messages=MESSAGES, **kw)


def year(**kw: Any) -> Any:
    """A calendar year from 1949 to the current year."""
    def _check(value: int) -> None:
        if not 1949 <= value <= beijing_today().year:
            raise ValidationError(f"年份须在1949至{beijing_today().year}之间 / "
                                  f"Year must be between 1949 and {beijing_today().year}.")
    return fields.Integer(strict=True, validate=_check, error_messages=MESSAGES,
                          metadata={"minimum": 1949, "maximum": MAX_YEAR, "description":
                                    "1949至今年 / 1949 to the current year"}, **kw)


def validate_uscc(value: str) -> None:
    problems = uscc_problems(value)
    if problems:
        raise ValidationError([f"统一社会信用代码无效：{zh} / Invalid credit code: {en}"
                               for zh, en in problems])


def uscc(**kw: Any) -> Any:
    return fields.String(validate=[validate.Length(max=18), validate_uscc],
                         error_messages=MESSAGES, **kw)


_SECTION_DIVISIONS = {
    "A": (1, 5), "B": (6, 12), "C": (13, 43), "D": (44, 46), "E": (47, 50), "F": (51, 52),
    "G": (53, 60), "H": (61, 62), "I": (63, 65), "J": (66, 69), "K": (70, 70), "L": (71, 72),
    "M": (73, 75), "N": (76, 79), "O": (80, 82), "P": (83, 83), "Q": (84, 85), "R": (86, 90),
    "S": (91, 96), "T": (97, 97),
}


def validate_industry(value: str) -> None:
    """GB/T 4754-2017: a section letter, then a 大类 within that section's range."""
    if not is_industry_code(value):
        raise ValidationError("行业代码格式应为门类字母加2–4位数字，如 C3451 / "
                              "Industry code must be a section letter and 2–4 digits, e.g. C3451.")
    low, high = _SECTION_DIVISIONS[value[0]]
    if not low <= int(value[1:3]) <= high:
        raise ValidationError(f"大类 {value[1:3]} 不属于门类 {value[0]} / "
                              f"Division {value[1:3]} is not in section {value[0]}.")


def industry(**kw: Any) -> Any:
    return fields.String(validate=[validate.Length(max=5), validate_industry],
                         error_messages=MESSAGES, **kw)


def version_field() -> Any:
    """The version the client read (alternatively sent as If-Match)."""
    return integer(1, MAX_INT, load_only=True)


def reason_field(*, required: bool = False) -> Any:
    """Why the change is made; kept in the audit log."""
    return text(500, required=required, min_length=1 if required else 0, load_only=True)




class DeleteArgs(BaseSchema):
    """Query of a DELETE: why the record is removed (the version comes as If-Match)."""

    reason = text(500)
