"""Words of the admin pages: their texts, and values shown in units and read back from forms.

A local parameter is stored as the rulebook writes it (a ratio ``"0.70"``, yuan ``"20000000"``,
a count ``"500"``); an admin reads and types it as people do (70 %, ¥20,000,000, 500 户), so the
page converts both ways here. A parked message is a JSON event: its type and the firm or notice
it concerns are said in words. Pure code (the language comes from ``i18n``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any
from typing import Final

from gateway.web.admin_catalogue import EVENT_TYPES
from gateway.web.i18n import pair
from yumiao_common.web.errors import ValidationFailed

#: As scoring's bound on a parameter: far above any threshold or count, and a number this page
#: can write out in full (1E+999999 would be a million digits).
MAX_VALUE: Final = 10**15
UNITS: Final = {"yuan": ("元", "yuan"), "ratio": ("%", "%"), "households": ("户", "households")}


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value).replace(",", "").replace("，", "").strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _plain(number: Decimal) -> str:
    """``70``, ``0.5``: no exponent, no trailing zeros."""
    text = f"{number.normalize():f}"
    return text


def param_value(value: Any, unit: str | None) -> str:
    """A parameter value in its unit: ``70.00 %``, ``¥20,000,000``, ``500 户``."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return pair("是", "Yes") if value else pair("否", "No")
    number = _decimal(value)
    if number is None:
        return str(value)
    if unit == "ratio":
        return f"{number * 100:.2f} %"
    if unit == "yuan":
        return f"¥{number:,.0f}" if number == number.to_integral_value() else f"¥{number:,.2f}"
    zh, en = UNITS.get(unit or "", ("", ""))
    shown = f"{number:,.0f}" if number == number.to_integral_value() else _plain(number)
    return f"{shown} {pair(zh, en)}".strip()


def unit_name(unit: str | None) -> str:
    zh, en = UNITS.get(unit or "", (unit or "", unit or ""))
    return pair(zh, en)


def param_input(value: Any, unit: str | None) -> str:
    """The value as the form shows it for editing (a ratio in percent)."""
    number = _decimal(value) if not isinstance(value, bool) else None
    if number is None:
        return "" if value is None else str(value)
    return _plain(number * 100 if unit == "ratio" else number)


def parse_param_input(text: str, unit: str | None, default: Any) -> Any:
    """The wire value of what an admin typed (``70`` % → ``"0.7"``); a 422 on ``value`` else."""
    if isinstance(default, bool):
        if text in ("true", "false"):
            return text == "true"
        raise ValidationFailed(fields={"value": ["请选择是或否 / choose yes or no"]})
    number = _decimal(text[:40])
    if number is None or number < 0 or number > MAX_VALUE:
        raise ValidationFailed(fields={"value": [
            f"请填写 0 至 {MAX_VALUE:,} 之间的数字 / enter a number from 0 to {MAX_VALUE:,}"]})
    if unit == "ratio":
        if number > 100:
            raise ValidationFailed(fields={"value": ["百分比不能超过 100 / at most 100 %"]})
        return _plain(number / 100)
    return _plain(number)


def event_type(value: Any) -> str:
    zh, en = EVENT_TYPES.get(str(value or ""), (str(value or "—"), str(value or "—")))
    return pair(zh, en)


def body_json(body: Any) -> Any:
    try:
        return json.loads(body) if isinstance(body, str) else None
    except ValueError:
        return None


def _payload(event: dict[str, Any]) -> dict[str, Any]:
    payload = event.get("payload")
    return payload if isinstance(payload, dict) else {}


def parked_summary(body: Any, names: Mapping[str, str] | None = None) -> str:
    """What a parked message is about, in words: its type and the firm, notice or channel
    it names (``names``: credit code → firm name, when the page looked them up)."""
    event = body_json(body)
    if not isinstance(event, dict):
        return pair("内容无法解析", "unreadable content")
    payload = _payload(event)
    parts = [event_type(event.get("type"))]
    uscc = payload.get("uscc") or event.get("uscc")
    if uscc:
        parts.append((names or {}).get(str(uscc)) or str(uscc))
    if payload.get("channel"):
        parts.append(pair("渠道 ", "channel ") + str(payload["channel"]))
    if payload.get("tier"):
        parts.append(str(payload["tier"]))
    return " · ".join(parts)


def parked_uscc(body: Any) -> str | None:
    event = body_json(body)
    if not isinstance(event, dict):
        return None
    payload = _payload(event)
    value = payload.get("uscc") or event.get("uscc")
    return str(value) if value else None


def pretty_json(body: Any) -> str:
    parsed = body_json(body)
    if parsed is None:
        return str(body or "")
    return json.dumps(parsed, ensure_ascii=False, indent=2, sort_keys=True)


#: Passed to the admin templates beside ``wording.HELPERS``.
ADMIN_HELPERS: dict[str, Any] = {
    "param_value": param_value, "param_input": param_input, "unit_name": unit_name,
    "event_type": event_type, "pretty_json": pretty_json,
}
