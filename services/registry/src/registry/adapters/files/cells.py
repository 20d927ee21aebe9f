"""Cell converters of the import, one per column kind, built once and reused for every row.

Each converter turns a raw cell (a ``str`` from CSV; ``int``/``float``/``datetime`` from XLSX)
into the stored value or raises ``CellError`` with a zh/en reason. The common case (a clean
integer string) takes the first ``try``; the slower spellings (``1,234``, ``1234.0``) only
run when that fails, which keeps 300,000-row files fast.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from datetime import datetime
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any
from typing import Final
from typing import get_args

from registry.domain.towns import TOWNS_BY_CODE
from yumiao_common.contracts.profile import HightechField
from yumiao_common.contracts.profile import ProductField
from yumiao_common.identifiers import is_industry_code
from yumiao_common.identifiers import uscc_problems
from yumiao_common.vocabulary.choices import PROFILE_CHOICES
from yumiao_common.vocabulary.hightech_fields import FIELDS

Converter = Callable[[Any], Any]


class CellError(ValueError):
    """A cell that cannot be accepted; ``zh`` and ``en`` are the reasons shown to the user."""

    def __init__(self, zh: str, en: str) -> None:
        self.zh, self.en = zh, en
        super().__init__(f"{zh} / {en}")


#: A field may be given by its Chinese name (the shared table
#: ``yumiao_common.vocabulary.hightech_fields``).
_HIGHTECH_ZH: Final = {zh: key for key, (zh, _en) in FIELDS.items()}
ENUMS: Final[dict[str, dict[str, str]]] = {
    "hightech_field": {**{k: k for k in get_args(HightechField)}, **_HIGHTECH_ZH},
    "tax_method": {"audited": "audited", "deemed": "deemed", "查账征收": "audited",
                   "核定征收": "deemed", "查账": "audited", "核定": "deemed"},
}
PRODUCT_FIELDS: Final = frozenset(get_args(ProductField))
#: A product field may be given by its Chinese name (the template's example and drop-down).
PRODUCT_FIELD_NAMES: Final = {PROFILE_CHOICES[k][0]: k for k in sorted(PRODUCT_FIELDS)
                              if k in PROFILE_CHOICES}
#: GB/T 4754 section letter by 2-digit division, so ``3451`` is accepted as ``C3451``
_SECTIONS: Final = [("A", 1, 5), ("B", 6, 12), ("C", 13, 43), ("D", 44, 46), ("E", 47, 50),
                    ("F", 51, 52), ("G", 53, 60), ("H", 61, 62), ("I", 63, 65), ("J", 66, 69),
                    ("K", 70, 70), ("L", 71, 72), ("M", 73, 75), ("N", 76, 79), ("O", 80, 82),
                    ("P", 83, 83), ("Q", 84, 85), ("R", 86, 90), ("S", 91, 96), ("T", 97, 97)]
_DATE_SEP = re.compile(r"[./年月]")
_SPACE = re.compile(r"\s+")
#: How people write yes and no in a spreadsheet (an XLSX cell may also hold TRUE/FALSE or 1/0).
YES: Final = frozenset({"是", "yes", "y", "true", "1", "√", "✓", "有"})
NO: Final = frozenset({"否", "no", "n", "false", "0", "×", "无"})
_LIST_SEP = re.compile(r"[;；,，、\s]+")


def _integer(raw: Any) -> int:
    """Whole numbers in any usual spelling: ``1234``, ``1,234``, ``1234.0``, XLSX floats."""
    if isinstance(raw, bool):
        raise CellError("须为数字", "must be a number")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if raw.is_integer():
            return int(raw)
        raise CellError("须为整数（金额以元为单位）", "must be a whole number (money in yuan)")
    text = str(raw).strip().replace(",", "").replace("，", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError("须为数字", "must be a number") from None
    if number != number.to_integral_value():
        raise CellError("须为整数（金额以元为单位）", "must be a whole number (money in yuan)")
    return int(number)


def count(raw: Any) -> int:
    if raw.__class__ is str:  # CSV: try the plain spelling first
        try:
            value = int(raw)
        except ValueError:
            value = _integer(raw)
    else:  # XLSX numbers: int() would silently truncate 3.7
        value = _integer(raw)
    if value < 0:
        raise CellError("不能为负数", "must not be negative")
    return value


def signed_money(raw: Any) -> int:
    if raw.__class__ is str:
        try:
            return int(raw)
        except ValueError:
            pass
    return _integer(raw)


def percent(raw: Any) -> Decimal:
    try:
        value = Decimal(str(raw).strip().rstrip("%"))
    except InvalidOperation:
        raise CellError("须为数字", "must be a number") from None
    if not Decimal(0) <= value <= Decimal(100):
        raise CellError("须在0到100之间", "must be between 0 and 100")
    return value


def make_year(this_year: int) -> Converter:
    def year(raw: Any) -> int:
        value = count(raw)
        if value < 1949:
            raise CellError("会计年度无效", "not a valid fiscal year")
        if value > this_year:
            raise CellError("会计年度不能晚于今年", "fiscal year must not be in the future")
        return value

    return year


def day(raw: Any) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    parts = [p for p in _DATE_SEP.sub("-", text.rstrip("日")).split("-") if p]
    try:
        return date(*(int(p) for p in parts))  # type: ignore[misc]
    except (TypeError, ValueError):
        raise CellError("日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD") from None


def uscc(raw: Any) -> str:
    code = str(raw).strip().upper()
    problems = uscc_problems(code)
    if problems:
        raise CellError("；".join(p[0] for p in problems), "; ".join(p[1] for p in problems))
    return code


def text(raw: Any) -> str:
    value = str(raw).strip()
    if len(value) > 200:
        raise CellError("不能超过200个字符", "must be at most 200 characters")
    return value


def town(raw: Any) -> str:
    code = str(raw).strip()
    if code.endswith(".0"):  # a code typed as a number in Excel
        code = code[:-2]
    if code not in TOWNS_BY_CODE:
        raise CellError("不是东昌府区的镇街代码", "not a Dongchangfu town code")
    return code


def industry(raw: Any) -> str:
    code = str(raw).strip().upper()
    if code.endswith(".0"):
        code = code[:-2]
    if code.isdigit() and len(code) in (2, 3, 4):
        division = int(code[:2])
        code = next((s for s, lo, hi in _SECTIONS if lo <= division <= hi), "?") + code
    if not is_industry_code(code):
        raise CellError("不是有效的国民经济行业代码（如 C3451）",
                        "not a GB/T 4754 industry code (e.g. C3451)")
    return code


def yes_no(raw: Any) -> bool:
    """是/否 and the usual spellings (yes/no, true/false, 1/0, √/×, 有/无); ``bool`` as is."""
    if isinstance(raw, bool):
        return raw
    value = _SPACE.sub("", str(raw)).casefold().removesuffix(".0")
    if value in YES:
        return True
    if value in NO:
        return False
    raise CellError("可选值：是、否（也可写 true/false、yes/no、1/0）",
                    "allowed: 是 (yes), 否 (no); also true/false, yes/no, 1/0")


def make_enum(name: str) -> Converter:
    table = ENUMS[name]
    allowed = ", ".join(sorted(k for k in table if k.isascii()))

    def enum(raw: Any) -> str:
        value = table.get(str(raw).strip())
        if value is None:
            raise CellError(f"可选值：{allowed}", f"allowed: {allowed}")
        return value

    return enum


def product_fields(raw: Any) -> list[str]:
    items = [str(PRODUCT_FIELD_NAMES.get(p) or p) for p in _LIST_SEP.split(str(raw).strip()) if p]
    unknown = [p for p in items if p not in PRODUCT_FIELDS]
    if unknown:
        allowed = "、".join(PRODUCT_FIELD_NAMES)
        raise CellError(f"未知领域 {unknown[0]}；可选值：{allowed}",
                        f"unknown field {unknown[0]}; allowed: {allowed}")
    return list(dict.fromkeys(items))


def converter_for(kind: str, this_year: int) -> Converter:
    """The converter of a column kind (``ColumnSpec.kind``)."""
    if kind.startswith("enum:"):
        return make_enum(kind[5:])
    table: dict[str, Converter] = {
        "uscc": uscc, "text": text, "date": day, "town": town, "industry": industry,
        "fields": product_fields, "year": make_year(this_year), "count": count,
        "money": count, "signed_money": signed_money, "percent": percent, "flag": yes_no,
    }
    return table[kind]
