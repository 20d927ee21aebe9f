"""Local parameters: the catalogue (from the rulebooks), the check of a proposed value and the
bureau's audited overrides (``set_parameter``, ``apply_parameter_changes``; never commit).

A local parameter is a number the rulebook holds as a documented, unverified default (for
example a provincial agricultural threshold). The engine lists them with ``local_parameters()``;
here they become plain dicts for the API, and a proposed value is checked against the
default's kind (a number stays a number, a Decimal string stays an exact decimal) before it is
stored, so an override can never make the engine fail at evaluation time.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from decimal import Decimal
from decimal import InvalidOperation
from functools import cache
from typing import Any

from sqlalchemy.orm import Session

from scoring.domain import local_parameters
from scoring.models import ParameterAudit
from scoring.models import ParameterOverride
from yumiao_common.clock import utcnow
from yumiao_common.web.concurrency import check_version
from yumiao_common.web.errors import NotFound
from yumiao_common.web.errors import ValidationFailed


def _as_dict(item: Any) -> dict[str, Any]:
    if hasattr(item, "to_dict"):
        return dict(item.to_dict())
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        return dataclasses.asdict(item)
    if hasattr(item, "model_dump"):
        return dict(item.model_dump(mode="json"))
    return dict(item)


@cache
def catalogue() -> Mapping[str, dict[str, Any]]:
    """Parameter id → its description (title, default, unit, citation…), from the rulebooks."""
    items = local_parameters()
    if isinstance(items, Mapping):
        return {str(k): {"id": str(k), **_as_dict(v)} for k, v in items.items()}
    described = [_as_dict(item) for item in items]
    return {str(d["id"]): d for d in described}


def describe(parameter_id: str) -> dict[str, Any]:
    """The catalogue entry, or a 404 naming the unknown parameter."""
    found = catalogue().get(parameter_id)
    if found is None:
        raise NotFound(
            f"本地参数不存在：{parameter_id} / Unknown local parameter: {parameter_id}"
        )
    return found


def validate_value(parameter_id: str, value: Any) -> Any:
    """The value to store (JSON-safe), or a 422 saying what kind of value is expected.

    ``None`` restores the rulebook default. Numbers are kept as decimal strings so band edges
    stay exact; a value must be ≥ 0 because every local parameter is a threshold or a count.
    """
    entry = describe(parameter_id)
    if value is None:
        return None
    default = entry.get("default", entry.get("value"))
    if isinstance(default, bool) or isinstance(value, bool):
        if isinstance(default, bool) and isinstance(value, bool):
            return value
        raise _invalid("须为是/否 / must be true or false")
    if isinstance(default, str) and not _is_number(default):
        if isinstance(value, str) and value.strip():
            return value
        raise _invalid("须为非空文本 / must be non-empty text")
    number = _decimal(value)
    if number is None or number < 0 or not number.is_finite():
        raise _invalid("须为非负数 / must be a non-negative number")
    if isinstance(default, int) and not isinstance(default, bool):
        if number != number.to_integral_value():
            raise _invalid("须为整数 / must be a whole number")
        return int(number)
    return str(number)


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, float | int | str) and not isinstance(value, bool):
        try:
            return Decimal(str(value))
        except (InvalidOperation, ValueError):
            return None
    return None


def _is_number(text: str) -> bool:
    return _decimal(text) is not None


def _invalid(reason: str) -> ValidationFailed:
    return ValidationFailed(fields={"value": [reason]})


def set_parameter(
    session: Session,
    *,
    parameter_id: str,
    value: Any,
    actor: str,
    reason: str,
    expected_version: int | None = None,
    reevaluation_id: Any = None,
) -> ParameterOverride | None:
    """Override (or, with ``value=None``, restore the default of) one local parameter."""
    checked = validate_value(parameter_id, value)
    current = session.get(ParameterOverride, parameter_id, with_for_update=True)
    held_version = current.version if current else 0
    check_version(held_version, expected_version, required=False)
    session.add(ParameterAudit(
        parameter_id=parameter_id, old_value=current.value if current else None,
        new_value=checked, actor=actor, reason=reason, reevaluation_id=reevaluation_id,
    ))
    return _write_override(session, current, parameter_id, checked, actor, reason)


def _write_override(
    session: Session, current: ParameterOverride | None, parameter_id: str, value: Any,
    actor: str, reason: str,
) -> ParameterOverride | None:
    if value is None:
        if current is not None:
            session.delete(current)
        return None
    if current is None:
        current = ParameterOverride(parameter_id=parameter_id, version=0)
        session.add(current)
    current.value, current.updated_by, current.reason = value, actor, reason
    current.version += 1
    current.updated_at = utcnow()
    return current


def apply_parameter_changes(
    session: Session, *, changes: Mapping[str, Any], actor: str, reason: str, job_id: Any = None
) -> None:
    """Several overrides at once (a re-evaluation's activation), each audited."""
    for parameter_id, value in changes.items():
        set_parameter(session, parameter_id=parameter_id, value=value, actor=actor,
                      reason=reason, reevaluation_id=job_id)
